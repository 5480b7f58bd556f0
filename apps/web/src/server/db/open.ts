import { existsSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
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
  close(): Promise<void>;
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
  try {
    const db = drizzleNodePg(pool, { schema });
    await migrateNodePg(db, { migrationsFolder });
    return { db: db as Database, driver: "postgres", close: () => pool.end() };
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
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as Database,
      driver: "pglite",
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
