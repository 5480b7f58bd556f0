import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { DeleteNotebookButton } from "@/components/DeleteNotebookButton";
import { DownloadLinks } from "@/components/DownloadLinks";
import { ExerciseProgressBadge } from "@/components/ExerciseProgressBadge";
import { NotebookBody } from "@/components/NotebookBody";
import { Notice } from "@/components/Notice";
import { SharePanel } from "@/components/SharePanel";
import { formatDate, formatSize } from "@/lib/format";
import { apiErrorCode, serverApi } from "@/server/api/server-caller";

interface Props {
  readonly params: Promise<{ id: string }>;
}

/** The notebook, or why it can't be shown (a bad or unknown id is a 404). */
const load = cache(async (id: string) => {
  const api = await serverApi();
  try {
    const [notebook, shares, revisions, progress] = await Promise.all([
      api.notebooks.get({ id }),
      api.shares.list({ notebookId: id }),
      api.notebooks.revisions({ id }),
      api.progress.forNotebook({ notebookId: id }),
    ]);
    return { ok: true as const, notebook, shares, revisions, progress };
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    if (code === "FORBIDDEN") return { ok: false as const };
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const result = await load((await params).id);
  return { title: result.ok ? result.notebook.title : "Private notebook" };
}

export default async function NotebookPage({ params }: Props) {
  const result = await load((await params).id);
  if (!result.ok) {
    return (
      <Notice title="This notebook is private">
        Only its owner can open it. If it was shared with you, ask for its share link: you can read
        it there and fork your own copy.
      </Notice>
    );
  }
  const { notebook, shares, revisions, progress } = result;
  // The viewer's copy of a course lesson or an assignment is theirs to work through; anything
  // else with exercises is a lesson they are writing (progress means nothing there).
  const view = notebook.lessonSlug || progress.assignment ? "student" : "author";
  return (
    <>
      <NotebookBody
        title={notebook.title}
        content={notebook.content}
        saveTarget={{ id: notebook.id, version: notebook.version }}
        trust="own"
        view={view}
        savedProgress={progress.results.map((r) => ({
          name: r.exercise,
          hintsShown: r.hintsShown,
          solutionShown: r.solutionShown,
        }))}
        header={
          <div className="doc-actions">
            {progress.assignment && (
              <Link href={`/classrooms/${progress.assignment.classroomId}`} className="meta">
                Assignment{progress.graded ? " (graded)" : ""}
                {progress.assignment.dueAt && ` · due ${formatDate(progress.assignment.dueAt)}`}
              </Link>
            )}
            {view === "student" && (
              <ExerciseProgressBadge
                notebookId={notebook.id}
                passed={progress.passed}
                total={progress.total}
              />
            )}
            <span className="meta">
              Version {notebook.version} · saved {formatDate(notebook.updatedAt)}
            </span>
            <DownloadLinks id={notebook.id} />
            <SharePanel notebookId={notebook.id} initial={shares} />
            <DeleteNotebookButton id={notebook.id} title={notebook.title} />
          </div>
        }
      />
      <details className="history">
        <summary>History ({revisions.length})</summary>
        <ol>
          {revisions.map((r) => (
            <li key={r.version}>
              Version {r.version} · {formatDate(r.createdAt)} · {r.title} · {formatSize(r.bytes)}
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}
