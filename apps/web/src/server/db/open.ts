import { existsSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { log } from "../log";
import { lockDataDirectory } from "./pglite-lock";
import * as schema from "./schema";

/** The queries the app runs work the same on both drivers; this is their common type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseConfig =
  | { readonly driver: "postgres"; readonly url: string }
  | { readonly driver: "pglite"; readonly dataDir: string };

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: DatabaseConfig["driver"];
  /** Migrations this open applied, and how many the database has in all (for the start log). */
  readonly migrations: { readonly applied: number; readonly total: number };
  close(): Promise<void>;
}

/**
 * Taken around migrating a PostgreSQL database, so that app instances starting together on
 * one database migrate one at a time (the rest then find nothing to do). Any fixed number;
 * this one spells "gradbook".
 */
const MIGRATION_LOCK = 0x6772616462;

/** How many migrations the database has recorded (none before the first). */
async function migrationCount(db: Database): Promise<number> {
  // Both drivers' results carry `rows`; the common Database type does not say so.
  type Rows = { rows: Record<string, unknown>[] };
  const table = (await db.execute(
    sql`select to_regclass('drizzle.__drizzle_migrations') as t`,
  )) as Rows;
  if (table.rows[0]?.t == null) return 0;
  const count = (await db.execute(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  )) as Rows;
  return Number(count.rows[0]?.n ?? 0);
}

/** Opens the database and brings its schema up to date with the migrations in `migrationsDir`. */
export async function openDatabase(
  config: DatabaseConfig,
  migrationsDir: string,
): Promise<DatabaseHandle> {
  if (!existsSync(migrationsDir)) {
    throw new Error(`The database migrations folder ${migrationsDir} does not exist`);
  }
  return config.driver === "postgres"
    ? openPostgres(config.url, migrationsDir)
    : openPglite(config.dataDir, migrationsDir);
}

async function openPostgres(url: string, migrationsFolder: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (a restart, a failover, an admin) is replaced by the
  // pool; unhandled, its error event would be an uncaught exception.
  pool.on("error", (error) => {
    log.warn({ err: error }, "an idle database connection failed; the pool will open another");
  });
  try {
    const db = drizzleNodePg(pool, { schema });
    const lock = await pool.connect();
    let before: number;
    let total: number;
    try {
      await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
      before = await migrationCount(db as Database);
      await migrateNodePg(db, { migrationsFolder });
      total = await migrationCount(db as Database);
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
      lock.release();
    }
    return {
      db: db as Database,
      driver: "postgres",
      migrations: { applied: total - before, total },
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function openPglite(dataDir: string, migrationsFolder: string): Promise<DatabaseHandle> {
  const lock = lockDataDirectory(dataDir);
  try {
    const client = await PGlite.create({ dataDir });
    const db = drizzlePglite(client, { schema });
    const before = await migrationCount(db as Database);
    await migratePglite(db, { migrationsFolder });
    const total = await migrationCount(db as Database);
    return {
      db: db as Database,
      driver: "pglite",
      migrations: { applied: total - before, total },
      close: async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
