"use client";

import { memo, useLayoutEffect, useMemo, useRef } from "react";
import type { SlotPosition } from "@/sandbox/protocol";
import { AuthorCellStatus } from "./AuthorCellStatus";
import { type CellActionHandlers, CellActions } from "./CellActions";
import { CellStatusLabel, isNotAttempted } from "./CellStatusLabel";
import { CodeEditor, type EditorKeys } from "./CodeEditor";
import type { CellItem, NotebookStore } from "./notebook-store";
import type { RunStatus } from "./useSandboxSession";

export interface CellOverlayProps {
  readonly item: CellItem;
  readonly index: number;
  readonly count: number;
  /** Where the sandbox keeps this cell's slot; the overlay stays invisible until it is known. */
  readonly position: SlotPosition | undefined;
  readonly status: RunStatus | undefined;
  readonly stuck: boolean;
  readonly paused: boolean;
  readonly editable: boolean;
  readonly autoFocus: boolean;
  readonly store: NotebookStore;
  readonly keys: Omit<EditorKeys, "run">;
  readonly onHeight: (id: string, height: number) => void;
  /** The author view of a lesson: exercise cells labelled, solutions and checks in full. */
  readonly author?: boolean;
  /** Opens "Make exercise…" for a cell (author view). */
  readonly onMakeExercise?: (id: string) => void;
}

/**
 * A cell's editor with its header (status, actions), laid over the slot the sandbox keeps above
 * the cell's output. Markdown cells have no overlay until opened for editing: the sandbox
 * renders their text. The overlay's measured height is the slot's height.
 */
export const CellOverlay = memo(function CellOverlay(props: CellOverlayProps) {
  const { item, position, status, store, onHeight } = props;
  const element = useRef<HTMLDivElement>(null);
  const shown = item.type === "code" || item.editing;
  const { author, onMakeExercise } = props;
  // An author always sees a solution or check in full (its `hidden` is for students).
  const alwaysOpen =
    author === true && (item.role?.kind === "solution" || item.role?.kind === "check");
  const collapsed = item.collapsed && !alwaysOpen;

  useLayoutEffect(() => {
    const overlay = element.current;
    if (!overlay) return;
    const report = () => onHeight(item.id, overlay.offsetHeight);
    report();
    const observer = new ResizeObserver(report);
    observer.observe(overlay);
    return () => observer.disconnect();
  }, [item.id, onHeight]);

  const on = useMemo<CellActionHandlers>(
    () => ({
      run: () => store.runCell(item.id),
      moveUp: () => store.moveCell(item.id, -1),
      moveDown: () => store.moveCell(item.id, 1),
      toggleCollapsed: () => store.toggleCollapsed(item.id),
      convert: () => store.convertCell(item.id),
      addBelow: () => store.insertCell(props.index + 1, "code"),
      remove: () => store.deleteCell(item.id),
      done: () => store.setEditing(item.id, false),
      makeExercise:
        author && onMakeExercise && item.type === "code" && !item.role
          ? () => onMakeExercise(item.id)
          : undefined,
    }),
    [store, item.id, item.type, item.role, props.index, author, onMakeExercise],
  );
  const keys = useMemo<EditorKeys>(() => ({ ...props.keys, run: on.run }), [props.keys, on]);
  const running = status?.status === "running" && !props.paused;
  const lines = item.source.split("\n").length;

  return (
    <div
      ref={element}
      className="cell-overlay"
      hidden={!shown}
      data-cell-id={item.id}
      data-type={item.type}
      data-exercise-role={item.role?.kind}
      data-status={
        props.stuck ? "stuck" : isNotAttempted(status) ? "todo" : (status?.status ?? "none")
      }
      data-positioned={position !== undefined}
      style={position && { top: position.top, left: position.left, width: position.width }}
    >
      <div className="cell-header">
        {item.type === "code" && author && item.role ? (
          <AuthorCellStatus
            item={item}
            role={item.role}
            status={status}
            stuck={props.stuck}
            paused={props.paused}
          />
        ) : item.type === "code" ? (
          <CellStatusLabel item={item} status={status} stuck={props.stuck} paused={props.paused} />
        ) : (
          <span className="cell-status">Markdown · Shift+Enter when done</span>
        )}
        <CellActions
          item={item}
          first={props.index === 0}
          last={props.index === props.count - 1}
          editable={props.editable}
          collapsible={!alwaysOpen}
          on={on}
        />
      </div>
      {collapsed ? (
        <button type="button" className="collapsed-code" onClick={on.toggleCollapsed}>
          Code hidden ({lines} {lines === 1 ? "line" : "lines"}) · show
        </button>
      ) : shown ? (
        <CodeEditor
          cellId={item.id}
          language={item.type === "code" ? "javascript" : "markdown"}
          value={item.source}
          readOnly={!props.editable}
          label={`${item.type === "code" ? "Code" : "Markdown"} cell ${props.index + 1}`}
          // A hidden overlay (not placed yet) can't take focus: wait until it is placed.
          focus={props.autoFocus && position !== undefined}
          onChange={(source) => store.setSource(item.id, source)}
          keys={keys}
        />
      ) : null}
      {running && <div className="cell-progress" aria-hidden="true" />}
    </div>
  );
});
