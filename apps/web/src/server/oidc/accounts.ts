import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import {
  adoptAnonymousWork,
  findAccount,
  isUniqueViolation,
  promoteListedAdmin,
  roleForNewAccount,
} from "../accounts";
import type { Database } from "../db/open";
import { users } from "../db/schema";
import type { OidcProfile } from "./client";

/** A sign-in the provider allowed but this site refuses; `code` names its message (errors.ts). */
export class OidcAccountError extends Error {
  constructor(readonly code: "linked_elsewhere") {
    super(code);
  }
}

/**
 * The account a provider's identity signs in to, as a password sign-in would: the account
 * already linked to (issuer, subject); else the account with the provider-verified email, now
 * linked; else a new account (the browser's anonymous user, converted in place, when there is
 * one). An anonymous browser's work moves to an existing account.
 */
export async function oidcAccountFor(
  db: Database,
  profile: OidcProfile,
  browser: { readonly id: string; readonly kind: "anonymous" | "account" } | null,
  adminEmails: ReadonlySet<string> | null,
): Promise<string> {
  try {
    return await resolveAccount(db, profile, browser, adminEmails);
  } catch (error) {
    // Two callbacks for one new person at once: the loser finds the winner's account.
    if (!isUniqueViolation(error)) throw error;
    return resolveAccount(db, profile, browser, adminEmails);
  }
}

async function resolveAccount(
  db: Database,
  profile: OidcProfile,
  browser: { readonly id: string; readonly kind: "anonymous" | "account" } | null,
  adminEmails: ReadonlySet<string> | null,
): Promise<string> {
  const anonymous = browser?.kind === "anonymous" ? browser.id : null;
  const existing = (await linkedAccount(db, profile)) ?? (await linkByEmail(db, profile));
  if (existing) {
    if (anonymous) await adoptAnonymousWork(db, anonymous, existing);
    const account = await findAccount(db, { id: existing });
    if (account) await promoteListedAdmin(db, account, adminEmails);
    return existing;
  }

  const values = {
    kind: "account" as const,
    email: profile.email,
    displayName: profile.name,
    role: await roleForNewAccount(db, profile.email ?? "", adminEmails),
    oidcIssuer: profile.issuer,
    oidcSubject: profile.subject,
  };
  if (anonymous) {
    const converted = await db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(users.id, anonymous), eq(users.kind, "anonymous")))
      .returning({ id: users.id });
    if (converted.length > 0) return anonymous;
  }
  const id = randomUUID();
  await db.insert(users).values({ id, ...values });
  return id;
}

async function linkedAccount(db: Database, profile: OidcProfile): Promise<string | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.oidcIssuer, profile.issuer), eq(users.oidcSubject, profile.subject)));
  return row?.id ?? null;
}

/**
 * Links the account with the profile's (verified) email. An account already linked to another
 * identity is refused: the address may have passed to someone else at the school.
 */
async function linkByEmail(db: Database, profile: OidcProfile): Promise<string | null> {
  if (!profile.email) return null;
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, profile.email), eq(users.kind, "account")));
  if (!account) return null;
  const linked = await db
    .update(users)
    .set({ oidcIssuer: profile.issuer, oidcSubject: profile.subject, updatedAt: new Date() })
    .where(and(eq(users.id, account.id), isNull(users.oidcSubject)))
    .returning({ id: users.id });
  if (linked.length === 0) throw new OidcAccountError("linked_elsewhere");
  return account.id;
}
