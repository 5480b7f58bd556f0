"use client";

import type { NotebookStore } from "./notebook-store";

/** Adds a cell at the end of the notebook. */
export function AddCellBar({
  store,
  count,
}: {
  readonly store: NotebookStore;
  readonly count: number;
}) {
  return (
    <div className="add-cell-bar">
      <button
        type="button"
        className="button quiet"
        onClick={() => store.insertCell(count, "code")}
      >
        + Code
      </button>
      <button
        type="button"
        className="button quiet"
        onClick={() => store.insertCell(count, "markdown")}
      >
        + Markdown
      </button>
    </div>
  );
}
