import { checkCellSource, runCheck } from "@gradbook/lessons";
import { type ExerciseHost, lessonBuiltins } from "@gradbook/lessons/browser";
import { isInterrupted } from "@gradbook/notebook/browser";
import { exerciseRole } from "../../lib/exercise-roles";
import type { SandboxCell } from "../protocol";

/**
 * A lesson as its author runs it: every cell shown, and the exercises run with their
 * solutions. The solution cell runs as written (its hints are comments), so its output is
 * under its code; the exercise cell (what a student starts from, with its todo()) does not run,
 * since it would define the same names; each check runs against the solution and its cell
 * fails with the check's message when the solution doesn't pass.
 */

/** The code the runtime runs for a cell in the author view. */
export function authorSource(cell: Pick<SandboxCell, "type" | "attrs">, source: string): string {
  if (cell.type !== "code") return source;
  const role = exerciseRole(cell.attrs);
  // A graded exercise has no solution to run in its place: it runs as the student gets it.
  if (role?.kind === "exercise" && !role.graded) return "";
  if (role?.kind === "check") return checkCellSource(role.name, source);
  return source;
}

/** A check that the solution doesn't pass: its cell shows the message. */
class CheckFailed extends Error {
  override name = "CheckFailed";
}

/** A check (or solution) that still calls todo(): the lesson is not finished. */
class CheckUnfinished extends Error {
  override name = "CheckUnfinished";
}

/** The course's builtins, with checks that report to their own cell instead of a session. */
export function authorBuiltins(): Record<string, unknown> {
  const host: ExerciseHost = {
    async runCheck(_name, body) {
      const outcome = await runCheck(body, isInterrupted);
      if (outcome.status === "passed") return;
      if (outcome.status === "not-attempted") {
        throw new CheckUnfinished(
          "This check (or its solution) still calls todo(): write the expected value.",
        );
      }
      throw new CheckFailed(outcome.message);
    },
    hint: () => null,
  };
  return lessonBuiltins(host);
}
