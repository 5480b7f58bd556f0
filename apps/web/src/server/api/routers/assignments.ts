import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { classroomFor, instructedClassroom } from "../../classrooms/membership";
import {
  assignmentColumn,
  classroomAssignments,
  loadStudentWork,
} from "../../classrooms/progress-table";
import { publishedContent } from "../../classrooms/publish";
import {
  type AssignmentRow,
  assignmentExpectations,
  assignments,
  notebookRevisions,
  notebooks,
} from "../../db/schema";
import { ID_PATTERN, randomId } from "../../ids";
import { ownedNotebook } from "../access";
import { lessonSlug, notebookId } from "../inputs";
import { signedInUser } from "../session-user";
import { accountProcedure, readProcedure, router } from "../trpc";
import { classroomId } from "./classrooms";

const assignmentId = z.string().regex(ID_PATTERN, "not an assignment id");

const source = z.union([
  z.object({ lesson: lessonSlug }).strict(),
  z.object({ notebookId }).strict(),
]);

async function findAssignment(
  db: Parameters<typeof classroomFor>[0],
  id: string,
): Promise<AssignmentRow> {
  const [row] = await db.select().from(assignments).where(eq(assignments.id, id));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "There is no such assignment." });
  return row;
}

export const assignmentsRouter = router({
  /**
   * Publishes a built-in lesson or one of the instructor's own notebooks to a classroom they
   * teach. Graded work comes with `expectations`: per exercise, the values of the names its cell
   * defines after the reference solution ran (computed in the instructor's browser).
   */
  publish: accountProcedure
    .input(
      z
        .object({
          classroomId,
          title: z.string().trim().min(1, "give the assignment a title").max(200),
          source,
          dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
          graded: z.boolean(),
          expectations: z.record(z.string().max(200), z.unknown()).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { db, lessons, limits } = ctx.services;
      await instructedClassroom(db, input.classroomId, ctx.userId, "publish to it");
      let content: string;
      let slug: string | null = null;
      let sourceNotebookId: string | null = null;
      if ("lesson" in input.source) {
        const lesson = await lessons.get(input.source.lesson);
        if (!lesson) {
          throw new TRPCError({
            code: "NOT_FOUND",
            message: `There is no lesson ${input.source.lesson}.`,
          });
        }
        content = lesson.content;
        slug = lesson.slug;
      } else {
        const notebook = await ownedNotebook(db, input.source.notebookId, ctx.userId, "publish it");
        content = notebook.content;
        sourceNotebookId = notebook.id;
      }
      const published = publishedContent(content, input.graded, input.expectations, limits);
      const id = randomId();
      await db.transaction(async (tx) => {
        await tx.insert(assignments).values({
          id,
          classroomId: input.classroomId,
          title: input.title,
          lessonSlug: slug,
          sourceNotebookId,
          content: published.content,
          studentContent: published.studentContent,
          graded: input.graded,
          dueAt: input.dueAt ? new Date(input.dueAt) : null,
          createdBy: ctx.userId,
        });
        if (published.expectations.size) {
          await tx.insert(assignmentExpectations).values(
            [...published.expectations].map(([exercise, expected]) => ({
              assignmentId: id,
              exercise,
              expected,
            })),
          );
        }
      });
      return { id };
    }),

  /**
   * The classroom's assignments, for its members: title, due date, whether graded, and the
   * viewer's own work on each. Never the content or the expected answers.
   */
  list: readProcedure.input(z.object({ classroomId })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const user = await signedInUser(ctx);
    const { role } = await classroomFor(db, input.classroomId, user?.id ?? null);
    const rows = await classroomAssignments(db, input.classroomId);
    const workOf = await loadStudentWork(db, rows, user ? [user.id] : []);
    return {
      role,
      assignments: rows.map((row) => {
        const work = user ? workOf(user.id, row) : null;
        return {
          ...assignmentColumn(row),
          lessonSlug: row.lessonSlug,
          mine: work?.notebookId
            ? {
                notebookId: work.notebookId,
                passed: work.passed,
                total: work.total,
                late: work.late,
              }
            : null,
        };
      }),
    };
  }),

  /** The caller's copy of an assignment: made from the students' version on first start. */
  start: accountProcedure
    .input(z.object({ assignmentId }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const assignment = await findAssignment(db, input.assignmentId);
      await classroomFor(db, assignment.classroomId, ctx.userId);
      const existing = async () =>
        (
          await db
            .select({ id: notebooks.id })
            .from(notebooks)
            .where(
              and(eq(notebooks.assignmentId, assignment.id), eq(notebooks.ownerId, ctx.userId)),
            )
        )[0];
      const found = await existing();
      if (found) return { notebookId: found.id, created: false };
      const id = randomId();
      const created = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(notebooks)
          .values({
            id,
            ownerId: ctx.userId,
            title: assignment.title,
            content: assignment.studentContent,
            assignmentId: assignment.id,
          })
          .onConflictDoNothing()
          .returning({ id: notebooks.id });
        if (!row) return false;
        await tx.insert(notebookRevisions).values({
          notebookId: id,
          version: 1,
          title: assignment.title,
          content: assignment.studentContent,
          authorId: ctx.userId,
        });
        return true;
      });
      if (created) return { notebookId: id, created: true };
      // Another tab started it at the same moment.
      const raced = await existing();
      if (!raced) throw new Error("the assignment copy vanished while being made");
      return { notebookId: raced.id, created: false };
    }),
});
