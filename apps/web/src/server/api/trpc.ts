import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Context } from "./context";
import { signedInUser } from "./session-user";

/** A zod failure as one readable line: `content: Too big: expected string to have <=1048576 characters`. */
export function describeZodError(error: ZodError): string {
  const issues = error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return `Invalid input: ${issues.join("; ")}`;
}

const t = initTRPC.context<Context>().create({
  // Stack traces only in development, never to a client in tests or production.
  isDev: process.env.NODE_ENV === "development",
  errorFormatter({ shape, error }) {
    if (error.cause instanceof SyntaxError) {
      return { ...shape, message: `The request is not valid JSON: ${error.cause.message}` };
    }
    if (!(error.cause instanceof ZodError)) return shape;
    return {
      ...shape,
      message: describeZodError(error.cause),
      data: {
        ...shape.data,
        issues: error.cause.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Reads: anyone may call them; `ctx.identity.current()` is null for a browser that never wrote. */
export const readProcedure = t.procedure;

/**
 * Writes: the request must come from the app's own pages (CSRF), the browser gets an anonymous
 * identity if it has none, and each identity has a budget of writes (limits.ts).
 */
export const writeProcedure = t.procedure.use(async ({ ctx, next }) => {
  const userId = await authorizeWrite(ctx);
  return next({ ctx: { ...ctx, userId } });
});

/** writeProcedure's checks, for HTTP handlers outside tRPC (model uploads): the writer's id. */
export async function authorizeWrite(ctx: Context): Promise<string> {
  if (!ctx.origin.ok) throw new TRPCError({ code: "FORBIDDEN", message: ctx.origin.reason });
  let userId = await ctx.identity.current();
  if (userId === null) {
    const wait = ctx.services.identityLimiter.take(ctx.clientAddress);
    if (wait > 0) throw tooManyRequests("new sessions from your address", wait);
    const overall = ctx.services.overallIdentityLimiter.take("all");
    if (overall > 0) throw tooManyRequests("new sessions on this server", overall);
    userId = await ctx.identity.ensure();
  }
  const wait = ctx.services.writeLimiter.take(userId);
  if (wait > 0) throw tooManyRequests("saves", wait);
  return userId;
}

function tooManyRequests(what: string, waitSeconds: number): TRPCError {
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: `Too many ${what}: try again in ${waitSeconds} s.`,
  });
}

/**
 * Changes that need no identity of their own (sign-in, sign-out): the same-origin check (CSRF,
 * login CSRF included) without creating an anonymous user.
 */
export const sameOriginProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.origin.ok) throw new TRPCError({ code: "FORBIDDEN", message: ctx.origin.reason });
  return next();
});

/**
 * Writes by a signed-in account: the same-origin check, FORBIDDEN for anonymous browsers, and the
 * write budget. `ctx.user` is `{ id, kind, role }`.
 */
export const accountProcedure = sameOriginProcedure.use(async ({ ctx, next }) => {
  const user = await signedInUser(ctx);
  if (!user) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Sign in to do this: it needs an account (signing up keeps this browser's work).",
    });
  }
  const wait = ctx.services.writeLimiter.take(user.id);
  if (wait > 0) throw tooManyRequests("saves", wait);
  return next({ ctx: { ...ctx, userId: user.id, user } });
});

/** Writes by an instructor or an admin. */
export const instructorProcedure = accountProcedure.use(({ ctx, next }) => {
  if (ctx.user.role === "student") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Only instructors can do this: ask an admin to make your account an instructor.",
    });
  }
  return next();
});

/** Writes by an admin. */
export const adminProcedure = accountProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  }
  return next();
});
