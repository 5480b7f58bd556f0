import { join, resolve } from "node:path";
import { getLessons } from "./app-lessons";
import { type DatabaseConfig, openDatabase } from "./db/open";
import { createServices, type Services } from "./services";

/**
 * The running app's services, configured from the environment:
 * - `DATABASE_URL`: PostgreSQL; otherwise embedded PGlite in `GRADBOOK_DATA_DIR`
 *   (default `.data/pglite` in the app folder). One process per PGlite directory.
 * Kept on globalThis so that a dev-server reload does not open the database twice.
 */
const KEY = Symbol.for("gradbook.services");
type Holder = { [KEY]?: Promise<Services> };

export function getAppServices(): Promise<Services> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startServices().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}

export function databaseConfigFromEnv(env = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { driver: "postgres", url: env.DATABASE_URL };
  return {
    driver: "pglite",
    dataDir: resolve(/*turbopackIgnore: true*/ env.GRADBOOK_DATA_DIR ?? ".data/pglite"),
  };
}

async function startServices(): Promise<Services> {
  const appDir = process.cwd();
  const handle = await openDatabase(databaseConfigFromEnv(), join(appDir, "drizzle"));
  return createServices({ db: handle.db, lessons: getLessons() });
}
