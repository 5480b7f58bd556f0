import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { formatBytes } from "../limits";
import { log } from "../log";
import type { Services } from "../services";
import { createRequestContext } from "./context";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";

/**
 * Serves /api/trpc. The body is read here first, up to `limits.requestBytes`: a larger request
 * is refused with 413 before any of it is parsed (by Content-Length when given, else as it
 * streams in).
 */
export async function handleTrpcRequest(req: Request, services: Services): Promise<Response> {
  const limit = services.limits.requestBytes;
  let body: Uint8Array | undefined;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const declared = Number(req.headers.get("content-length") ?? Number.NaN);
    if (declared > limit) return tooLarge(limit);
    const read = await readAtMost(req, limit);
    if (read === null) return tooLarge(limit);
    body = read;
  }
  const bounded =
    body === undefined
      ? req
      : new Request(req.url, {
          method: req.method,
          headers: req.headers,
          body: new Blob([body as Uint8Array<ArrayBuffer>]),
          signal: req.signal,
        });
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: bounded,
    router: appRouter,
    maxBatchSize: 20,
    createContext: ({ req, resHeaders }) => createRequestContext(services, req, resHeaders),
    onError({ error, path }) {
      // Other codes are the client's doing (bad input, not found, rate limits): not server errors.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        log.error({ err: error.cause ?? error, path: path ?? "?" }, "api procedure failed");
      }
    },
  });
}

/** The body, or null once it passes `limit` bytes (the rest is not read). */
async function readAtMost(req: Request, limit: number): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** A 413 in tRPC's error shape, so clients show its message like any other error. */
function tooLarge(limit: number): Response {
  const error = {
    message: `The request is larger than the server accepts (${formatBytes(limit)}).`,
    code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
    data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
  };
  return Response.json({ error }, { status: 413, headers: { connection: "close" } });
}
