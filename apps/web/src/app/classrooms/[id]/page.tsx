import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { StartAssignmentButton } from "@/components/classrooms/ClassroomForms";
import { JoinCodePanel, MembersList } from "@/components/classrooms/InstructorPanel";
import { ProgressTable } from "@/components/classrooms/ProgressTable";
import { PublishForm } from "@/components/classrooms/PublishForm";
import { Notice } from "@/components/Notice";
import { formatDate } from "@/lib/format";
import { apiErrorCode, serverApi } from "@/server/api/server-caller";
import { getLessons } from "@/server/app-lessons";

interface Props {
  readonly params: Promise<{ id: string }>;
}

const load = cache(async (id: string) => {
  const api = await serverApi();
  try {
    const [classroom, list] = await Promise.all([
      api.classrooms.get({ id }),
      api.assignments.list({ classroomId: id }),
    ]);
    return { ok: true as const, classroom, list };
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    if (code === "FORBIDDEN") return { ok: false as const, message: (error as Error).message };
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const result = await load((await params).id);
  return { title: result.ok ? result.classroom.name : "Classroom" };
}

export default async function ClassroomPage({ params }: Props) {
  const { id } = await params;
  const result = await load(id);
  if (!result.ok) return <Notice title="This classroom is not yours">{result.message}</Notice>;
  const { classroom, list } = result;
  const heading = (
    <p className="breadcrumb">
      <Link href="/classrooms">Classrooms</Link> / {classroom.name}
    </p>
  );
  if (classroom.role === "student") {
    return (
      <>
        {heading}
        <h1>{classroom.name}</h1>
        {list.assignments.length === 0 ? (
          <p className="lead">Nothing has been published here yet.</p>
        ) : (
          <ul className="assignment-list">
            {list.assignments.map((a) => (
              <li key={a.id} className="card" data-assignment={a.title}>
                <span className="card-title">
                  {a.title}
                  {a.graded && " (graded)"}
                </span>
                <span className="meta">
                  {a.dueAt ? `Due ${formatDate(a.dueAt)}` : "No due date"}
                  {" · "}
                  {a.mine ? `${a.mine.passed}/${a.mine.total} exercises` : "Not started"}
                  {a.mine?.late && " · late"}
                </span>
                <StartAssignmentButton assignmentId={a.id} started={a.mine !== null} />
              </li>
            ))}
          </ul>
        )}
      </>
    );
  }
  const api = await serverApi();
  const [members, progress, lessons, notebooks] = await Promise.all([
    api.classrooms.members({ id }),
    api.classrooms.progress({ id }),
    getLessons().list(),
    api.notebooks.listMine(),
  ]);
  return (
    <>
      {heading}
      <h1>{classroom.name}</h1>
      <JoinCodePanel id={id} joinCode={classroom.joinCode ?? ""} />
      <ProgressTable id={id} initial={progress} />
      <PublishForm
        classroomId={id}
        lessons={lessons.map((l) => ({ value: `lesson:${l.slug}`, title: l.title }))}
        notebooks={notebooks.map((n) => ({ value: `notebook:${n.id}`, title: n.title }))}
      />
      <MembersList id={id} members={members} />
    </>
  );
}
