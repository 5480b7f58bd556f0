import type { CellStatus, CellStatusEvent } from "@gradbook/notebook/browser";
import type { LessonSession } from "../../src/browser.js";
import type { LessonProgress, SavedExercise } from "../../src/index.js";

/** What the test page exposes as `window.harness` (see entry.ts). */
export interface Harness {
  /** Runs a lesson (its Markdown) in #root, in a fresh session; with its solutions if asked. */
  start(
    markdown: string,
    options?: { solutions?: boolean; saved?: SavedExercise[]; grader?: boolean },
  ): void;
  /** What graded exercises submitted (with `grader`), as `tolist()`s. */
  submissions(): { exercise: string; values: Record<string, unknown> }[];
  session(): LessonSession;
  /** The latest progress the session reported through `onProgress`. */
  progress(): LessonProgress | null;
  /** How many progress reports the session made. */
  reports(): number;
  /** The exercises whose solution was shown, as `onSolutionShown` reported them. */
  solutionsShown(): string[];
  status(id: string): CellStatus | undefined;
  /** The last status event of every cell that is in error or blocked. */
  failures(): CellStatusEvent[];
  text(id: string): string;
  idle(): Promise<void>;
}

declare global {
  interface Window {
    harness: Harness;
  }
}
