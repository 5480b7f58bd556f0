import { type CheckOptions, compare } from "./compare.js";
import { isNotAttempted } from "./todo.js";

/**
 * One run of an exercise's check: the check cell's code calls `check(actual, expected)` any
 * number of times; the exercise passes when every comparison does, and otherwise reports the
 * first problem in the order the checks were written.
 */

/** `check(actual, expected, options)`: resolves to whether they match (it never rejects). */
export type CheckFunction = (
  actual: unknown,
  expected: unknown,
  options?: CheckOptions,
) => Promise<boolean>;

export type CheckStatus = "passed" | "failed" | "not-attempted";

export interface CheckOutcome {
  readonly status: CheckStatus;
  readonly message: string;
}

export const PASSED_MESSAGE = "Correct!";
export const NOT_ATTEMPTED_MESSAGE = "Not attempted yet: replace todo() with your code.";

export async function runCheck(
  body: (check: CheckFunction) => unknown,
  isInterrupted: (error: unknown) => boolean = () => false,
): Promise<CheckOutcome> {
  const results: Promise<string | null>[] = [];
  const check: CheckFunction = (actual, expected, options) => {
    const result = compare(actual, expected, options);
    results.push(result);
    // Rejections are reported through `results`; the caller's promise only says pass or fail.
    return result.then(
      (problem) => problem === null,
      () => false,
    );
  };
  try {
    await body(check);
    if (results.length === 0) {
      return { status: "failed", message: "This check compares nothing: a bug in the lesson." };
    }
    for (const result of results) {
      const problem = await result;
      if (problem !== null) return { status: "failed", message: problem };
    }
  } catch (error) {
    if (isInterrupted(error)) throw error;
    // A check that failed before the code threw says more than the error it led to.
    for (const result of results) {
      const problem = await result.catch(() => null);
      if (problem !== null) return { status: "failed", message: problem };
    }
    return outcomeOfError(error);
  }
  return { status: "passed", message: PASSED_MESSAGE };
}

/** A student's code that throws while being checked: `todo()` left in, or a real error. */
export function outcomeOfError(error: unknown): CheckOutcome {
  if (isNotAttempted(error)) return { status: "not-attempted", message: NOT_ATTEMPTED_MESSAGE };
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  return { status: "failed", message: `Your code threw ${name}: ${message}` };
}
