import type { ExerciseView, SandboxCell } from "../protocol";

/**
 * Cells a student never sees: an exercise's solution (run only when the student asks for it)
 * and its check (its result shows under the exercise instead). The lesson session leaves them
 * out the same way, so a paused notebook looks like a running one. Their author sees them all.
 */
export function isShown(cell: SandboxCell, view: ExerciseView = "student"): boolean {
  if (view === "author") return true;
  return cell.attrs.solution === undefined && cell.attrs.check === undefined;
}
