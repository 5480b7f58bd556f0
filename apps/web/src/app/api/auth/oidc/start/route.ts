import { getAppServices } from "@/server/app-services";
import { logRequest, requestRecord } from "@/server/log";
import { startOidc } from "@/server/oidc/http";

/** Sends the browser to the school's OpenID Connect provider (src/server/oidc/http.ts). */
export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const startedAt = performance.now();
  const response = await startOidc(req, await getAppServices());
  logRequest(requestRecord(req, response.status, startedAt));
  return response;
}
