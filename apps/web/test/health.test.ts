import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/server/db/open";
import { healthResponse, VERSION } from "../src/server/health";
import { pgliteDatabase, postgresDatabase, type TestDatabase } from "./databases";

/** GET /api/health's logic (src/app/api/health/route.ts passes it the app's database). */
async function expectHealthy(db: Database) {
  const response = await healthResponse(db);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "ok", version: VERSION });
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("set-cookie")).toBeNull();
}

async function expectUnhealthy(db: Database | Promise<Database>, reason: RegExp) {
  const response = await healthResponse(db);
  expect(response.status).toBe(503);
  const body = (await response.json()) as { status: string; database: string };
  expect(body.status).toBe("error");
  expect(body.database).toMatch(reason);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("set-cookie")).toBeNull();
}

describe("GET /api/health on PGlite", () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await pgliteDatabase();
  });
  afterAll(() => database?.dispose());

  it("answers 200 while the database answers, and 503 with the reason once it is closed", async () => {
    await expectHealthy(database!.handle.db);
    await database!.dispose();
    const { db } = database!.handle;
    database = undefined;
    await expectUnhealthy(db, /closed/i);
  });
});

// Runs where the PostgreSQL suite runs (TEST_DATABASE_URL; see test/postgres.test.ts).
describe.runIf(process.env.TEST_DATABASE_URL)("GET /api/health on PostgreSQL", () => {
  it("answers 200, survives dropped connections, and answers 503 once its pool is closed", async () => {
    const database = await postgresDatabase();
    expect(database.handle.migrations.applied).toBe(database.handle.migrations.total);
    expect(database.handle.migrations.total).toBeGreaterThan(0);
    await expectHealthy(database.handle.db);
    // The server drops the pool's idle connections (a restart would): no crash, and the next
    // check gets a new connection.
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const { rows } = (await database.handle.db.execute(sql`select current_database() as name`)) as {
      rows: { name: string }[];
    };
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [
      rows[0]!.name,
    ]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectHealthy(database.handle.db);
    await database.dispose();
    await expectUnhealthy(database.handle.db, /pool/i);
  });
});

describe("GET /api/health when the database cannot be reached", () => {
  it("reports why the services could not open", async () => {
    await expectUnhealthy(
      Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")),
      /^connect ECONNREFUSED 127\.0\.0\.1:5432$/,
    );
  });

  it("gives up on a database that does not answer", async () => {
    const { checkHealth } = await import("../src/server/health");
    const hung = { execute: () => new Promise(() => {}) } as unknown as Database;
    expect(await checkHealth(hung, 50)).toEqual({
      status: "error",
      database: "no answer within 0.05 s",
      version: VERSION,
    });
  });
});
