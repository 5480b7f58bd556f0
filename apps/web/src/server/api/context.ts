import { cookieIdentity, headerCookieJar, type Identity } from "../identity";
import { appOriginOf, checkSameOrigin, type OriginVerdict } from "../same-origin";
import type { Services } from "../services";

/** What every procedure sees. Identity comes from the cookie only, never from the input. */
export interface Context {
  readonly services: Services;
  readonly identity: Identity;
  /** Whether the request came from the app's own pages; mutations require it. */
  readonly origin: OriginVerdict;
  /** Keys the limit on new identities; the proxy's X-Forwarded-For when behind one. */
  readonly clientAddress: string;
}

/** The context of an HTTP request to /api/trpc; a new identity's cookie goes in `resHeaders`. */
export function createRequestContext(
  services: Services,
  req: Request,
  resHeaders: Headers,
): Context {
  const url = new URL(req.url);
  const appOrigin = appOriginOf(url, req.headers, process.env.GRADBOOK_ORIGIN);
  const secure = appOrigin.startsWith("https:");
  return {
    services,
    identity: cookieIdentity(services.db, headerCookieJar(req.headers, resHeaders), secure),
    origin: checkSameOrigin(req.headers, appOrigin),
    clientAddress: clientAddressOf(req.headers),
  };
}

function clientAddressOf(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
