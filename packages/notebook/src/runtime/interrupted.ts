/**
 * Why a cell's run stopped early: it was interrupted, edited, re-run or deleted. The runtime
 * aborts the run's `signal` with it, and `tick()`, `sleep()` and the run's timers throw it, so a
 * loop that awaits stops at its next `await`.
 */
export class Interrupted extends Error {
  override name = "Interrupted";
}

export function isInterrupted(error: unknown): error is Interrupted {
  return error instanceof Interrupted;
}
