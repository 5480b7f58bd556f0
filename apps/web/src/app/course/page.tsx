import type { Metadata } from "next";
import Link from "next/link";
import { getLessons } from "@/server/app-lessons";

export const metadata: Metadata = { title: "Course" };

export default async function CoursePage() {
  const lessons = await getLessons().list();
  return (
    <>
      <h1>The course</h1>
      <p className="lead">
        Short lessons, each a notebook: read, run the cells, change them. Start a lesson to get your
        own copy to edit and keep.
      </p>
      <ol className="lesson-list">
        {lessons.map((lesson, i) => (
          <li key={lesson.slug}>
            <Link href={`/course/${lesson.slug}`} className="card">
              <span className="lesson-number">{i + 1}</span>
              <span>
                <span className="card-title">{lesson.title}</span>
                <span className="card-text">{lesson.description}</span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </>
  );
}
