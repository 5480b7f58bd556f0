import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Database } from "../db/open";
import { type NotebookRow, notebooks, type ShareRow, shares } from "../db/schema";

/**
 * Who may do what. The owner reads and writes a notebook; anyone else reads it only through a
 * share link whose visibility is `link` or `public`, and never writes it (they can fork it).
 */

export async function findNotebook(db: Database, id: string): Promise<NotebookRow> {
  const [row] = await db.select().from(notebooks).where(eq(notebooks.id, id));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `There is no notebook ${id}.` });
  return row;
}

export async function ownedNotebook(
  db: Database,
  id: string,
  userId: string | null,
  action: string,
): Promise<NotebookRow> {
  const row = await findNotebook(db, id);
  assertOwner(row, userId, action);
  return row;
}

export function assertOwner(row: NotebookRow, userId: string | null, action: string): void {
  if (row.ownerId !== userId) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Only this notebook's owner can ${action}. Ask them for a share link, then fork it to make your own copy.`,
    });
  }
}

/** A share and its notebook, if `userId` may read through it. */
export async function readableShare(
  db: Database,
  id: string,
  userId: string | null,
): Promise<{ share: ShareRow; notebook: NotebookRow }> {
  const [found] = await db
    .select({ share: shares, notebook: notebooks })
    .from(shares)
    .innerJoin(notebooks, eq(shares.notebookId, notebooks.id))
    .where(eq(shares.id, id));
  if (!found) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: "This share link does not exist (any more).",
    });
  }
  if (found.share.visibility === "private" && found.notebook.ownerId !== userId) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "This share link is private: only the notebook's owner can open it.",
    });
  }
  return found;
}
