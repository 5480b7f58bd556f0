import { AuthorizationResponseError, ResponseBodyError } from "openid-client";
import { safeReturnPath } from "../../lib/return-path";
import { findUser } from "../accounts";
import { cookieIdentity, headerCookieJar } from "../identity";
import { log } from "../log";
import { appOriginOf } from "../same-origin";
import type { Services } from "../services";
import { OidcAccountError, oidcAccountFor } from "./accounts";
import type { OidcProfile } from "./client";
import type { OidcErrorCode } from "./errors";
import { FLOW_COOKIE, FLOW_MINUTES, sealFlow, unsealFlow } from "./flow-cookie";

/**
 * GET /api/auth/oidc/start?next=/path sends the browser to the provider; the provider sends it
 * back to GET /api/auth/oidc/callback, which signs it in and goes on to `next`. Failures go to
 * /signin?error=<code> (errors.ts); details go to the log, never to the page.
 */
export const OIDC_START_PATH = "/api/auth/oidc/start";
export const OIDC_CALLBACK_PATH = "/api/auth/oidc/callback";
/** The flow cookie is only sent to these routes. */
const FLOW_COOKIE_PATH = "/api/auth/oidc";

/** The sign-in link for a page that wants to come back to `next`. */
export function oidcStartHref(next: string): string {
  return `${OIDC_START_PATH}?next=${encodeURIComponent(next)}`;
}

export async function startOidc(req: Request, services: Services): Promise<Response> {
  const { oidc } = services;
  if (!oidc) return notConfigured();
  const { appOrigin, url } = originOf(req);
  const next = safeReturnPath(url.searchParams.get("next"));
  try {
    const { url: target, checks } = await oidc.start(appOrigin + OIDC_CALLBACK_PATH);
    const headers = redirectHeaders(target.href);
    const sealed = sealFlow({ ...checks, next }, oidc.settings.clientSecret);
    headers.append("set-cookie", flowCookie(sealed, FLOW_MINUTES * 60, appOrigin));
    return new Response(null, { status: 303, headers });
  } catch (error) {
    log.warn({ err: error }, "oidc: could not start a sign-in");
    return toSignIn("unavailable", next);
  }
}

export async function oidcCallback(req: Request, services: Services): Promise<Response> {
  const { oidc } = services;
  if (!oidc) return notConfigured();
  const { appOrigin, url } = originOf(req);
  const headers = new Headers();
  const jar = headerCookieJar(req.headers, headers);
  // The flow is good for one answer: whatever happens next, the browser forgets it.
  headers.append("set-cookie", flowCookie("", 0, appOrigin));
  const flow = unsealFlow(jar.get(FLOW_COOKIE), oidc.settings.clientSecret);
  if (!flow) return toSignIn("expired", "/notebooks", headers);

  // The URL the provider sent the browser to, as registered (behind a proxy req.url may differ).
  const callbackUrl = new URL(appOrigin + OIDC_CALLBACK_PATH);
  callbackUrl.search = url.search;
  let profile: OidcProfile;
  try {
    profile = await oidc.finish(callbackUrl, flow);
  } catch (error) {
    const code = failureCode(error);
    log.warn({ err: error, reason: code }, "oidc: sign-in failed");
    return toSignIn(code, flow.next, headers);
  }

  const identity = cookieIdentity(services.db, jar, appOrigin.startsWith("https:"));
  try {
    const current = await identity.current();
    const browser = current === null ? null : await userKind(services, current);
    const userId = await oidcAccountFor(services.db, profile, browser, services.adminEmails);
    await identity.startSession(userId); // a new secret: no session fixation
  } catch (error) {
    if (error instanceof OidcAccountError) return toSignIn(error.code, flow.next, headers);
    log.error({ err: error }, "oidc: could not sign in a verified identity");
    return toSignIn("failed", flow.next, headers);
  }
  headers.set("location", flow.next);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 303, headers });
}

async function userKind(services: Services, id: string) {
  const user = await findUser(services.db, id);
  return user && { id: user.id, kind: user.kind };
}

/** Which message a failed exchange gets. */
function failureCode(error: unknown): OidcErrorCode {
  if (error instanceof AuthorizationResponseError) {
    return error.error === "access_denied" ? "denied" : "refused";
  }
  if (error instanceof ResponseBodyError) return error.status >= 500 ? "unavailable" : "invalid";
  return isNetworkError(error) ? "unavailable" : "invalid";
}

/** fetch's failures (refused, unresolvable, timed out), however deep the cause. */
function isNetworkError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
    if (e instanceof TypeError && e.message === "fetch failed") return true;
    e = e.cause;
  }
  return false;
}

function originOf(req: Request) {
  const url = new URL(req.url);
  return { url, appOrigin: appOriginOf(url, req.headers, process.env.GRADBOOK_ORIGIN) };
}

function flowCookie(value: string, maxAge: number, appOrigin: string): string {
  return [
    `${FLOW_COOKIE}=${value}`,
    `Path=${FLOW_COOKIE_PATH}`,
    `Max-Age=${maxAge}`,
    "HttpOnly",
    // Lax: the provider's redirect back is a top-level GET, which carries it.
    "SameSite=Lax",
    ...(appOrigin.startsWith("https:") ? ["Secure"] : []),
  ].join("; ");
}

function redirectHeaders(location: string): Headers {
  return new Headers({ location, "cache-control": "no-store" });
}

function toSignIn(code: OidcErrorCode, next: string, headers = new Headers()): Response {
  const query = new URLSearchParams({ error: code, next });
  headers.set("location", `/signin?${query}`);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 303, headers });
}

function notConfigured(): Response {
  return Response.json(
    { error: "OpenID Connect sign-in is not configured on this server." },
    { status: 404 },
  );
}
