import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../src/server/db/open";

export const MIGRATIONS = fileURLToPath(new URL("../drizzle", import.meta.url));

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  dispose(): Promise<void>;
}

/** A fresh PGlite database in a temporary directory. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "gradbook-pglite-"));
  const handle = await openDatabase({ driver: "pglite", dataDir: join(dir, "db") }, MIGRATIONS);
  return {
    handle,
    async dispose() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const POSTGRES_SETUP = `The PostgreSQL suite needs a server: set TEST_DATABASE_URL to a database whose user may CREATE DATABASE (each run makes and drops its own). On Debian:
  apt-get install -y postgresql
  pg_ctlcluster 15 main start        # or: pg_lsclusters, to see the version
  su postgres -c "psql -c \\"ALTER USER postgres PASSWORD 'postgres'\\""
  export TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres
(.ci/run starts a throwaway cluster and sets it.)`;

/** A new, empty database on the server at TEST_DATABASE_URL: its URL, and `drop` for afterwards. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error(`TEST_DATABASE_URL is not set.\n${POSTGRES_SETUP}`);
  const name = `gradbook_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    await admin.end().catch(() => {});
    throw new Error(
      `Could not create a test database at TEST_DATABASE_URL: ${error}\n${POSTGRES_SETUP}`,
    );
  }
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  return {
    url: testUrl.href,
    async drop() {
      // Its users' connections close asynchronously; drop the database once they are gone
      // (WITH (FORCE) would kill them mid-goodbye, which node-postgres reports as an error).
      for (let i = 0; i < 100; i++) {
        const { rows } = await admin.query(
          "select count(*)::int as n from pg_stat_activity where datname = $1",
          [name],
        );
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`DROP DATABASE "${name}"`);
      await admin.end();
    },
  };
}

/** A fresh database on the server at TEST_DATABASE_URL, migrated, dropped afterwards. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const database = await emptyPostgresDatabase();
  const handle = await openDatabase({ driver: "postgres", url: database.url }, MIGRATIONS);
  return {
    handle,
    async dispose() {
      await handle.close();
      await database.drop();
    },
  };
}
