import type { ExerciseStatus } from "@gradbook/lessons";
import { sql } from "drizzle-orm";
import type { Database } from "../db/open";
import { type ExerciseResultRow, exerciseResults } from "../db/schema";

/**
 * Writes one exercise's result. A verdict (passed, failed, error) that differs from the stored
 * one counts as an attempt; the first sets `first_attempt_at`, the first pass `passed_at` (a
 * later failure doesn't take a pass back). `status: null` keeps the stored verdict: the browser
 * may not report one for a graded exercise, and "checking" is not one.
 */
export async function upsertResult(
  db: Database,
  row: {
    readonly notebookId: string;
    readonly exercise: string;
    readonly status: ExerciseStatus | null;
    readonly message: string | null;
    readonly hintsShown?: number;
    readonly solutionShown?: boolean;
    readonly checkedBy: "browser" | "server";
  },
): Promise<ExerciseResultRow> {
  const { status, message } = row;
  const verdict = status === "passed" || status === "failed" || status === "error";
  const now = new Date();
  const t = exerciseResults;
  const [saved] = await db
    .insert(t)
    .values({
      notebookId: row.notebookId,
      exercise: row.exercise,
      status: status ?? "not-attempted",
      message: status === null ? null : message,
      attempts: verdict ? 1 : 0,
      hintsShown: row.hintsShown ?? 0,
      solutionShown: row.solutionShown ?? false,
      checkedBy: row.checkedBy,
      firstAttemptAt: verdict ? now : null,
      passedAt: status === "passed" ? now : null,
    })
    .onConflictDoUpdate({
      target: [t.notebookId, t.exercise],
      set: {
        attempts: sql`${t.attempts} + case when ${verdict}::boolean and (${status}::text is distinct from ${t.status} or ${message}::text is distinct from ${t.message}) then 1 else 0 end`,
        firstAttemptAt: verdict
          ? sql`coalesce(${t.firstAttemptAt}, now())`
          : sql`${t.firstAttemptAt}`,
        passedAt: status === "passed" ? sql`coalesce(${t.passedAt}, now())` : sql`${t.passedAt}`,
        status: sql`coalesce(${status}::text, ${t.status})`,
        message: status === null ? sql`${t.message}` : sql`${message}::text`,
        checkedBy: status === null ? sql`${t.checkedBy}` : sql`${row.checkedBy}::checked_by`,
        hintsShown: sql`greatest(${t.hintsShown}, ${row.hintsShown ?? 0}::integer)`,
        solutionShown: sql`${t.solutionShown} or ${row.solutionShown ?? false}::boolean`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return saved;
}

/** A result as the API shows it. */
export function resultView(row: ExerciseResultRow) {
  return {
    exercise: row.exercise,
    status: row.status,
    message: row.message,
    attempts: row.attempts,
    hintsShown: row.hintsShown,
    solutionShown: row.solutionShown,
    checkedBy: row.checkedBy,
    firstAttemptAt: row.firstAttemptAt?.toISOString() ?? null,
    passedAt: row.passedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ResultView = ReturnType<typeof resultView>;
