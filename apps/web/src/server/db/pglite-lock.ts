import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * PGlite is PostgreSQL in one process: two processes on one data directory corrupt it, and
 * PGlite itself does not stop them. So the app takes `<dataDir>.lock` (beside the directory, not
 * in it, where PostgreSQL's files live) holding its pid, and refuses to start while a live
 * process holds it. A lock left by a process that died is taken over.
 *
 * A lock naming our own pid that this process does not hold was left by an earlier run that
 * happened to get the same pid: in a container, pids repeat on every start (the app is often
 * pid 1), so after a crash or a kill the restarted app would otherwise refuse its own volume.
 */
export class DataDirectoryInUseError extends Error {
  override name = "DataDirectoryInUseError";
}

export interface Lock {
  release(): void;
}

export function lockDataDirectory(dataDir: string): Lock {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(path);
      const leftByEarlierRun = holder === process.pid && !heldHere().has(path);
      if (holder !== null && !leftByEarlierRun && isAlive(holder)) {
        throw new DataDirectoryInUseError(
          `The database directory ${dataDir} is in use by process ${holder}. PGlite allows one ` +
            "process per data directory: stop that process, point GRADBOOK_DATA_DIR at another " +
            `directory, or set DATABASE_URL to use PostgreSQL. (If no such process runs, delete ${path}.)`,
        );
      }
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return lockAt(path);
  }
  throw new DataDirectoryInUseError(`Could not take the lock ${path}: another process raced us`);
}

/** The lock paths this process holds (on globalThis, to survive a dev-server reload). */
const HELD = Symbol.for("gradbook.pgliteLocks");
function heldHere(): Set<string> {
  const holder = globalThis as { [HELD]?: Set<string> };
  holder[HELD] ??= new Set();
  return holder[HELD];
}

function lockAt(path: string): Lock {
  let held = true;
  heldHere().add(path);
  const release = () => {
    if (!held) return;
    held = false;
    heldHere().delete(path);
    process.off("exit", release);
    if (readHolder(path) === process.pid) rmSync(path, { force: true });
  };
  process.on("exit", release);
  return { release };
}

function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
