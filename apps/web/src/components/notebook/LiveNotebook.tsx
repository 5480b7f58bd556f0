"use client";

import { type ReactNode, useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { lessonProblems } from "@/lib/lesson-problems";
import type { SavedExerciseMessage, ShortcutAction } from "@/sandbox/protocol";
import { AddCellBar } from "./AddCellBar";
import { CellOverlay } from "./CellOverlay";
import type { EditorKeys } from "./CodeEditor";
import { estimateSlotHeight } from "./editor-metrics";
import { KeyboardHelp } from "./KeyboardHelp";
import { LessonProblemsBanner } from "./LessonProblemsBanner";
import { MakeExerciseDialog } from "./MakeExerciseDialog";
import { ModelConsentDialog } from "./ModelConsentDialog";
import { NotebookToolbar } from "./NotebookToolbar";
import { NotebookStore } from "./notebook-store";
import { SandboxNotice } from "./SandboxNotice";
import { SaveNotice } from "./SaveNotice";
import { useExerciseRecording } from "./useExerciseRecording";
import { useModelRequests } from "./useModelRequests";
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
  /** "author": an own lesson as its author writes it (every cell, run with the solutions). */
  readonly view?: "author" | "student";
  /** Set when this is an author's "Preview as student": turns the preview off. */
  readonly onExitPreview?: () => void;
  /** A shared notebook's link: its `models.load` reads the owner's models through it. */
  readonly shareId?: string;
  /** The viewer's saved progress in their own notebook: hints and solutions already seen. */
  readonly savedProgress?: readonly SavedExerciseMessage[];
}

/** While the author previews, their own editor's shortcuts rest (the preview has its own). */
const RESTING_KEYS: Omit<EditorKeys, "run"> = { save() {}, runAll() {}, interrupt() {} };

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
export default function LiveNotebook({
  content,
  saveTarget,
  trust,
  fallback,
  view,
  onExitPreview,
  shareId,
  savedProgress,
}: LiveNotebookProps) {
  const editable = trust !== "shared";
  const author = view === "author" && editable;
  /** The notebook as previewed ("Preview as student"), or null: the author's own view. */
  const [preview, setPreview] = useState<string | null>(null);
  const [exerciseFor, setExerciseFor] = useState<string | null>(null);
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
  const notebookId = saveTarget?.id ?? null;
  const models = useModelRequests({ notebookId, shareId: shareId ?? null });
  // Progress is saved, and graded answers submitted, in the viewer's own notebook only.
  const recording = useExerciseRecording(
    trust === "own" && !author ? notebookId : null,
    savedProgress,
  );
  const session = useSandboxSession({
    store,
    run: true,
    editable,
    view: author ? "author" : "student",
    onShortcut,
    onEditCell,
    notebookId,
    onModelRequest: models.handle,
    saved: recording.saved,
    onGradingRequest: recording.onGradingRequest,
  });
  useNotebookShortcuts(preview === null ? keys : RESTING_KEYS, () => {
    if (preview === null) setHelpOpen(true);
  });
  const isLesson = author && snapshot.cells.some((cell) => cell.role !== null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the snapshot changes with the text
  const problems = useMemo(
    () => (isLesson ? lessonProblems(store.notebook) : []),
    [isLesson, store, snapshot],
  );
  const onMakeExercise = useCallback((id: string) => setExerciseFor(id), []);

  if (preview !== null) {
    // The author's sandbox closes (its host unmounts) and a fresh one loads on the way back;
    // the author's text, save state and version stay here.
    return (
      <LiveNotebook
        content={preview}
        saveTarget={null}
        trust="lesson"
        view="student"
        fallback={fallback}
        onExitPreview={() => setPreview(null)}
      />
    );
  }

  const { layout } = session;
  const paused = session.loaded?.state === "paused";
  const count = snapshot.cells.length;
  return (
    <>
      <NotebookToolbar
        session={session}
        save={saveTarget ? save : null}
        dirty={snapshot.dirty}
        readOnlyNote={onExitPreview ? "Student preview · edits not saved" : READ_ONLY_NOTES[trust]}
        onRunAll={keys.runAll}
        onInterrupt={keys.interrupt}
        onHelp={() => setHelpOpen(true)}
        preview={
          onExitPreview
            ? { active: true, toggle: onExitPreview }
            : isLesson
              ? { active: false, toggle: () => setPreview(store.serialize()) }
              : undefined
        }
      />
      {author && <LessonProblemsBanner problems={problems} />}
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
              author={author}
              onMakeExercise={author ? onMakeExercise : undefined}
            />
          ))}
        </div>
      </div>
      {editable && layout !== null && <AddCellBar store={store} count={count} />}
      <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <ModelConsentDialog consent={models.consent} />
      {author && (
        <MakeExerciseDialog
          store={store}
          cellId={exerciseFor}
          onClose={() => setExerciseFor(null)}
        />
      )}
    </>
  );
}
