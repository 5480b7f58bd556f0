import { randomUUID } from "node:crypto";
import { and, eq, gt } from "drizzle-orm";
import type { Database } from "./db/open";
import { sessions, users } from "./db/schema";
import { randomSecret, sha256 } from "./ids";

/**
 * Who a request is. Until accounts exist, a browser is an anonymous user: an httpOnly cookie
 * holds a random secret whose hash names a `sessions` row, which names a `users` row. The user is
 * created on the browser's first write, so visits that only read leave no rows behind. Signing in
 * or up replaces the browser's session with a new one (a new secret: no session fixation) that
 * lasts ACCOUNT_SESSION_DAYS; accounts.ts has the rest.
 */

export const SESSION_COOKIE = "gradbook_session";
/** Chrome's maximum cookie lifetime: an anonymous user's cookie is its only way back in. */
const SESSION_DAYS = 400;
/** A signed-in session: a shared or lost machine stops being signed in after a month. */
export const ACCOUNT_SESSION_DAYS = 30;

export interface CookieOptions {
  readonly httpOnly: true;
  readonly sameSite: "lax";
  readonly secure: boolean;
  readonly path: "/";
  readonly maxAge: number;
}

/** The request's cookies; `set` adds a Set-Cookie header to the response. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
}

export interface Identity {
  /** The user this browser is, or null if it has not written anything yet. */
  current(): Promise<string | null>;
  /** The user this browser is, created as an anonymous user if it is new. */
  ensure(): Promise<string>;
  /** Gives this browser a new session (new secret) for `userId`, deleting its old session row. */
  startSession(userId: string, days?: number): Promise<void>;
  /** Deletes this browser's session row and clears its cookie. */
  endSession(): Promise<void>;
}

export function cookieIdentity(db: Database, jar: CookieJar, secure: boolean): Identity {
  let current: Promise<string | null> | undefined;
  const lookUp = async (): Promise<string | null> => {
    const secret = jar.get(SESSION_COOKIE);
    if (!secret || secret.length > 100) return null;
    const [row] = await db
      .select({ userId: sessions.userId })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, sha256(secret)), gt(sessions.expiresAt, new Date())));
    return row?.userId ?? null;
  };
  const setCookie = (secret: string, days: number) =>
    jar.set(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: days * 86_400,
    });
  /** The hash of the cookie's secret, whether or not its session still exists. */
  const cookieHash = (): string | null => {
    const secret = jar.get(SESSION_COOKIE);
    return secret && secret.length <= 100 ? sha256(secret) : null;
  };
  const identity: Identity = {
    current() {
      current ??= lookUp();
      return current;
    },
    async ensure() {
      const existing = await identity.current();
      if (existing) return existing;
      const userId = randomUUID();
      const secret = randomSecret();
      const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
      await db.transaction(async (tx) => {
        await tx.insert(users).values({ id: userId, kind: "anonymous" });
        await tx.insert(sessions).values({ tokenHash: sha256(secret), userId, expiresAt });
      });
      setCookie(secret, SESSION_DAYS);
      current = Promise.resolve(userId);
      return userId;
    },
    async startSession(userId, days = ACCOUNT_SESSION_DAYS) {
      const old = cookieHash();
      const secret = randomSecret();
      const expiresAt = new Date(Date.now() + days * 86_400_000);
      await db.transaction(async (tx) => {
        if (old) await tx.delete(sessions).where(eq(sessions.tokenHash, old));
        await tx.insert(sessions).values({ tokenHash: sha256(secret), userId, expiresAt });
      });
      setCookie(secret, days);
      current = Promise.resolve(userId);
    },
    async endSession() {
      const old = cookieHash();
      if (old) await db.delete(sessions).where(eq(sessions.tokenHash, old));
      setCookie("", 0); // Max-Age=0: the browser drops it
      current = Promise.resolve(null);
    },
  };
  return identity;
}

/** A cookie jar over a request's Cookie header that writes Set-Cookie into `responseHeaders`. */
export function headerCookieJar(requestHeaders: Headers, responseHeaders: Headers): CookieJar {
  const cookies = parseCookieHeader(requestHeaders.get("cookie") ?? "");
  return {
    get: (name) => cookies.get(name),
    set(name, value, options) {
      if (options.maxAge > 0) cookies.set(name, value);
      else cookies.delete(name);
      responseHeaders.append("set-cookie", formatSetCookie(name, value, options));
    },
  };
}

export function parseCookieHeader(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function formatSetCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}
