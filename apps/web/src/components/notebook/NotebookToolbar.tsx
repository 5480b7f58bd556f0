"use client";

import { SandboxBadge } from "./SandboxBadge";
import type { NotebookSave } from "./useNotebookSave";
import type { SandboxSession } from "./useSandboxSession";

export interface NotebookToolbarProps {
  readonly session: SandboxSession;
  /** Null: this notebook can't be saved here (a lesson preview, someone else's notebook). */
  readonly save: NotebookSave | null;
  readonly dirty: boolean;
  readonly readOnlyNote: string | null;
  readonly onRunAll: () => void;
  readonly onInterrupt: () => void;
  readonly onHelp: () => void;
  /** "Preview as student", for a lesson's author: on, the page shows the student's view. */
  readonly preview?: { readonly active: boolean; readonly toggle: () => void };
}

/** Run all, Interrupt, Restart, Save and where cells run; sticks to the top while scrolling. */
export function NotebookToolbar(props: NotebookToolbarProps) {
  const { session, save } = props;
  const running = [...session.statuses.values()].some((s) => s.status === "running");
  return (
    <div className="notebook-toolbar" role="toolbar" aria-label="Notebook">
      <button type="button" className="button secondary small" onClick={props.onRunAll}>
        ▶ Run all
      </button>
      <button
        type="button"
        className="button secondary small"
        onClick={props.onInterrupt}
        disabled={!running}
        title="Stop running cells (Ctrl/⌘+.)"
      >
        ■ Interrupt
      </button>
      <button
        type="button"
        className="button secondary small"
        onClick={() => session.restart(true)}
        title="A fresh sandbox: clears every value and runs the notebook again"
      >
        ↻ Restart
      </button>
      {save ? (
        <span className="save-group">
          <button
            type="button"
            className="button primary small"
            onClick={() => save.save()}
            disabled={save.state.status === "saving"}
            title="Save (Ctrl/⌘+S)"
          >
            Save
          </button>
          <SaveStatus save={save} dirty={props.dirty} />
        </span>
      ) : (
        props.readOnlyNote && (
          <span className="toolbar-note" title={props.readOnlyNote}>
            {props.readOnlyNote}
          </span>
        )
      )}
      {props.preview && (
        <button
          type="button"
          className="button secondary small preview-toggle"
          aria-pressed={props.preview.active}
          onClick={props.preview.toggle}
          title={
            props.preview.active
              ? "Back to the author view (what you did here is not saved)"
              : "See and run the lesson as a student does: solutions and checks hidden"
          }
        >
          Preview as student
        </button>
      )}
      <span className="toolbar-spacer" />
      <SandboxBadge session={session} />
      <button
        type="button"
        className="icon-button"
        onClick={props.onHelp}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
      >
        ⌨
      </button>
    </div>
  );
}

function SaveStatus({ save, dirty }: { readonly save: NotebookSave; readonly dirty: boolean }) {
  const { state } = save;
  let text = dirty ? "Unsaved changes" : "All changes saved";
  if (state.status === "saving") text = "Saving…";
  else if (!dirty && state.status === "saved") text = `Saved · version ${state.version}`;
  return (
    <output className="save-status" data-save-status={dirty ? "dirty" : state.status}>
      {text}
    </output>
  );
}
