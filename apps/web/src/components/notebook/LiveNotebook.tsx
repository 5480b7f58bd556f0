"use client";

import { type ReactNode, useCallback, useMemo, useState, useSyncExternalStore } from "react";
import type { ShortcutAction } from "@/sandbox/protocol";
import { AddCellBar } from "./AddCellBar";
import { CellOverlay } from "./CellOverlay";
import type { EditorKeys } from "./CodeEditor";
import { estimateSlotHeight } from "./editor-metrics";
import { KeyboardHelp } from "./KeyboardHelp";
import { NotebookToolbar } from "./NotebookToolbar";
import { NotebookStore } from "./notebook-store";
import { SandboxNotice } from "./SandboxNotice";
import { SaveNotice } from "./SaveNotice";
import { type SaveTarget, useNotebookSave } from "./useNotebookSave";
import { useNotebookShortcuts } from "./useNotebookShortcuts";
import { useSandboxSession } from "./useSandboxSession";

export type Trust = "own" | "lesson" | "shared";

export interface LiveNotebookProps {
  readonly content: string;
  readonly saveTarget: SaveTarget | null;
  readonly trust: Trust;
  /** The server-rendered notebook, shown until the sandbox has laid out the live one. */
  readonly fallback: ReactNode;
}

const READ_ONLY_NOTES: Record<Trust, string | null> = {
  own: null,
  lesson: "Edits not saved",
  shared: "Read-only",
};

/**
 * The notebook editor. The sandbox iframe renders the whole notebook (prose and outputs) and
 * keeps an empty slot above each code cell; this shell lays its editors over those slots, at the
 * positions the sandbox reports, and tells the sandbox how tall each editor is. The text lives
 * here (NotebookStore), so it survives a sandbox restart; code runs in the sandbox only.
 */
export default function LiveNotebook({ content, saveTarget, trust, fallback }: LiveNotebookProps) {
  const editable = trust !== "shared";
  const [store] = useState(() => new NotebookStore(content, (cell) => estimateSlotHeight(cell)));
  const snapshot = useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot);
  const [helpOpen, setHelpOpen] = useState(false);
  const save = useNotebookSave(store, saveTarget);

  const keys = useMemo<Omit<EditorKeys, "run">>(
    () => ({
      save: () => void save.save(),
      runAll: () => store.runAll(),
      interrupt: () => store.interrupt(),
    }),
    [save.save, store],
  );
  const onShortcut = useCallback((action: ShortcutAction) => keys[action](), [keys]);
  const onEditCell = useCallback((id: string) => store.setEditing(id, true), [store]);
  const session = useSandboxSession({ store, run: true, editable, onShortcut, onEditCell });
  useNotebookShortcuts(keys, () => setHelpOpen(true));

  const { layout } = session;
  const paused = session.loaded?.state === "paused";
  const count = snapshot.cells.length;
  return (
    <>
      <NotebookToolbar
        session={session}
        save={saveTarget ? save : null}
        dirty={snapshot.dirty}
        readOnlyNote={READ_ONLY_NOTES[trust]}
        onRunAll={keys.runAll}
        onInterrupt={keys.interrupt}
        onHelp={() => setHelpOpen(true)}
      />
      <SandboxNotice session={session} onRunAll={keys.runAll} />
      <SaveNotice save={save} />
      {layout === null && fallback}
      <div className="live-notebook" data-live={layout !== null}>
        <div
          ref={session.hostRef}
          className="sandbox-host"
          style={{ height: layout?.height ?? 0 }}
        />
        <div className="cell-overlays">
          {snapshot.cells.map((item, index) => (
            <CellOverlay
              key={item.id}
              item={item}
              index={index}
              count={count}
              position={layout?.slots.get(item.id)}
              status={session.statuses.get(item.id)}
              stuck={session.stuck.has(item.id)}
              paused={paused}
              editable={editable}
              autoFocus={snapshot.focus === item.id}
              store={store}
              keys={keys}
              onHeight={session.reportSlotHeight}
            />
          ))}
        </div>
      </div>
      {editable && layout !== null && <AddCellBar store={store} count={count} />}
      <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}
