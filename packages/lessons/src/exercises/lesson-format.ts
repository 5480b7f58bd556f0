import {
  type Cell,
  compileCell,
  type Notebook,
  parseNotebook,
  updateCell,
} from "@gradbook/notebook";

/**
 * Exercises in the notebook format. Three code cells make an exercise, tied by its name:
 *
 *     ```js exercise=ones                the cell the student edits; starts with todo()
 *     ```js solution=ones hidden         the reference solution; `// hint:` lines are hints
 *     ```js check=ones hidden            calls check(actual, expected) on the student's names
 *
 * `prepareLesson` turns a lesson into what the runtime runs: solution cells are left out (they
 * define the same names as the exercise) and each check cell reports to the session that ran
 * it. "Show solution" puts the solution's code in the exercise cell.
 */

export const EXERCISE = "exercise";
export const SOLUTION = "solution";
export const CHECK = "check";
/**
 * Marks an exercise checked by the server (graded work): its exercise cell has no solution or
 * check cell beside it; instead a submit cell sends the names it defines to the app.
 */
export const GRADED = "graded";
/** The builtin a prepared check cell calls (see `checkCellSource`). */
export const CHECK_BUILTIN = "__checkExercise";
/** The builtin a graded exercise's submit cell calls (see `submitCellSource`). */
export const SUBMIT_BUILTIN = "__submitExercise";

const HINT_LINE = /^\s*\/\/\s*hint:\s?(.*)$/i;

export interface Exercise {
  readonly name: string;
  /** The cell the student edits. */
  readonly cellId: string;
  /** The exercise cell as the lesson gives it (with its todo()). */
  readonly placeholder: string;
  /** The reference solution, without its hint lines. */
  readonly solution: string;
  /** Hints in the order they are revealed (Markdown). */
  readonly hints: readonly string[];
  /** The hidden cell that checks the answer (for a graded exercise, the submit cell made for it). */
  readonly checkCellId: string;
  /** Checked by the server: no solution or hints here; the submit cell sends `names`. */
  readonly graded?: true;
  /** What the exercise cell defines (graded exercises: what is submitted). */
  readonly names?: readonly string[];
}

/** A cell as the notebook runtime takes it. */
export type RuntimeCell = Pick<Cell, "id" | "type" | "source">;

export interface PreparedLesson {
  readonly notebook: Notebook;
  /** The cells the runtime runs: no solution cells, and check cells wrapped to report. */
  readonly cells: readonly RuntimeCell[];
  readonly exercises: readonly Exercise[];
}

/** A lesson whose exercises don't hold together; says which cell and what to fix. */
export class LessonFormatError extends Error {
  override name = "LessonFormatError";
}

export function prepareLesson(lesson: string | Notebook): PreparedLesson {
  const notebook = typeof lesson === "string" ? parseNotebook(lesson) : lesson;
  const exercises = findExercises(notebook);
  const checkCells = new Map(exercises.map((exercise) => [exercise.checkCellId, exercise.name]));
  const graded = new Map(exercises.filter((e) => e.graded).map((e) => [e.cellId, e]));
  const cells = notebook.cells
    .filter((cell) => role(cell)?.kind !== SOLUTION)
    .flatMap((cell): RuntimeCell[] => {
      const name = checkCells.get(cell.id);
      const source = name === undefined ? cell.source : checkCellSource(name, cell.source);
      const own: RuntimeCell = { id: cell.id, type: cell.type, source };
      const exercise = graded.get(cell.id);
      if (!exercise) return [own];
      const submit = submitCellSource(exercise.name, exercise.names ?? []);
      return [own, { id: exercise.checkCellId, type: "code", source: submit }];
    });
  return { notebook, cells, exercises };
}

/** The lesson with every exercise cell holding its reference solution. */
export function withSolutions(lesson: string | Notebook): Notebook {
  const notebook = typeof lesson === "string" ? parseNotebook(lesson) : lesson;
  return findExercises(notebook)
    .filter((exercise) => !exercise.graded)
    .reduce(
      (nb, exercise) => updateCell(nb, exercise.cellId, { source: exercise.solution }),
      notebook,
    );
}

/**
 * A check cell's code as the runtime runs it: inside a function that gets this exercise's
 * `check`, so its declarations stay local and its result goes to the right exercise.
 */
export function checkCellSource(name: string, source: string): string {
  return `await ${CHECK_BUILTIN}(${JSON.stringify(name)}, async (check) => {\n${source}\n});`;
}

/** A graded exercise's submit cell: re-runs when its names change and sends their values. */
export function submitCellSource(name: string, names: readonly string[]): string {
  return `await ${SUBMIT_BUILTIN}(${JSON.stringify(name)}, { ${names.join(", ")} });`;
}

/** The id of the submit cell made for a graded exercise cell (not a cell of the notebook). */
export function submitCellId(exerciseCellId: string): string {
  return `${exerciseCellId}--submit`;
}

/** A solution cell's hints (`// hint: ...` lines) and its code without them. */
export function splitHints(source: string): { code: string; hints: string[] } {
  const hints: string[] = [];
  const code: string[] = [];
  for (const line of source.split("\n")) {
    const hint = HINT_LINE.exec(line);
    if (hint) hints.push(hint[1].trim());
    else code.push(line);
  }
  return { code: code.join("\n").trim(), hints };
}

interface Role {
  readonly kind: typeof EXERCISE | typeof SOLUTION | typeof CHECK;
  readonly name: string;
}

function role(cell: Cell): Role | null {
  const kinds = [EXERCISE, SOLUTION, CHECK] as const;
  const found = kinds.filter((kind) => cell.attrs[kind] !== undefined);
  if (found.length === 0) return null;
  if (found.length > 1) {
    throw new LessonFormatError(`cell "${cell.id}" has more than one of ${found.join(", ")}`);
  }
  const kind = found[0];
  const name = cell.attrs[kind];
  if (typeof name !== "string") {
    throw new LessonFormatError(
      `cell "${cell.id}": "${kind}" needs the exercise's name (${kind}=name)`,
    );
  }
  return { kind, name };
}

function findExercises(notebook: Notebook): Exercise[] {
  const byName = new Map<string, Partial<Record<Role["kind"], Cell>>>();
  for (const cell of notebook.cells) {
    const found = role(cell);
    if (!found) continue;
    const parts = byName.get(found.name) ?? {};
    if (parts[found.kind]) {
      throw new LessonFormatError(`exercise "${found.name}" has two ${found.kind} cells`);
    }
    parts[found.kind] = cell;
    byName.set(found.name, parts);
  }
  const taken = new Set(notebook.cells.map((cell) => cell.id));
  return [...byName].map(([name, parts]) => {
    const { exercise, solution, check } = parts;
    if (exercise?.attrs[GRADED] !== undefined) return gradedExercise(name, parts, taken);
    for (const [kind, cell] of [
      [EXERCISE, exercise],
      [SOLUTION, solution],
      [CHECK, check],
    ] as const) {
      if (!cell) throw new LessonFormatError(`exercise "${name}" has no ${kind}=${name} cell`);
    }
    const { code, hints } = splitHints(solution!.source);
    checkSameNames(name, exercise!.source, code);
    checkReadsExercise(name, exercise!.source, check!.source);
    return {
      name,
      cellId: exercise!.id,
      placeholder: exercise!.source,
      solution: code,
      hints,
      checkCellId: check!.id,
    };
  });
}

/** A graded exercise: its exercise cell alone, submitted by a cell the session adds. */
function gradedExercise(
  name: string,
  parts: Partial<Record<Role["kind"], Cell>>,
  taken: ReadonlySet<string>,
): Exercise {
  const exercise = parts[EXERCISE]!;
  for (const kind of [SOLUTION, CHECK] as const) {
    if (parts[kind]) {
      throw new LessonFormatError(
        `exercise "${name}" is graded (checked by the server), so it has no ${kind}=${name} cell`,
      );
    }
  }
  const names = compiled(name, exercise.source, "exercise cell").outputs;
  if (names.length === 0) {
    throw new LessonFormatError(
      `exercise "${name}" is graded but its cell defines no name, so there is nothing to submit`,
    );
  }
  const checkCellId = submitCellId(exercise.id);
  if (taken.has(checkCellId)) {
    throw new LessonFormatError(`exercise "${name}": a cell already has the id "${checkCellId}"`);
  }
  return {
    name,
    cellId: exercise.id,
    placeholder: exercise.source,
    solution: "",
    hints: [],
    checkCellId,
    graded: true,
    names: [...names].sort(),
  };
}

function compiled(name: string, source: string, which: string) {
  try {
    return compileCell(source);
  } catch (error) {
    throw new LessonFormatError(
      `exercise "${name}": the ${which} does not compile: ${String(error)}`,
    );
  }
}

/** Showing the solution must define what the exercise defines, or later cells would break. */
function checkSameNames(name: string, placeholder: string, solution: string): void {
  const outputs = (source: string, which: string) =>
    [...compiled(name, source, which).outputs].sort().join(", ");
  const wanted = outputs(placeholder, "exercise cell");
  const given = outputs(solution, "solution");
  if (wanted !== given) {
    throw new LessonFormatError(
      `exercise "${name}": the exercise cell defines [${wanted}] but its solution defines [${given}]`,
    );
  }
}

/** A check re-runs when a name it reads changes: it must read what the exercise defines. */
function checkReadsExercise(name: string, placeholder: string, check: string): void {
  const outputs = compiled(name, placeholder, "exercise cell").outputs;
  const inputs = compiled(name, check, "check cell").inputs;
  if (outputs.length > 0 && !outputs.some((output) => inputs.includes(output))) {
    throw new LessonFormatError(
      `exercise "${name}": its check reads none of the names the exercise defines (${outputs.join(", ")}), so it would not re-run when the student edits the exercise`,
    );
  }
}
