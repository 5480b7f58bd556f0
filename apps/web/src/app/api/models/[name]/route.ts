import { getAppServices } from "@/server/app-services";
import { logRequest, requestRecord } from "@/server/log";
import { getModel, putModel } from "@/server/models/http";
import type { Services } from "@/server/services";

/** A model's bytes stream from the database chunk by chunk: never cache, never prerender. */
export const dynamic = "force-dynamic";

function logged(handler: (req: Request, services: Services) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    const startedAt = performance.now();
    const response = await handler(req, await getAppServices());
    // The model's name is the user's own text: log the route, not the name.
    logRequest({ ...requestRecord(req, response.status, startedAt), path: "models/[name]" });
    return response;
  };
}

export const GET = logged(getModel);
export const PUT = logged(putModel);
