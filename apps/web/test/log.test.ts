import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { TRPCError } from "@trpc/server";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { lockDataDirectory } from "../src/server/db/pglite-lock";
import { createLogger, logRequest, requestRecord } from "../src/server/log";

/** A logger whose JSON lines land in an array. */
function capture(env: { LOG_LEVEL?: string } = {}) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { logger: createLogger(env, stream), lines, raw };
}

describe("the server log", () => {
  it("writes JSON lines at LOG_LEVEL (default info) and says when the level is unknown", () => {
    const quiet = capture({ LOG_LEVEL: "warn" });
    quiet.logger.info("hidden");
    quiet.logger.warn("shown");
    expect(quiet.lines.map((line) => line.msg)).toEqual(["shown"]);
    expect(quiet.lines[0]).toMatchObject({ level: 40, service: "gradbook" });

    const fallback = capture({ LOG_LEVEL: "chatty" });
    fallback.logger.debug("hidden");
    fallback.logger.info("shown");
    expect(fallback.lines.map((line) => line.msg)).toEqual([
      "unknown LOG_LEVEL; using info",
      "shown",
    ]);
  });

  it("records an API request's method, procedure path, status and duration, nothing more", () => {
    const { logger, lines, raw } = capture();
    const req = new Request(
      "http://gradbook.test/api/trpc/notebooks.get,shares.open?batch=1&input=%7B%22token%22%3A%22s3cret%22%7D",
      { headers: { cookie: "gradbook_session=t0ken" } },
    );
    logRequest(requestRecord(req, 200, performance.now() - 12), logger);
    const { method, path, status, durationMs, msg } = lines[0]!;
    expect({ method, path, status, msg }).toEqual({
      method: "GET",
      path: "notebooks.get,shares.open",
      status: 200,
      msg: "api request",
    });
    expect(durationMs).toBeGreaterThanOrEqual(12);
    expect(raw[0]).not.toMatch(/s3cret|t0ken|cookie|input/);
  });

  it("logs a failed query's SQL and stack but not its parameters, however it is wrapped", () => {
    const { logger, lines, raw } = capture();
    const failed = new DrizzleQueryError(
      "insert into users (email, password_hash) values ($1, $2)",
      ["ada@example.org", "$argon2id$secret-hash"],
      new Error('duplicate key value violates unique constraint "users_email"'),
    );
    logger.error({ err: new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: failed }) }, "x");
    const err = lines[0]!.err as { message: string; stack: string };
    expect(err.message).toContain("insert into users");
    expect(err.message).toContain("users_email");
    expect(err.stack).toContain("log.test.ts");
    expect(raw[0]).not.toMatch(/ada@example|secret-hash/);
  });

  it("leaves out the database client node-postgres attaches to a dropped connection's error", () => {
    const { logger, raw } = capture();
    const dropped = Object.assign(
      new Error("terminating connection due to administrator command"),
      {
        code: "57P01",
        client: { connectionParameters: { user: "gradbook", password: "hunter2" } },
      },
    );
    logger.warn({ err: dropped }, "x");
    expect(raw[0]).toContain("57P01");
    expect(raw[0]).not.toMatch(/hunter2|connectionParameters/);
  });
});

describe("the PGlite lock in a container", () => {
  it("takes over a lock naming our own pid that we do not hold (a restart reusing the pid)", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "gradbook-lock-")), "db");
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    const lock = lockDataDirectory(dataDir);
    // Held now: a second opener in this process is still refused.
    expect(() => lockDataDirectory(dataDir)).toThrow(/in use by process/);
    lock.release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
