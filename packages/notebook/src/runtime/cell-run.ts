import type { RunGlobals } from "./cell-function.js";
import { Interrupted } from "./interrupted.js";

/**
 * One run of a cell: from the runtime calling its function until the cell is run again,
 * edited, deleted or interrupted. A run owns an AbortController; aborting it makes the run's
 * `tick()`, `sleep()`, timers and `display()` stop the cell's code at its next use, and rejects
 * the run's result at once so the runtime can move on even if the code never looks.
 */
export class CellRun {
  private readonly controller = new AbortController();
  private readonly timeouts = new Set<number>();
  private readonly intervals = new Set<number>();
  private readonly frames = new Set<number>();
  /** Rejects with the abort reason; raced against the cell's result. */
  private readonly aborted: Promise<never>;

  constructor(invalidation: Promise<unknown>) {
    this.aborted = new Promise<never>((_, reject) => {
      this.signal.addEventListener("abort", () => reject(this.signal.reason), { once: true });
    });
    this.aborted.catch(() => {});
    invalidation.then(() =>
      this.abort(new Interrupted("the cell was run again, edited or deleted")),
    );
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: Interrupted): void {
    if (this.signal.aborted) return;
    for (const id of this.timeouts) clearTimeout(id);
    for (const id of this.intervals) clearInterval(id);
    for (const id of this.frames) cancelAnimationFrame(id);
    this.controller.abort(reason);
  }

  /** Throws the abort reason if the run was aborted. */
  check(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** The cell's result, or a rejection as soon as the run is aborted (for async results). */
  guard(result: unknown): unknown {
    if (!isThenable(result)) return result;
    return Promise.race([result, this.aborted]);
  }

  /** Resolves at the next animation frame; rejects with `Interrupted` once the run is aborted. */
  readonly tick = (): Promise<number> =>
    this.wait((resolve) => {
      const id = requestAnimationFrame((time) => {
        this.frames.delete(id);
        resolve(time);
      });
      this.frames.add(id);
      return () => cancelAnimationFrame(id);
    });

  /** Resolves after `ms` milliseconds; rejects with `Interrupted` once the run is aborted. */
  readonly sleep = (ms = 0): Promise<void> =>
    this.wait((resolve) => {
      const id = window.setTimeout(() => {
        this.timeouts.delete(id);
        resolve();
      }, ms);
      this.timeouts.add(id);
      return () => clearTimeout(id);
    });

  private wait<T>(start: (resolve: (value: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.signal.aborted) return reject(this.signal.reason);
      const onAbort = () => {
        cancel();
        reject(this.signal.reason);
      };
      const cancel = start((value) => {
        this.signal.removeEventListener("abort", onAbort);
        resolve(value);
      });
      this.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * The browser's timers as the cell's code sees them: they never fire once the run is aborted.
   * `new Promise(requestAnimationFrame)` passes the promise's `reject` as a second argument, which
   * the browser ignores; here it rejects with `Interrupted`, so such a loop stops and unwinds.
   */
  readonly globals: RunGlobals = {
    requestAnimationFrame: (callback, reject) => {
      if (this.signal.aborted) {
        if (typeof reject === "function") reject(this.signal.reason);
        return 0;
      }
      const onAbort = () => {
        if (typeof reject === "function") reject(this.signal.reason);
      };
      const id = requestAnimationFrame((time) => {
        this.frames.delete(id);
        this.signal.removeEventListener("abort", onAbort);
        callback(time);
      });
      this.frames.add(id);
      this.signal.addEventListener("abort", onAbort, { once: true });
      return id;
    },
    setTimeout: (handler, timeout, ...args) => {
      if (this.signal.aborted) return 0;
      const id = window.setTimeout(
        (...values: unknown[]) => {
          this.timeouts.delete(id);
          callHandler(handler, values);
        },
        timeout,
        ...args,
      );
      this.timeouts.add(id);
      return id;
    },
    setInterval: (handler, timeout, ...args) => {
      if (this.signal.aborted) return 0;
      const id = window.setInterval(
        (...values: unknown[]) => callHandler(handler, values),
        timeout,
        ...args,
      );
      this.intervals.add(id);
      return id;
    },
  };
}

function callHandler(handler: TimerHandler, args: unknown[]): void {
  if (typeof handler !== "function") {
    throw new TypeError("a timer in a cell takes a function, not a string of code");
  }
  handler(...args);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
