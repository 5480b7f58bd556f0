"use client";

import type { ReactNode } from "react";
import type { CellItem } from "./notebook-store";

export interface CellActionHandlers {
  run(): void;
  moveUp(): void;
  moveDown(): void;
  toggleCollapsed(): void;
  convert(): void;
  addBelow(): void;
  remove(): void;
  done(): void;
  /** "Make exercise…": offered on code cells of a lesson's author view. */
  makeExercise?(): void;
}

/** The buttons on a cell's header. Read-only notebooks only get Run. */
export function CellActions({
  item,
  first,
  last,
  editable,
  collapsible = true,
  on,
}: {
  readonly item: CellItem;
  readonly first: boolean;
  readonly last: boolean;
  readonly editable: boolean;
  /** False for cells always shown in full (an author's solution and check cells). */
  readonly collapsible?: boolean;
  readonly on: CellActionHandlers;
}) {
  const code = item.type === "code";
  return (
    <span className="cell-actions">
      {code ? (
        <IconButton label="Run cell (Shift+Enter)" onClick={on.run} className="run">
          ▶
        </IconButton>
      ) : (
        <button type="button" className="button quiet small" onClick={on.done}>
          Done
        </button>
      )}
      {editable && (
        <>
          <IconButton label="Move up" onClick={on.moveUp} disabled={first}>
            ↑
          </IconButton>
          <IconButton label="Move down" onClick={on.moveDown} disabled={last}>
            ↓
          </IconButton>
          {code && on.makeExercise && (
            <button type="button" className="button quiet small" onClick={on.makeExercise}>
              Make exercise…
            </button>
          )}
          {code && collapsible && (
            <IconButton
              label={item.collapsed ? "Show code" : "Hide code"}
              onClick={on.toggleCollapsed}
            >
              {item.collapsed ? "⊞" : "⊟"}
            </IconButton>
          )}
          <IconButton label={code ? "Convert to Markdown" : "Convert to code"} onClick={on.convert}>
            {code ? "M↓" : "{ }"}
          </IconButton>
          <IconButton label="Add a code cell below" onClick={on.addBelow}>
            +
          </IconButton>
          <IconButton label="Delete cell" onClick={on.remove} className="danger">
            ✕
          </IconButton>
        </>
      )}
    </span>
  );
}

function IconButton({
  label,
  onClick,
  disabled,
  className,
  children,
}: {
  readonly label: string;
  readonly onClick: () => void;
  readonly disabled?: boolean;
  readonly className?: string;
  readonly children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`icon-button ${className ?? ""}`}
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
    >
      {children}
    </button>
  );
}
