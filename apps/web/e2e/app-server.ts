import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface AppServer {
  readonly url: string;
  /** The PGlite data directory it uses. */
  readonly dataDir: string;
  /** What the server printed, for failure messages. */
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the production build (`next start`) on a free port with a fresh PGlite directory, as
 * `npm start` would (or on PostgreSQL at `databaseUrl`), and waits until it answers.
 */
export async function startAppServer(
  options: { dataDir?: string; databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<AppServer> {
  if (!existsSync(join(APP_DIR, ".next", "BUILD_ID"))) {
    throw new Error(
      "No production build: run `npm run build -w @gradbook/web` first (npm test does).",
    );
  }
  const port = await freePort();
  const dataRoot = mkdtempSync(join(tmpdir(), "gradbook-e2e-"));
  const dataDir = options.dataDir ?? join(dataRoot, "pglite");
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GRADBOOK_DATA_DIR: dataDir,
    NODE_ENV: "production",
    ...options.env,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // If the test run ends abruptly (a timeout), the server must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const server: AppServer = {
    url,
    dataDir,
    log: () => output,
    async stop() {
      process.off("exit", killOnExit);
      await stopProcess(child);
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(url, child, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`next start exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/course`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(),
      );
    });
  });
}
