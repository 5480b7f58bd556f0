import type { CellRun } from "./cell-run.js";

type CellGenerator =
  | Generator<unknown, unknown, unknown>
  | AsyncGenerator<unknown, unknown, unknown>;

/**
 * Runs a generator cell to its end: each yielded value is shown as the cell's value as it comes,
 * one per animation frame at most (so a training loop that yields each epoch redraws live and
 * the page stays responsive), and the generator's return value holds the cell's outputs, which
 * the cells that read them get when the loop is done. Aborting the run stops the loop.
 */
export async function driveGenerator(
  generator: CellGenerator,
  run: CellRun,
  show: (value: unknown) => void,
): Promise<unknown> {
  let finished = false;
  try {
    for (;;) {
      const step = await generator.next();
      run.check();
      if (step.done) {
        finished = true;
        return step.value;
      }
      show(await step.value);
      await run.tick();
    }
  } finally {
    // Runs the generator's `finally` blocks (e.g. to release what the loop holds).
    if (!finished) Promise.resolve(generator.return(undefined)).catch(() => {});
  }
}

export function isGenerator(value: unknown): value is CellGenerator {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { return?: unknown }).return === "function"
  );
}
