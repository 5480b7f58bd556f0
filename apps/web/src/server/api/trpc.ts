import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Context } from "./context";

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
  return next({ ctx: { ...ctx, userId } });
});

function tooManyRequests(what: string, waitSeconds: number): TRPCError {
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: `Too many ${what}: try again in ${waitSeconds} s.`,
  });
}
