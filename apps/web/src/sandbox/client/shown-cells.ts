import type { SandboxCell } from "../protocol";

/**
 * Cells the sandbox never shows: an exercise's solution (run only when the student asks for it)
 * and its check (its result shows under the exercise instead). The lesson session leaves them
 * out the same way, so a paused notebook looks like a running one.
 */
export function isShown(cell: SandboxCell): boolean {
  return cell.attrs.solution === undefined && cell.attrs.check === undefined;
}
