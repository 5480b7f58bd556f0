import { TRPCError } from "@trpc/server";
import { count } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../src/server/db/open";

/** Runs `fn` and returns the TRPCError it throws (failing if it does not throw one). */
export async function rejection(fn: () => Promise<unknown>): Promise<TRPCError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** How many rows a table holds: what a refused call must leave unchanged. */
export async function countRows(db: Database, table: PgTable): Promise<number> {
  return (await db.select({ n: count() }).from(table))[0].n;
}
