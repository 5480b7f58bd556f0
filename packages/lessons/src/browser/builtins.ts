import { md } from "@gradbook/notebook/browser";
import { datasets } from "../datasets/index.js";
import type { CheckFunction } from "../exercises/check-run.js";
import { type CheckOptions, compare } from "../exercises/compare.js";
import { CHECK_BUILTIN, type Exercise, SUBMIT_BUILTIN } from "../exercises/lesson-format.js";
import { todo } from "../exercises/todo.js";

/** What the builtins need of the session that runs the lesson. */
export interface ExerciseHost {
  runCheck(name: string, body: (check: CheckFunction) => unknown): Promise<void>;
  /** A graded exercise's submit cell ran: its names' values go to the app to be checked. */
  runSubmit?(name: string, values: Readonly<Record<string, unknown>>): Promise<void>;
  hint(name?: string): { exercise: Exercise; hint: string; index: number } | null;
}

/**
 * The course's builtins, beside the notebook's: `datasets`, `todo()`, `check(actual, expected)`
 * (in a scratch cell it shows whether two values match; in a check cell it checks the
 * exercise), and `hint()`, which reveals the next hint of the current exercise.
 */
export function lessonBuiltins(host: ExerciseHost): Record<string, unknown> {
  return {
    datasets,
    todo,
    check: scratchCheck,
    hint: (name?: string) => hintView(host, name),
    [CHECK_BUILTIN]: (name: string, body: (check: CheckFunction) => unknown) =>
      host.runCheck(name, body),
    [SUBMIT_BUILTIN]: async (name: string, values: Readonly<Record<string, unknown>>) => {
      if (!host.runSubmit)
        throw new Error(`exercise "${name}" is graded, and nothing here grades it`);
      return host.runSubmit(name, values);
    },
  };
}

async function scratchCheck(
  actual: unknown,
  expected: unknown,
  options?: CheckOptions,
): Promise<HTMLElement> {
  const problem = await compare(actual, expected, options);
  const view = document.createElement("div");
  view.className = "gb-exercise gb-check-result";
  view.dataset.status = problem === null ? "passed" : "failed";
  view.textContent = problem === null ? "✓ They match." : `✗ ${problem}`;
  return view;
}

function hintView(host: ExerciseHost, name?: string): HTMLElement {
  const found = host.hint(name);
  if (!found) {
    const which = name === undefined ? "" : ` for \`${name}\``;
    return md(`No more hints${which}. Stuck? Use **Show solution** under the exercise.`);
  }
  const { exercise, hint, index } = found;
  const label = `**Hint ${index + 1} of ${exercise.hints.length}** (exercise \`${exercise.name}\`):`;
  return md(`${label} ${hint}`);
}
