import type { ReactNode } from "react";
import { staticNotebook } from "@/server/markdown";
import { NotebookView, type NotebookViewProps } from "./NotebookView";
import { StaticCells } from "./StaticCells";

/** A notebook's page body: its title (unless its text opens with one), and its cells. */
export function NotebookBody({
  title,
  header,
  ...viewProps
}: Omit<NotebookViewProps, "children"> & { readonly title: string; readonly header: ReactNode }) {
  const notebook = staticNotebook(viewProps.content);
  return (
    <article>
      <div className="doc-header">
        {notebook.startsWithHeading ? <span /> : <h1 className="doc-title">{title}</h1>}
        {header}
      </div>
      {notebook.error && (
        <p role="alert" className="error-text">
          This notebook's text could not be read ({notebook.error}).
        </p>
      )}
      <NotebookView {...viewProps}>
        <StaticCells cells={notebook.cells} />
      </NotebookView>
    </article>
  );
}
