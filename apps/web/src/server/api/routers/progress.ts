import { TRPCError } from "@trpc/server";
import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { parseAnswer, UngradableValue } from "../../../lib/answer-values";
import { exerciseNames } from "../../classrooms/exercise-lists";
import { gradeAnswer } from "../../classrooms/grading";
import { type ResultView, resultView, upsertResult } from "../../classrooms/results";
import type { Database } from "../../db/open";
import {
  type AssignmentRow,
  assignmentExpectations,
  assignments,
  exerciseResults,
  type NotebookRow,
  notebooks,
} from "../../db/schema";
import type { LessonLibrary } from "../../lessons";
import { ownedNotebook } from "../access";
import { notebookId } from "../inputs";
import { readProcedure, router, writeProcedure } from "../trpc";

const exerciseName = z.string().min(1).max(200);
const status = z.enum(["not-attempted", "checking", "passed", "failed", "error", "blocked"]);

async function assignmentOf(db: Database, notebook: NotebookRow): Promise<AssignmentRow | null> {
  if (notebook.assignmentId === null) return null;
  const [row] = await db
    .select()
    .from(assignments)
    .where(eq(assignments.id, notebook.assignmentId));
  return row ?? null;
}

/** The caller's own notebook (else a refusal naming `action`) and the assignment it is a copy of. */
async function ownedWork(
  db: Database,
  notebookId: string,
  userId: string | null,
  action: string,
): Promise<{ notebook: NotebookRow; assignment: AssignmentRow | null }> {
  const notebook = await ownedNotebook(db, notebookId, userId, action);
  return { notebook, assignment: await assignmentOf(db, notebook) };
}

/** The exercises a notebook is counted against: its assignment's, its lesson's, else its own. */
async function exercisesOfNotebook(
  lessons: LessonLibrary,
  notebook: NotebookRow,
  assignment: AssignmentRow | null,
): Promise<readonly string[]> {
  if (assignment) return exerciseNames(assignment.studentContent);
  const lesson = notebook.lessonSlug ? await lessons.get(notebook.lessonSlug) : null;
  return exerciseNames(lesson?.content ?? notebook.content);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export interface NotebookProgress {
  readonly total: number;
  readonly passed: number;
  readonly graded: boolean;
  /** The assignment this notebook is the viewer's copy of. */
  readonly assignment: {
    readonly id: string;
    readonly title: string;
    readonly classroomId: string;
    readonly dueAt: string | null;
  } | null;
  readonly results: readonly ResultView[];
}

export const progressRouter = router({
  /**
   * Saves where the owner is in a notebook's exercises (the lesson session's progress, sent by
   * the app shell). For graded work the browser's verdict doesn't count: only `submitAnswer`
   * passes or fails a graded exercise, so here it records hints and what the code is doing.
   */
  record: writeProcedure
    .input(
      z
        .object({
          notebookId,
          exercises: z
            .array(
              z
                .object({
                  exercise: exerciseName,
                  status,
                  message: z.string().max(2_000),
                  hintsShown: z.number().int().min(0).max(1_000),
                  solutionShown: z.boolean(),
                })
                .strict(),
            )
            .max(500),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const { notebook, assignment } = await ownedWork(
        db,
        input.notebookId,
        ctx.userId,
        "record progress in it",
      );
      const graded = assignment?.graded ?? false;
      for (const entry of input.exercises) {
        const serverVerdict = graded && (entry.status === "passed" || entry.status === "failed");
        const keep = entry.status === "checking" || serverVerdict;
        await upsertResult(db, {
          notebookId: notebook.id,
          exercise: entry.exercise,
          status: keep ? null : entry.status,
          message: entry.message,
          hintsShown: entry.hintsShown,
          solutionShown: entry.solutionShown,
          checkedBy: "browser",
        });
      }
      return { recorded: input.exercises.length };
    }),

  /**
   * A graded exercise's answer: the values its names hold in the student's notebook, checked
   * against the expected ones (which never leave the server). Records and returns the verdict.
   */
  submitAnswer: writeProcedure
    .input(
      z
        .object({ notebookId, exercise: exerciseName, values: z.record(z.string(), z.unknown()) })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const { notebook, assignment } = await ownedWork(
        db,
        input.notebookId,
        ctx.userId,
        "submit answers in it",
      );
      if (!assignment?.graded) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "This notebook is not graded work: its exercises are checked in your browser.",
        });
      }
      const [expectation] = await db
        .select()
        .from(assignmentExpectations)
        .where(
          and(
            eq(assignmentExpectations.assignmentId, assignment.id),
            eq(assignmentExpectations.exercise, input.exercise),
          ),
        );
      if (!expectation) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `This assignment has no exercise "${input.exercise}".`,
        });
      }
      let answer: ReturnType<typeof parseAnswer>;
      try {
        answer = parseAnswer(input.values, "your answer");
      } catch (error) {
        if (!(error instanceof UngradableValue)) throw error;
        throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
      }
      const verdict = await gradeAnswer(
        parseAnswer(expectation.expected, "the expected answer"),
        answer,
      );
      const saved = await upsertResult(db, {
        notebookId: notebook.id,
        exercise: input.exercise,
        status: verdict.status,
        message: verdict.message,
        checkedBy: "server",
      });
      return { ...verdict, passedAt: saved.passedAt?.toISOString() ?? null };
    }),

  /** The owner's saved results for a notebook, to restore hints and show "3/5 exercises". */
  forNotebook: readProcedure
    .input(z.object({ notebookId }))
    .query(async ({ ctx, input }): Promise<NotebookProgress> => {
      const { db, lessons } = ctx.services;
      const userId = await ctx.identity.current();
      const { notebook, assignment } = await ownedWork(
        db,
        input.notebookId,
        userId,
        "see its progress",
      );
      const names = await exercisesOfNotebook(lessons, notebook, assignment);
      const rows = await db
        .select()
        .from(exerciseResults)
        .where(eq(exerciseResults.notebookId, notebook.id));
      const results = rows.map(resultView);
      return {
        total: names.length,
        passed: results.filter((r) => r.passedAt !== null && names.includes(r.exercise)).length,
        graded: assignment?.graded ?? false,
        assignment: assignment && {
          id: assignment.id,
          title: assignment.title,
          classroomId: assignment.classroomId,
          dueAt: assignment.dueAt?.toISOString() ?? null,
        },
        results,
      };
    }),

  /** Per lesson the viewer started: exercises passed in their best copy, of the lesson's total. */
  lessons: readProcedure.query(async ({ ctx }) => {
    const { db, lessons } = ctx.services;
    const userId = await ctx.identity.current();
    if (userId === null) return [];
    const passes = await db
      .select({
        notebookId: notebooks.id,
        slug: notebooks.lessonSlug,
        exercise: exerciseResults.exercise,
        passedAt: exerciseResults.passedAt,
      })
      .from(notebooks)
      .leftJoin(exerciseResults, eq(exerciseResults.notebookId, notebooks.id))
      .where(and(eq(notebooks.ownerId, userId), isNotNull(notebooks.lessonSlug)));
    const best = new Map<string, { notebookId: string; passed: number; total: number }>();
    const bySlug = groupBy(passes, (row) => row.slug as string);
    for (const [slug, rows] of bySlug) {
      const lesson = await lessons.get(slug);
      if (!lesson) continue;
      const names = exerciseNames(lesson.content);
      for (const [notebookId, own] of groupBy(rows, (row) => row.notebookId)) {
        const passed = own.filter(
          (row) => row.passedAt !== null && row.exercise !== null && names.includes(row.exercise),
        ).length;
        const current = best.get(slug);
        if (!current || passed > current.passed) {
          best.set(slug, { notebookId, passed, total: names.length });
        }
      }
    }
    return [...best].map(([slug, progress]) => ({ slug, ...progress }));
  }),
});
