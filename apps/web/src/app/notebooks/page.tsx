import type { Metadata } from "next";
import Link from "next/link";
import { NewNotebookButton } from "@/components/NewNotebookButton";
import { formatDate } from "@/lib/format";
import { serverApi } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "My notebooks" };

export default async function MyNotebooksPage() {
  const notebooks = await (await serverApi()).notebooks.listMine();
  return (
    <>
      <h1>My notebooks</h1>
      {notebooks.length === 0 ? (
        <div className="empty">
          <p>No notebooks yet. Start one, or begin the course and keep your work as you go.</p>
          <div className="hero-actions">
            <NewNotebookButton label="Start a new notebook" />
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
        Your notebooks belong to this browser (a private cookie) until accounts arrive: clearing its
        cookies loses access to them.
      </p>
    </>
  );
}
