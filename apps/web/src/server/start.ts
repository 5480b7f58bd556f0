import { getAppServices } from "./app-services";
import { log } from "./log";

/**
 * Opens the app's services at server start. If that fails (say, another process holds the PGlite
 * directory), the server exits with the reason: Next would otherwise keep listening and fail
 * every request.
 */
export async function startOrExit(): Promise<void> {
  try {
    await getAppServices();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.fatal({ err: error }, `Gradbook cannot start: ${reason}`);
    // pino flushes its buffer to stdout on exit, so the line is not lost.
    process.exit(1);
  }
}
