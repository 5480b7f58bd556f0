import { CHECK, GRADED, prepareLesson, SOLUTION } from "@gradbook/lessons";
import {
  deleteCell,
  type Notebook,
  parseNotebook,
  serializeNotebook,
  updateCell,
} from "@gradbook/notebook";

/**
 * Graded work: every exercise of the lesson is checked by the server, so the copy students get
 * has no solution or check cells, and each exercise cell is marked `graded`. The instructor's
 * browser runs the same notebook with the solutions in place (`solutions: true`) to compute the
 * expected values. Throws @gradbook/lessons' LessonFormatError for exercises that don't hold
 * together. Used by the server (student copies) and the sandbox (reference runs).
 */
export function gradedNotebook(
  lesson: string | Notebook,
  options: { solutions: boolean },
): Notebook {
  let notebook = typeof lesson === "string" ? parseNotebook(lesson) : lesson;
  const { exercises } = prepareLesson(notebook);
  for (const exercise of exercises) {
    if (exercise.graded) continue;
    const cell = notebook.cells.find((c) => c.id === exercise.cellId);
    notebook = updateCell(notebook, exercise.cellId, {
      source: options.solutions ? exercise.solution : exercise.placeholder,
      attrs: { ...cell?.attrs, [GRADED]: true },
    });
    const helpers = notebook.cells.filter(
      (c) => c.attrs[SOLUTION] === exercise.name || c.attrs[CHECK] === exercise.name,
    );
    for (const helper of helpers) notebook = deleteCell(notebook, helper.id);
  }
  return notebook;
}

export function gradedLesson(lesson: string, options: { solutions: boolean }): string {
  return serializeNotebook(gradedNotebook(lesson, options));
}

/** The exercises of a lesson, with the names each defines (graded work submits those names). */
export function exercisesOf(
  lesson: string | Notebook,
): { name: string; names: readonly string[] }[] {
  return prepareLesson(gradedNotebook(lesson, { solutions: false })).exercises.map((e) => ({
    name: e.name,
    names: e.names ?? [],
  }));
}
