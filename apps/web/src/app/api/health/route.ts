import { getAppServices } from "@/server/app-services";
import { healthResponse } from "@/server/health";

// Answered afresh on every request: a health check must never be served from a cache.
export const dynamic = "force-dynamic";

export function GET(): Promise<Response> {
  // If the services cannot open (the database is down at start), that is the reason reported.
  return healthResponse(getAppServices().then((services) => services.db));
}
