import { handleTrpcRequest } from "@/server/api/http-handler";
import { getAppServices } from "@/server/app-services";

async function handle(req: Request): Promise<Response> {
  return handleTrpcRequest(req, await getAppServices());
}

export { handle as GET, handle as POST };
