import { TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { type ShareRow, shares } from "../../db/schema";
import { randomId } from "../../ids";
import { ownedNotebook, readableShare } from "../access";
import { notebookId, shareId, visibility } from "../inputs";
import { readProcedure, router, writeProcedure } from "../trpc";

/**
 * Share links. A link's id is the secret (144 random bits). Visibility:
 * - `private`: the link is off; only the owner can open it.
 * - `link`: anyone with the link can read the notebook (never write it; they can fork it).
 * - `public`: as `link`, and the notebook may be listed publicly (galleries come later).
 * A link shows the notebook as it is now, not as it was when the link was made.
 */
function shareOf(row: ShareRow) {
  return { id: row.id, notebookId: row.notebookId, visibility: row.visibility };
}

export const sharesRouter = router({
  create: writeProcedure
    .input(z.object({ notebookId, visibility: visibility.default("link") }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      await ownedNotebook(db, input.notebookId, ctx.userId, "share it");
      const [row] = await db
        .insert(shares)
        .values({
          id: randomId(),
          notebookId: input.notebookId,
          visibility: input.visibility,
          createdBy: ctx.userId,
        })
        .returning();
      return shareOf(row);
    }),

  /** Changes who can use a link (`private` turns it off without forgetting it). */
  setVisibility: writeProcedure
    .input(z.object({ id: shareId, visibility }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const share = await ownedShare(ctx.services.db, input.id, ctx.userId);
      const [row] = await db
        .update(shares)
        .set({ visibility: input.visibility, updatedAt: new Date() })
        .where(eq(shares.id, share.id))
        .returning();
      return shareOf(row);
    }),

  delete: writeProcedure
    .input(z.object({ id: shareId }).strict())
    .mutation(async ({ ctx, input }) => {
      const share = await ownedShare(ctx.services.db, input.id, ctx.userId);
      await ctx.services.db.delete(shares).where(eq(shares.id, share.id));
      return { id: share.id };
    }),

  /** The links of one of the caller's notebooks. */
  list: readProcedure.input(z.object({ notebookId })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    await ownedNotebook(db, input.notebookId, await ctx.identity.current(), "see its links");
    const rows = await db
      .select()
      .from(shares)
      .where(eq(shares.notebookId, input.notebookId))
      .orderBy(asc(shares.createdAt));
    return rows.map(shareOf);
  }),

  /** A shared notebook, read-only: what a link's page shows. Who owns it is not revealed. */
  get: readProcedure.input(z.object({ id: shareId })).query(async ({ ctx, input }) => {
    const userId = await ctx.identity.current();
    const { share, notebook } = await readableShare(ctx.services.db, input.id, userId);
    const isOwner = notebook.ownerId === userId;
    return {
      // The notebook's id only to its owner: readers need nothing but the link.
      share: { ...shareOf(share), notebookId: isOwner ? share.notebookId : null },
      isOwner,
      notebook: {
        title: notebook.title,
        content: notebook.content,
        version: notebook.version,
        updatedAt: notebook.updatedAt.toISOString(),
      },
    };
  }),
});

async function ownedShare(
  db: Parameters<typeof ownedNotebook>[0],
  id: string,
  userId: string,
): Promise<ShareRow> {
  const [row] = await db.select().from(shares).where(eq(shares.id, id));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "This share link does not exist." });
  await ownedNotebook(db, row.notebookId, userId, "change its share links");
  return row;
}
