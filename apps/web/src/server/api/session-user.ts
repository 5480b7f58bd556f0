import { eq } from "drizzle-orm";
import type { Role } from "../accounts";
import { users } from "../db/schema";
import type { Context } from "./context";

export interface SessionUser {
  readonly id: string;
  readonly kind: "anonymous" | "account";
  readonly role: Role;
}

/** The browser's user, anonymous or not; null if it has no live session. */
export async function currentUser(
  ctx: Pick<Context, "services" | "identity">,
): Promise<SessionUser | null> {
  const id = await ctx.identity.current();
  if (id === null) return null;
  const [row] = await ctx.services.db
    .select({ id: users.id, kind: users.kind, role: users.role })
    .from(users)
    .where(eq(users.id, id));
  return row ?? null;
}

/**
 * The browser's user when it is signed in to an account, else null. Reads use this to decide
 * what to show; writes use accountProcedure/instructorProcedure (trpc.ts), which call it.
 */
export async function signedInUser(
  ctx: Pick<Context, "services" | "identity">,
): Promise<SessionUser | null> {
  const user = await currentUser(ctx);
  return user?.kind === "account" ? user : null;
}
