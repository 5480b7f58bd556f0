import { lessonTemplate } from "@gradbook/lessons";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/open";
import { type NotebookRow, notebookRevisions, notebooks } from "../../db/schema";
import { randomId } from "../../ids";
import { assertOwner, findNotebook, ownedNotebook, readableShare } from "../access";
import { lessonSlug, notebookId, notebookText, shareId, version } from "../inputs";
import { checkedNotebook, NEW_NOTEBOOK } from "../notebook-content";
import { readProcedure, router, writeProcedure } from "../trpc";

export interface NotebookSummary {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NotebookDetail extends NotebookSummary {
  readonly content: string;
  readonly forkedFromId: string | null;
  readonly lessonSlug: string | null;
}

export function summaryOf(row: NotebookRow): NotebookSummary {
  return {
    id: row.id,
    title: row.title,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function detailOf(row: NotebookRow): NotebookDetail {
  return {
    ...summaryOf(row),
    content: row.content,
    forkedFromId: row.forkedFromId,
    lessonSlug: row.lessonSlug,
  };
}

/** Stores a new notebook at version 1, with its first revision. */
async function insertNotebook(
  db: Database,
  values: {
    ownerId: string;
    title: string;
    content: string;
    forkedFromId?: string;
    lessonSlug?: string;
  },
): Promise<{ id: string; version: number }> {
  const id = randomId();
  await db.transaction(async (tx) => {
    await tx.insert(notebooks).values({ id, ...values });
    await tx.insert(notebookRevisions).values({
      notebookId: id,
      version: 1,
      title: values.title,
      content: values.content,
      authorId: values.ownerId,
    });
  });
  return { id, version: 1 };
}

const forkSource = z.union([z.object({ id: notebookId }).strict(), z.object({ shareId }).strict()]);

export const notebooksRouter = router({
  /** A new notebook: blank, from the given text, from a lesson, or a new lesson to write. */
  create: writeProcedure
    .input(
      z
        .object({
          content: notebookText.optional(),
          lesson: lessonSlug.optional(),
          template: z.enum(["lesson"]).optional(),
        })
        .strict()
        .refine(
          (v) => [v.content, v.lesson, v.template].filter((x) => x !== undefined).length <= 1,
          { message: "give one of content, lesson or template" },
        )
        .optional(),
    )
    .mutation(async ({ ctx, input }) => {
      let content = input?.content ?? NEW_NOTEBOOK;
      if (input?.template === "lesson") content = lessonTemplate();
      if (input?.lesson !== undefined) {
        const lesson = await ctx.services.lessons.get(input.lesson);
        if (!lesson) {
          throw new TRPCError({
            code: "NOT_FOUND",
            message: `There is no lesson ${input.lesson}.`,
          });
        }
        content = lesson.content;
      }
      const { title } = checkedNotebook(content, ctx.services.limits);
      return insertNotebook(ctx.services.db, {
        ownerId: ctx.userId,
        title,
        content,
        lessonSlug: input?.lesson,
      });
    }),

  get: readProcedure.input(z.object({ id: notebookId })).query(async ({ ctx, input }) => {
    const userId = await ctx.identity.current();
    return detailOf(await ownedNotebook(ctx.services.db, input.id, userId, "open it"));
  }),

  /** The caller's notebooks, most recently saved first. */
  listMine: readProcedure.query(async ({ ctx }): Promise<NotebookSummary[]> => {
    const userId = await ctx.identity.current();
    if (userId === null) return [];
    const rows = await ctx.services.db
      .select()
      .from(notebooks)
      .where(eq(notebooks.ownerId, userId))
      .orderBy(desc(notebooks.updatedAt))
      .limit(500);
    return rows.map(summaryOf);
  }),

  /**
   * Saves new content. `version` is the version the client last loaded: if the notebook was
   * saved since (another tab, another device), nothing is written and the client gets CONFLICT,
   * so it can show both versions instead of silently losing one.
   */
  update: writeProcedure
    .input(z.object({ id: notebookId, version, content: notebookText }).strict())
    .mutation(async ({ ctx, input }) => {
      const { title } = checkedNotebook(input.content, ctx.services.limits);
      const { db, limits } = ctx.services;
      return db.transaction(async (tx) => {
        const [saved] = await tx
          .update(notebooks)
          .set({
            title,
            content: input.content,
            version: sql`${notebooks.version} + 1`,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              eq(notebooks.id, input.id),
              eq(notebooks.ownerId, ctx.userId),
              eq(notebooks.version, input.version),
            ),
          )
          .returning();
        if (!saved) {
          const current = await findNotebook(tx, input.id);
          assertOwner(current, ctx.userId, "save it");
          throw new TRPCError({
            code: "CONFLICT",
            message: `This notebook was saved elsewhere (now version ${current.version}) after you opened version ${input.version}. Your edit was not saved over it: keep it as a copy, or load the saved version.`,
          });
        }
        await tx.insert(notebookRevisions).values({
          notebookId: saved.id,
          version: saved.version,
          title,
          content: input.content,
          authorId: ctx.userId,
        });
        await tx
          .delete(notebookRevisions)
          .where(
            and(
              eq(notebookRevisions.notebookId, saved.id),
              lte(notebookRevisions.version, saved.version - limits.revisionsKept),
            ),
          );
        return { id: saved.id, version: saved.version, updatedAt: saved.updatedAt.toISOString() };
      });
    }),

  delete: writeProcedure
    .input(z.object({ id: notebookId }).strict())
    .mutation(async ({ ctx, input }) => {
      await ownedNotebook(ctx.services.db, input.id, ctx.userId, "delete it");
      await ctx.services.db
        .delete(notebooks)
        .where(and(eq(notebooks.id, input.id), eq(notebooks.ownerId, ctx.userId)));
      return { id: input.id };
    }),

  /** Copies a notebook the caller may read (their own, or through a share link) into a new one of theirs. */
  fork: writeProcedure.input(forkSource).mutation(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const source =
      "id" in input
        ? await ownedNotebook(db, input.id, ctx.userId, "fork it by id")
        : (await readableShare(db, input.shareId, ctx.userId)).notebook;
    return insertNotebook(db, {
      ownerId: ctx.userId,
      title: source.title,
      content: source.content,
      forkedFromId: source.id,
      lessonSlug: source.lessonSlug ?? undefined,
    });
  }),

  /** The saved versions, newest first (the last `limits.revisionsKept`). */
  revisions: readProcedure.input(z.object({ id: notebookId })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    await ownedNotebook(db, input.id, await ctx.identity.current(), "see its history");
    const rows = await db
      .select({
        version: notebookRevisions.version,
        title: notebookRevisions.title,
        createdAt: notebookRevisions.createdAt,
        bytes: sql<number>`octet_length(${notebookRevisions.content})`.mapWith(Number),
      })
      .from(notebookRevisions)
      .where(eq(notebookRevisions.notebookId, input.id))
      .orderBy(desc(notebookRevisions.version));
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  }),

  revision: readProcedure
    .input(z.object({ id: notebookId, version }))
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      await ownedNotebook(db, input.id, await ctx.identity.current(), "see its history");
      const [row] = await db
        .select()
        .from(notebookRevisions)
        .where(
          and(
            eq(notebookRevisions.notebookId, input.id),
            eq(notebookRevisions.version, input.version),
          ),
        );
      if (!row) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `This notebook has no version ${input.version} (old versions are pruned).`,
        });
      }
      return {
        version: row.version,
        title: row.title,
        content: row.content,
        createdAt: row.createdAt.toISOString(),
      };
    }),
});
