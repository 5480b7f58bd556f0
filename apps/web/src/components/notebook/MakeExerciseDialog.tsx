"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { ExerciseTrioError, suggestExerciseName } from "@/lib/exercise-trio";
import type { NotebookStore } from "./notebook-store";

/**
 * "Make exercise…": asks for the exercise's name, then turns the cell into an exercise, its
 * solution and its check (NotebookStore.makeExercise). A name it can't take is explained and
 * the dialog stays open.
 */
export function MakeExerciseDialog({
  store,
  cellId,
  onClose,
}: {
  readonly store: NotebookStore;
  /** The cell to turn into an exercise; null: closed. */
  readonly cellId: string | null;
  readonly onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (cellId !== null && !element.open) {
      const source = store.notebook.cells.find((cell) => cell.id === cellId)?.source ?? "";
      setName(suggestExerciseName(source));
      setError(null);
      element.showModal();
    }
    if (cellId === null && element.open) element.close();
  }, [cellId, store]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (cellId === null) return;
    try {
      store.makeExercise(cellId, name);
      onClose();
    } catch (e) {
      if (!(e instanceof ExerciseTrioError)) throw e;
      setError(e.message);
    }
  };

  return (
    <dialog ref={dialog} className="make-exercise" onClose={onClose} aria-label="Make exercise">
      <form onSubmit={submit}>
        <h2>Make an exercise</h2>
        <p className="hint">
          This cell becomes the exercise (a <code>todo()</code> for each name it defines), its code
          the solution (with two hints to write), and a check compares the student's answer with the
          value you write.
        </p>
        <label>
          Exercise name
          <input
            name="exercise-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error !== null}
          />
        </label>
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button primary">
            Make exercise
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
