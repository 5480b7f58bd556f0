import { LessonFormatError, prepareLesson } from "@gradbook/lessons";
import { type Cell, compileCell, type Notebook } from "@gradbook/notebook";
import { type ExerciseRole, exerciseRole, type RoleKind, roleKinds } from "./exercise-roles";
import { HINT_PLACEHOLDERS } from "./exercise-trio";

/**
 * What stops a notebook's exercises from working as a lesson, in plain words, each with the
 * cell to fix: the author view shows them in a banner. Every exercise is checked on its own
 * (prepareLesson stops at the first problem; an author wants them all), and so are the parts
 * an author still has to finish (a check's todo(), placeholder hints).
 */

export interface LessonProblem {
  readonly message: string;
  /** The cell to go to. */
  readonly cellId: string;
}

const WHAT: Record<RoleKind, string> = {
  exercise: "exercise cell",
  solution: "solution cell",
  check: "check cell",
};

export function lessonProblems(notebook: Notebook): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const exercises = new Map<string, { role: ExerciseRole; cell: Cell }[]>();
  notebook.cells.forEach((cell, index) => {
    const kinds = roleKinds(cell.attrs);
    const role = exerciseRole(cell.attrs);
    if (!role) return;
    if (kinds.length > 1) {
      problems.push({
        message: `Code cell ${index + 1} is marked ${kinds.join(" and ")}: a cell plays one part in one exercise.`,
        cellId: cell.id,
      });
      return;
    }
    if (role.name === "") {
      problems.push({
        message: `Code cell ${index + 1} is marked ${role.kind} without a name: write ${role.kind}=name, with its exercise's name.`,
        cellId: cell.id,
      });
      return;
    }
    const parts = exercises.get(role.name) ?? [];
    parts.push({ role, cell });
    exercises.set(role.name, parts);
  });
  for (const [name, parts] of exercises) problems.push(...exerciseProblems(name, parts));
  const order = new Map(notebook.cells.map((cell, i) => [cell.id, i]));
  return problems.sort((a, b) => (order.get(a.cellId) ?? 0) - (order.get(b.cellId) ?? 0));
}

function exerciseProblems(
  name: string,
  parts: readonly { role: ExerciseRole; cell: Cell }[],
): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const cells: Partial<Record<RoleKind, Cell>> = {};
  for (const { role, cell } of parts) {
    if (cells[role.kind]) {
      problems.push({
        message: `Exercise "${name}" has two ${WHAT[role.kind]}s: keep one (or rename the other's exercise).`,
        cellId: cell.id,
      });
    } else {
      cells[role.kind] = cell;
    }
  }
  if (cells.exercise && exerciseRole(cells.exercise.attrs)?.graded) {
    // Graded on the server: the exercise cell alone; prepareLesson says what else is wrong.
    if (problems.length > 0) return problems;
    return prepared(
      name,
      parts.map((part) => part.cell),
      cells,
    );
  }
  const missing = (["exercise", "solution", "check"] as const).filter((kind) => !cells[kind]);
  for (const kind of missing) {
    problems.push({
      message: `Exercise "${name}" has no ${WHAT[kind]} (a code cell marked ${kind}=${name}).`,
      cellId: parts[0].cell.id,
    });
  }
  if (problems.length > 0) return problems;

  const { exercise, solution, check } = cells as Record<RoleKind, Cell>;
  const invalid = prepared(name, [exercise, solution, check], cells);
  if (invalid.length > 0) return invalid;
  if (callsTodo(check.source)) {
    problems.push({
      message: `The check for "${name}" still calls todo(): write the value the answer should equal.`,
      cellId: check.id,
    });
  }
  if (HINT_PLACEHOLDERS.some((hint) => solution.source.includes(hint))) {
    problems.push({
      message: `The hints for "${name}" are still to write: a nudge first, then nearly the answer (the // hint: lines of its solution).`,
      cellId: solution.id,
    });
  }
  return problems;
}

/** What prepareLesson finds wrong with one exercise's cells. */
function prepared(
  name: string,
  group: readonly Cell[],
  cells: Partial<Record<RoleKind, Cell>>,
): LessonProblem[] {
  try {
    prepareLesson({ frontMatter: {}, cells: group, warnings: [] });
    return [];
  } catch (error) {
    if (!(error instanceof LessonFormatError)) throw error;
    return [plainProblem(name, error.message, cells)];
  }
}

/** prepareLesson's message for one exercise, said plainly, at the cell it is about. */
function plainProblem(
  name: string,
  message: string,
  cells: Partial<Record<RoleKind, Cell>>,
): LessonProblem {
  const at = (kind: RoleKind) => (cells[kind] ?? cells.exercise ?? Object.values(cells)[0])!.id;
  const detail = message.replace(/^exercise "[^"]*": /, "");
  const names = /the exercise cell defines \[(.*)\] but its solution defines \[(.*)\]/.exec(detail);
  if (names) {
    const list = (text: string) => (text ? text : "nothing");
    return {
      message: `The solution for "${name}" defines other names than the exercise: the exercise cell defines ${list(names[1])}, the solution ${list(names[2])}.`,
      cellId: at("solution"),
    };
  }
  if (detail.startsWith("its check reads none")) {
    return {
      message: `The check for "${name}" reads none of the names the exercise defines, so it would not re-run when a student edits the exercise.`,
      cellId: at("check"),
    };
  }
  const compile = /^the (exercise cell|solution|check cell) does not compile: (.*)$/s.exec(detail);
  if (compile) {
    const kind: RoleKind =
      compile[1] === "solution" ? "solution" : compile[1] === "check cell" ? "check" : "exercise";
    return {
      message: `The ${WHAT[kind]} of "${name}" does not compile: ${compile[2]}`,
      cellId: at(kind),
    };
  }
  const plain = detail === message ? message : `exercise "${name}": ${detail}`;
  return { message: plain.charAt(0).toUpperCase() + plain.slice(1), cellId: at("exercise") };
}

function callsTodo(source: string): boolean {
  try {
    return compileCell(source).inputs.includes("todo");
  } catch {
    return false; // reported as not compiling
  }
}
