import {
  type Cell,
  type CellAttrs,
  compileCell,
  insertCell,
  type Notebook,
  updateCell,
} from "@gradbook/notebook";
import { exerciseRole } from "./exercise-roles";

/**
 * "Make exercise…": turns a code cell into the three cells of an exercise (see
 * @gradbook/lessons). The cell keeps its place and becomes the exercise, with a `todo()` for
 * each name it declares; its code becomes the solution, with two hint lines to write; a check
 * compares each name with an expected value still to write. Pure, on the notebook format.
 */

export class ExerciseTrioError extends Error {
  override name = "ExerciseTrioError";
}

/** Hints the author still has to write (lesson-problems.ts reports them while they remain). */
export const HINT_PLACEHOLDERS = [
  "(write a nudge: which idea or function to use)",
  "(write nearly the answer)",
] as const;

const EXERCISE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export interface ExerciseTrio {
  readonly notebook: Notebook;
  readonly exerciseId: string;
  readonly solutionId: string;
  readonly checkId: string;
}

/** A name to offer: the first name the cell declares, else "exercise". */
export function suggestExerciseName(source: string): string {
  try {
    const first = compileCell(source).outputs[0];
    if (first && EXERCISE_NAME.test(first)) return first;
  } catch {
    // Doesn't compile: makeExercise says so.
  }
  return "exercise";
}

export function makeExercise(notebook: Notebook, cellId: string, rawName: string): ExerciseTrio {
  const index = notebook.cells.findIndex((cell) => cell.id === cellId);
  const cell = notebook.cells[index];
  if (!cell) throw new ExerciseTrioError(`There is no cell "${cellId}" any more.`);
  if (cell.type !== "code") throw new ExerciseTrioError("Only a code cell can become an exercise.");
  const role = exerciseRole(cell.attrs);
  if (role) {
    throw new ExerciseTrioError(`This cell is already part of exercise "${role.name}".`);
  }
  const name = rawName.trim();
  checkName(notebook, name);
  const names = declaredNames(cell);

  const { hidden: _hidden, ...kept } = cell.attrs;
  const exerciseAttrs: CellAttrs = { ...kept, exercise: name };
  let next = updateCell(notebook, cellId, { source: placeholder(names), attrs: exerciseAttrs });
  next = insertCell(next, index + 1, {
    source: solution(cell.source),
    attrs: { solution: name, hidden: true },
  });
  next = insertCell(next, index + 2, {
    source: check(names),
    attrs: { check: name, hidden: true },
  });
  return {
    notebook: next,
    exerciseId: cellId,
    solutionId: next.cells[index + 1].id,
    checkId: next.cells[index + 2].id,
  };
}

function checkName(notebook: Notebook, name: string): void {
  if (name === "") throw new ExerciseTrioError("Give the exercise a name, such as grid.");
  if (!EXERCISE_NAME.test(name)) {
    throw new ExerciseTrioError(
      `"${name}" can't name an exercise: use letters, digits, _ and - (starting with a letter), such as grid or loss-fn.`,
    );
  }
  const taken = notebook.cells.some((other) => exerciseRole(other.attrs)?.name === name);
  if (taken) {
    throw new ExerciseTrioError(
      `There is already an exercise named "${name}": choose another name.`,
    );
  }
}

/** The top-level names the cell defines: what the student will write. */
function declaredNames(cell: Cell): readonly string[] {
  let outputs: readonly string[];
  try {
    outputs = compileCell(cell.source).outputs;
  } catch (error) {
    throw new ExerciseTrioError(
      `This cell doesn't compile (${(error as Error).message}): fix it first, then make it an exercise.`,
    );
  }
  if (outputs.length === 0) {
    throw new ExerciseTrioError(
      "This cell defines no top-level name (such as `const grid = ...`): an exercise asks the student for one, and its check reads it.",
    );
  }
  return outputs;
}

function placeholder(names: readonly string[]): string {
  return names.map((name) => `const ${name} = todo();`).join("\n");
}

function solution(code: string): string {
  return [...HINT_PLACEHOLDERS.map((hint) => `// hint: ${hint}`), code].join("\n");
}

function check(names: readonly string[]): string {
  return names
    .map(
      (name) =>
        `check(${name}, todo("the expected value of ${name}"), { name: ${JSON.stringify(name)} });`,
    )
    .join("\n");
}
