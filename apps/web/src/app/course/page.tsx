import type { Metadata } from "next";
import Link from "next/link";
import { serverApi } from "@/server/api/server-caller";
import { getLessons } from "@/server/app-lessons";

export const metadata: Metadata = { title: "Course" };

export default async function CoursePage() {
  const [lessons, progress] = await Promise.all([
    getLessons().list(),
    serverApi().then((api) => api.progress.lessons()),
  ]);
  const started = new Map(progress.map((entry) => [entry.slug, entry]));
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
                {started.has(lesson.slug) && (
                  <span className="exercise-progress">
                    {started.get(lesson.slug)?.passed}/{started.get(lesson.slug)?.total} exercises
                  </span>
                )}
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </>
  );
}
