import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NewNotebookButton } from "@/components/NewNotebookButton";
import { NotebookView } from "@/components/NotebookView";
import { StaticCells } from "@/components/StaticCells";
import { getLessons } from "@/server/app-lessons";
import { LESSON_SLUG } from "@/server/lessons";
import { staticNotebook } from "@/server/markdown";

interface Props {
  readonly params: Promise<{ slug: string }>;
}

/** Lessons ship with the app, so their pages are rendered at build time. */
export async function generateStaticParams() {
  return (await getLessons().list()).map(({ slug }) => ({ slug }));
}

async function lessonOf(props: Props) {
  const { slug } = await props.params;
  return LESSON_SLUG.test(slug) ? getLessons().get(slug) : null;
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return { title: (await lessonOf(props))?.title ?? "Lesson not found" };
}

export default async function LessonPage(props: Props) {
  const lesson = await lessonOf(props);
  if (!lesson) notFound();
  const notebook = staticNotebook(lesson.content);
  return (
    <article>
      <p className="breadcrumb">
        <Link href="/course">Course</Link> / {lesson.title}
      </p>
      <div className="lesson-callout">
        <span>{lesson.description} Start the lesson to get your own copy to run and edit.</span>
        <NewNotebookButton lesson={lesson.slug} label="Start this lesson" />
      </div>
      <NotebookView content={lesson.content} saveTarget={null} trust="lesson">
        <StaticCells cells={notebook.cells} />
      </NotebookView>
    </article>
  );
}
