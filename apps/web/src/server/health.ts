import { sql } from "drizzle-orm";
import packageJson from "../../package.json";
import type { Database } from "./db/open";
import { log } from "./log";

/**
 * GET /api/health, for load balancers and container health checks: 200 when the database
 * answers `select 1`, else 503 with the reason. Sets no cookie, and is never cached (a cached
 * "ok" would hide an outage).
 */
export const VERSION: string = packageJson.version;

/** A hung database must fail the check, not hang it (Docker's own timeout would say less). */
export const HEALTH_TIMEOUT_MS = 5_000;

export type Health =
  | { readonly status: "ok"; readonly database: "ok"; readonly version: string }
  | { readonly status: "error"; readonly database: string; readonly version: string };

export async function checkHealth(
  db: Database | Promise<Database>,
  timeoutMs = HEALTH_TIMEOUT_MS,
): Promise<Health> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      Promise.resolve(db).then((ready) => ready.execute(sql`select 1`)),
      timeout,
    ]);
    return { status: "ok", database: "ok", version: VERSION };
  } catch (error) {
    const reason = rootCause(error);
    log.error({ err: error }, "health check failed");
    // The reason is shown to anyone who asks: one line, and short.
    return { status: "error", database: reason.split("\n")[0]!.slice(0, 200), version: VERSION };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthResponse(db: Database | Promise<Database>): Promise<Response> {
  const health = await checkHealth(db);
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

/** Drizzle wraps the driver's error ("Failed query: select 1"); the driver's says why. */
function rootCause(error: unknown): string {
  let current = error;
  for (
    let depth = 0;
    current instanceof Error && current.cause instanceof Error && depth < 10;
    depth++
  ) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}
