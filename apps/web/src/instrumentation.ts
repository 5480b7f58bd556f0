/**
 * Runs once when the server starts: opens the database, applies migrations and (for PGlite)
 * takes the data directory's lock, or exits with the reason (server/start.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startOrExit } = await import("./server/start");
  await startOrExit();
}
