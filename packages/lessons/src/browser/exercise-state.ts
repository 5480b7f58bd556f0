import type { CellStatusEvent } from "@gradbook/notebook/browser";
import type { CheckOutcome } from "../exercises/check-run.js";
import { NOT_ATTEMPTED_MESSAGE } from "../exercises/check-run.js";
import type { Exercise } from "../exercises/lesson-format.js";
import type { ExerciseProgress, ExerciseStatus } from "../exercises/progress.js";

/** What a session knows of one exercise, from its cells' status events and its checks. */
export class ExerciseState {
  cell: CellStatusEvent | null = null;
  check: CellStatusEvent | null = null;
  outcome: CheckOutcome | null = null;
  /** Counts check runs, so an outdated run's result is dropped. */
  runs = 0;
  hintsShown = 0;
  solutionShown = false;

  constructor(readonly exercise: Exercise) {}

  progress(): ExerciseProgress {
    const { status, message } = this.verdict();
    return {
      name: this.exercise.name,
      status,
      message,
      hintsShown: this.hintsShown,
      hintCount: this.exercise.hints.length,
      solutionShown: this.solutionShown,
    };
  }

  /** The exercise cell speaks first (todo(), an error, a wait); then its check. */
  private verdict(): { status: ExerciseStatus; message: string } {
    const cell = this.cell;
    if (cell?.status === "error") {
      if (cell.error?.name === "NotAttempted") {
        return { status: "not-attempted", message: NOT_ATTEMPTED_MESSAGE };
      }
      return {
        status: "error",
        message: `Your code threw ${cell.error?.name ?? "an error"}: ${cell.error?.message ?? ""}`,
      };
    }
    if (cell?.status === "blocked") return blocked(cell);
    if (cell?.status !== "done") return checking();
    const check = this.check;
    if (check?.status === "error") {
      return {
        status: "error",
        message: `The check could not run: ${check.error?.message ?? "unknown error"}`,
      };
    }
    if (check?.status === "blocked") return blocked(check);
    if (check?.status !== "done" || !this.outcome) return checking();
    return this.outcome;
  }
}

function checking(): { status: ExerciseStatus; message: string } {
  return { status: "checking", message: "Checking…" };
}

function blocked(event: CellStatusEvent): { status: ExerciseStatus; message: string } {
  const names = event.waitingOn?.length
    ? event.waitingOn.map((name) => `\`${name}\``).join(", ")
    : "a cell above";
  return { status: "blocked", message: `Waiting on ${names}: a cell above has to run first.` };
}
