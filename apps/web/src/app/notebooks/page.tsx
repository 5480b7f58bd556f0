import type { Metadata } from "next";
import Link from "next/link";
import { ImportNotebookButton } from "@/components/ImportNotebookButton";
import { NewNotebookButton } from "@/components/NewNotebookButton";
import { formatDate } from "@/lib/format";
import { serverApi } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "My notebooks" };

export default async function MyNotebooksPage() {
  const notebooks = await (await serverApi()).notebooks.listMine();
  return (
    <>
      <h1>My notebooks</h1>
      <div className="page-actions">
        <NewNotebookButton />
        <NewNotebookButton template="lesson" label="New lesson" variant="secondary" />
        <ImportNotebookButton />
      </div>
      {notebooks.length === 0 ? (
        <div className="empty">
          <p>
            No notebooks yet. Start one above, write a lesson, import a file, or begin the course
            and keep your work as you go.
          </p>
          <div className="hero-actions">
            <Link href="/course" className="button secondary">
              Open the course
            </Link>
          </div>
        </div>
      ) : (
        <ul className="notebook-list">
          {notebooks.map((notebook) => (
            <li key={notebook.id}>
              <Link href={`/n/${notebook.id}`} className="card">
                <span>
                  <span className="card-title">{notebook.title}</span>
                  <span className="card-text">
                    Saved {formatDate(notebook.updatedAt)} · version {notebook.version}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <p className="hint">
        Until you <Link href="/signup?next=/notebooks">sign up</Link>, your notebooks belong to this
        browser (a private cookie): clearing its cookies loses access to them.
      </p>
    </>
  );
}
