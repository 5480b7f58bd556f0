"use client";

import type { NotebookSave } from "./useNotebookSave";

/** A save that failed: a conflict offers to keep the edit as a copy or load the saved version. */
export function SaveNotice({ save }: { readonly save: NotebookSave }) {
  const { state } = save;
  if (state.status === "conflict") {
    return (
      <div className="notice-bar warn" role="alert" data-notice="conflict">
        <span>
          <strong>Not saved: this notebook changed since you opened it.</strong> {state.message}{" "}
          Your edits are still here.
        </span>
        <span className="notice-actions">
          <button type="button" className="button primary" onClick={() => save.saveAsCopy()}>
            Save as a copy
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              if (window.confirm("Load the saved version? Your edits here will be lost.")) {
                save.loadSaved();
              }
            }}
          >
            Load the saved version
          </button>
        </span>
      </div>
    );
  }
  if (state.status === "error") {
    return (
      <div className="notice-bar warn" role="alert" data-notice="save-error">
        <span>
          <strong>Not saved.</strong> {state.message}
        </span>
        <button type="button" className="button secondary" onClick={() => save.save()}>
          Try again
        </button>
      </div>
    );
  }
  return null;
}
