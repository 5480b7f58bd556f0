import type { Metadata } from "next";
import Link from "next/link";
import { CreateClassroomForm, JoinClassroomForm } from "@/components/classrooms/ClassroomForms";
import { Notice } from "@/components/Notice";
import { serverApi } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "Classrooms" };

export default async function ClassroomsPage() {
  const mine = await (await serverApi()).classrooms.list();
  if (!mine.signedIn) {
    return (
      <Notice title="Classrooms need an account">
        Sign in (or sign up) to join your class with its code, or to teach one.
      </Notice>
    );
  }
  return (
    <>
      <h1>Classrooms</h1>
      {mine.classrooms.length === 0 ? (
        <p className="lead">
          You are not in a classroom yet. Join one with the code your instructor gives you.
        </p>
      ) : (
        <ul className="classroom-list">
          {mine.classrooms.map((c) => (
            <li key={c.id}>
              <Link href={`/classrooms/${c.id}`} prefetch={false}>
                {c.name}
              </Link>{" "}
              <span className="meta">{c.role === "instructor" ? "Instructor" : "Student"}</span>
            </li>
          ))}
        </ul>
      )}
      <h2>Join a classroom</h2>
      <JoinClassroomForm />
      {mine.canCreate && (
        <>
          <h2>Create a classroom</h2>
          <CreateClassroomForm />
        </>
      )}
    </>
  );
}
