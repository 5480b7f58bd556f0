import { getAppServices } from "./app-services";

/**
 * Opens the app's services at server start. If that fails (say, another process holds the PGlite
 * directory), the server exits with the reason: Next would otherwise keep listening and fail
 * every request.
 */
export async function startOrExit(): Promise<void> {
  try {
    await getAppServices();
  } catch (error) {
    console.error(`Gradbook cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
