import { handleTrpcRequest } from "@/server/api/http-handler";
import { getAppServices } from "@/server/app-services";
import { log, logRequest, requestRecord } from "@/server/log";

async function handle(req: Request): Promise<Response> {
  const startedAt = performance.now();
  try {
    const response = await handleTrpcRequest(req, await getAppServices());
    logRequest(requestRecord(req, response.status, startedAt));
    return response;
  } catch (error) {
    log.error({ err: error, ...requestRecord(req, 500, startedAt) }, "api request failed");
    throw error;
  }
}

export { handle as GET, handle as POST };
