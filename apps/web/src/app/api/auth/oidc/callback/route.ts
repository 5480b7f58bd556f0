import { getAppServices } from "@/server/app-services";
import { logRequest, requestRecord } from "@/server/log";
import { oidcCallback } from "@/server/oidc/http";

/** Where the school's OpenID Connect provider sends the browser back (src/server/oidc/http.ts). */
export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const response = await oidcCallback(req, await getAppServices());
  logRequest(requestRecord(req, response.status, startedAt));
  return response;
}
