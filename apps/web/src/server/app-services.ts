import { join, resolve } from "node:path";
import { getLessons } from "./app-lessons";
import { type DatabaseConfig, openDatabase } from "./db/open";
import { type Limits, MiB } from "./limits";
import { log } from "./log";
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
  const config = databaseConfigFromEnv();
  const handle = await openDatabase(config, join(appDir, "drizzle"));
  log.info(
    {
      driver: handle.driver,
      database: config.driver === "postgres" ? withoutPassword(config.url) : config.dataDir,
      migrationsApplied: handle.migrations.applied,
      migrationsTotal: handle.migrations.total,
      // `next start` sets PORT before the services start; 3000 is its default.
      port: Number(process.env.PORT) || 3000,
    },
    "server started",
  );
  return createServices({ db: handle.db, lessons: getLessons(), limits: limitsFromEnv() });
}

/** Limits set by the environment: `GRADBOOK_MAX_MODEL_MB`, the largest saved model (default 50). */
export function limitsFromEnv(env = process.env): Partial<Limits> {
  const modelMb = env.GRADBOOK_MAX_MODEL_MB;
  if (modelMb === undefined || modelMb === "") return {};
  const mb = Number(modelMb);
  // models.bytes is a 32-bit integer.
  if (!Number.isFinite(mb) || mb <= 0 || mb > 2000) {
    throw new Error(
      `GRADBOOK_MAX_MODEL_MB is ${JSON.stringify(modelMb)}: set it to a number of megabytes between 1 and 2000 (default 50).`,
    );
  }
  return { modelBytes: Math.round(mb * MiB) };
}

/** A database URL fit for the log: host, port and database name, never the password. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    parsed.search = "";
    return parsed.href;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}
