import { getAppServices } from "@/server/app-services";
import { logRequest, requestRecord } from "@/server/log";
import { getSharedModel } from "@/server/models/http";

/** Read-only: a shared notebook's `models.load`. There is deliberately no PUT here. */
export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const response = await getSharedModel(req, await getAppServices());
  // The share id is a secret, and the name the user's text: log the route only.
  logRequest({
    ...requestRecord(req, response.status, startedAt),
    path: "shares/[shareId]/models/[name]",
  });
  return response;
}
