import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import {
  adoptAnonymousWork,
  assertEmailFree,
  changePasswordHash,
  convertToAccount,
  findAccount,
  findUser,
  hashPassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
  promoteListedAdmin,
  roleForNewAccount,
  verifyPassword,
} from "../../accounts";
import { sessions } from "../../db/schema";
import {
  clearFailures,
  emailKey,
  recordFailure,
  signInKeys,
  type ThrottleKey,
  throttledMinutes,
} from "../../login-throttle";
import type { Services } from "../../services";
import { currentUser } from "../session-user";
import {
  accountProcedure,
  readProcedure,
  router,
  sameOriginProcedure,
  writeProcedure,
} from "../trpc";

/** Emails are compared lower-case and trimmed: `Ada@School.edu ` signs in as ada@school.edu. */
const email = z
  .string()
  .trim()
  .max(254, "That email is too long.")
  .toLowerCase()
  .pipe(z.email("Enter an email address like ada@school.edu."));

const newPassword = z
  .string()
  .min(PASSWORD_MIN, `Use a password of at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use a password of at most ${PASSWORD_MAX} characters.`);

/** Any password a user might type; only its hash says if it is right. */
const givenPassword = z.string().max(PASSWORD_MAX, "That password is too long.");

const displayName = z
  .string()
  .trim()
  .max(80, "Use a name of at most 80 characters.")
  .transform((name) => name || null);

const WRONG = "Email or password is wrong.";

/** Refuses while any key is over its limit. */
async function assertNotThrottled(services: Services, keys: readonly ThrottleKey[]) {
  const { windowMinutes } = services.limits.signInFailures;
  const minutes = await throttledMinutes(services.db, keys, windowMinutes);
  if (minutes > 0) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many sign-in attempts: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    });
  }
}

/**
 * Sign-up, sign-in, sign-out, password change. Every change is CSRF-checked (sign-in too: a
 * forged sign-in would put the victim's work in the attacker's account) and replaces the
 * browser's session with a new one, so a session secret planted before sign-in is worthless.
 */
export const authRouter = router({
  /** Who this browser is: an account, an anonymous user (it has saved something), or null. */
  me: readProcedure.query(async ({ ctx }) => {
    const id = await ctx.identity.current();
    return id === null ? null : findUser(ctx.services.db, id);
  }),

  /** How the signed-in account can sign in (the account page offers only what applies). */
  signInMethods: readProcedure.query(async ({ ctx }) => {
    const id = await ctx.identity.current();
    const account = id === null ? null : await findAccount(ctx.services.db, { id });
    if (!account) return null;
    return { password: account.passwordHash !== null, oidc: account.oidcSubject !== null };
  }),

  /** Makes this browser's anonymous user (or a new one) an account, keeping what it owns. */
  signUp: writeProcedure
    .input(z.object({ email, password: newPassword, displayName: displayName.optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db, adminEmails } = ctx.services;
      const me = await findUser(db, ctx.userId);
      if (me?.kind === "account") {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `You are signed in as ${me.email}: sign out first to make another account.`,
        });
      }
      await assertEmailFree(db, input.email);
      await convertToAccount(db, ctx.userId, {
        email: input.email,
        passwordHash: await hashPassword(input.password),
        displayName: input.displayName ?? null,
        role: await roleForNewAccount(db, input.email, adminEmails),
      });
      await ctx.identity.startSession(ctx.userId);
      return findUser(db, ctx.userId);
    }),

  signIn: sameOriginProcedure
    .input(z.object({ email, password: givenPassword }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db, limits, adminEmails } = ctx.services;
      const keys = signInKeys(input.email, ctx.clientAddress, limits.signInFailures);
      await assertNotThrottled(ctx.services, keys);
      const account = await findAccount(db, { email: input.email });
      const ok = await verifyPassword(account?.passwordHash ?? null, input.password);
      if (!account || !ok) {
        await recordFailure(db, keys, limits.signInFailures.windowMinutes);
        throw new TRPCError({ code: "UNAUTHORIZED", message: WRONG });
      }
      await clearFailures(db, emailKey(input.email, limits.signInFailures));
      const before = await currentUser(ctx);
      if (before?.kind === "anonymous") await adoptAnonymousWork(db, before.id, account.id);
      await promoteListedAdmin(db, account, adminEmails);
      await ctx.identity.startSession(account.id);
      return findUser(db, account.id);
    }),

  /** Ends an account's session. An anonymous browser keeps its cookie: it is its only key. */
  signOut: sameOriginProcedure.mutation(async ({ ctx }) => {
    const user = await currentUser(ctx);
    if (user?.kind !== "account") return { signedOut: false };
    await ctx.identity.endSession();
    return { signedOut: true };
  }),

  /** Checks the current password, stores the new one, and signs out every other session. */
  changePassword: accountProcedure
    .input(z.object({ current: givenPassword, next: newPassword }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db, limits } = ctx.services;
      const stored = await findAccount(db, { id: ctx.userId });
      if (!stored) throw new TRPCError({ code: "NOT_FOUND", message: "This account is gone." });
      if (stored.passwordHash === null) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "This account signs in with your school's login and has no password to change.",
        });
      }
      // The same per-email limit as sign-in: a stolen session must not guess the password.
      const key = emailKey(stored.email!, limits.signInFailures); // password accounts have one
      await assertNotThrottled(ctx.services, [key]);
      if (!(await verifyPassword(stored.passwordHash, input.current))) {
        await recordFailure(db, [key], limits.signInFailures.windowMinutes);
        throw new TRPCError({ code: "BAD_REQUEST", message: "Your current password is wrong." });
      }
      const passwordHash = await hashPassword(input.next);
      await changePasswordHash(db, ctx.userId, passwordHash);
      await db.delete(sessions).where(eq(sessions.userId, ctx.userId));
      await ctx.identity.startSession(ctx.userId);
      return { changed: true };
    }),
});
