import { hash, verify } from "@node-rs/argon2";
import { TRPCError } from "@trpc/server";
import { and, eq, inArray, isNotNull, notInArray } from "drizzle-orm";
import type { Database } from "./db/open";
import {
  assignments,
  classroomMembers,
  classrooms,
  models,
  notebookRevisions,
  notebooks,
  shares,
  type userRole,
  users,
} from "./db/schema";
import { randomSecret } from "./ids";
import { isSavedModel } from "./models/store";

/**
 * Local accounts. A user is anonymous (a browser's cookie) until it signs up, which turns that
 * same row into an account, so what it owns stays its own. Signing in from a browser that was
 * anonymous moves the anonymous user's work to the account and deletes the anonymous user.
 * Passwords are stored as argon2id hashes (the library's defaults: 19 MiB, 2 passes, 1 lane,
 * OWASP's recommended minimum), never in clear.
 */

/** The site-wide roles: admins manage users, instructors run classrooms. */
export type Role = (typeof userRole.enumValues)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export interface AccountView {
  readonly id: string;
  readonly kind: "anonymous" | "account";
  readonly email: string | null;
  readonly displayName: string | null;
  readonly role: Role;
}

const accountColumns = {
  id: users.id,
  kind: users.kind,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
};

export async function findUser(db: Database, id: string): Promise<AccountView | null> {
  const [row] = await db.select(accountColumns).from(users).where(eq(users.id, id));
  return row ?? null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password); // argon2id is the default algorithm
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (an unknown email) it checks against a
 * throwaway hash instead, so the answer takes as long and reveals nothing about who has an account.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hash(randomSecret());
  const ok = await verify(stored ?? (await dummyHash), password).catch(() => false);
  return stored !== null && ok;
}

/** An account by its (normalized) email or its id, with its password hash. */
export async function findAccount(db: Database, by: { email: string } | { id: string }) {
  const [row] = await db
    .select({ ...accountColumns, passwordHash: users.passwordHash, oidcSubject: users.oidcSubject })
    .from(users)
    .where(
      and(
        "email" in by ? eq(users.email, by.email) : eq(users.id, by.id),
        eq(users.kind, "account"),
      ),
    );
  return row ?? null;
}

/**
 * The role a new account gets: admin if GRADBOOK_ADMIN_EMAILS lists it; with that variable unset,
 * admin if there is no admin yet (a fresh self-hosted install needs one); else student.
 */
export async function roleForNewAccount(
  db: Database,
  email: string,
  adminEmails: ReadonlySet<string> | null,
): Promise<Role> {
  if (adminEmails) return adminEmails.has(email) ? "admin" : "student";
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.role, "admin"))
    .limit(1);
  return admin ? "student" : "admin";
}

const EMAIL_TAKEN = "An account with this email already exists: sign in instead.";

/** Turns the anonymous user `userId` into an account, in place. */
export async function convertToAccount(
  db: Database,
  userId: string,
  account: { email: string; passwordHash: string; displayName: string | null; role: Role },
): Promise<void> {
  try {
    const updated = await db
      .update(users)
      .set({ kind: "account", ...account, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.kind, "anonymous")))
      .returning({ id: users.id });
    if (updated.length === 0) {
      throw new TRPCError({ code: "CONFLICT", message: "This browser is already an account." });
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw new TRPCError({ code: "CONFLICT", message: EMAIL_TAKEN });
    throw error;
  }
}

export async function assertEmailFree(db: Database, email: string): Promise<void> {
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken) throw new TRPCError({ code: "CONFLICT", message: EMAIL_TAKEN });
}

/** A PostgreSQL unique violation (23505), however the driver wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error || (typeof e === "object" && e !== null); ) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Moves everything the anonymous user `from` owns to the account `to`, then deletes `from`:
 * notebooks (with their revisions, shares and exercise results), saved models (renamed
 * "name (2)" and so on where the account already has that name), classroom memberships.
 */
export async function adoptAnonymousWork(db: Database, from: string, to: string): Promise<void> {
  await db.transaction(async (tx) => {
    // One copy per assignment and owner: a second copy keeps its work but leaves the assignment.
    const accountAssignments = tx
      .select({ id: notebooks.assignmentId })
      .from(notebooks)
      .where(and(eq(notebooks.ownerId, to), isNotNull(notebooks.assignmentId)));
    await tx
      .update(notebooks)
      .set({ assignmentId: null })
      .where(and(eq(notebooks.ownerId, from), inArray(notebooks.assignmentId, accountAssignments)));
    await tx.update(notebooks).set({ ownerId: to }).where(eq(notebooks.ownerId, from));
    await tx
      .update(notebookRevisions)
      .set({ authorId: to })
      .where(eq(notebookRevisions.authorId, from));
    await tx.update(shares).set({ createdBy: to }).where(eq(shares.createdBy, from));

    const taken = new Set(
      (await tx.select({ name: models.name }).from(models).where(eq(models.ownerId, to))).map(
        (m) => m.name,
      ),
    );
    const moving = await tx
      .select({ id: models.id, name: models.name })
      .from(models)
      // Not uploads in progress: they are deleted with `from`, and their save fails cleanly.
      .where(and(eq(models.ownerId, from), isSavedModel()))
      .orderBy(models.createdAt);
    for (const model of moving) {
      const name = freeName(model.name, taken);
      taken.add(name);
      await tx.update(models).set({ ownerId: to, name }).where(eq(models.id, model.id));
    }

    const accountClassrooms = tx
      .select({ id: classroomMembers.classroomId })
      .from(classroomMembers)
      .where(eq(classroomMembers.userId, to));
    await tx
      .update(classroomMembers)
      .set({ userId: to })
      .where(
        and(
          eq(classroomMembers.userId, from),
          notInArray(classroomMembers.classroomId, accountClassrooms),
        ),
      );
    await tx.update(classrooms).set({ createdBy: to }).where(eq(classrooms.createdBy, from));
    await tx.update(assignments).set({ createdBy: to }).where(eq(assignments.createdBy, from));
    // Only an anonymous user: never delete an account by mistake.
    await tx.delete(users).where(and(eq(users.id, from), eq(users.kind, "anonymous")));
  });
}

/** `name`, or `name (2)`, `name (3)`, ... : the first not in `taken`. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Makes `userId` an admin when GRADBOOK_ADMIN_EMAILS lists its email (set after it signed up). */
export async function promoteListedAdmin(
  db: Database,
  account: { id: string; email: string | null; role: Role },
  adminEmails: ReadonlySet<string> | null,
): Promise<Role> {
  if (account.role === "admin" || !account.email || !adminEmails?.has(account.email)) {
    return account.role;
  }
  await db
    .update(users)
    .set({ role: "admin", updatedAt: new Date() })
    .where(eq(users.id, account.id));
  return "admin";
}

export async function changePasswordHash(
  db: Database,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
}

/** Sets an account's site-wide role; the last admin cannot stop being one. */
export async function setRole(db: Database, userId: string, role: Role): Promise<AccountView> {
  return db.transaction(async (tx) => {
    // Locking every admin row serializes concurrent demotions: two admins demoting each other
    // at once can't leave the site with none.
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.role, "admin"))
      .for("update");
    const [target] = await tx.select(accountColumns).from(users).where(eq(users.id, userId));
    if (!target) throw new TRPCError({ code: "NOT_FOUND", message: "There is no such user." });
    if (target.kind !== "account") {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "Only accounts have roles: this user has not signed up.",
      });
    }
    if (target.role === "admin" && role !== "admin" && admins.length <= 1) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "This is the last admin: make another account an admin first.",
      });
    }
    const [updated] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning(accountColumns);
    return updated;
  });
}

/** Every account, for the admin page. */
export async function listAccounts(db: Database) {
  const rows = await db
    .select({ ...accountColumns, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.kind, "account"))
    .orderBy(users.email);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
