import type { Context } from "../src/server/api/context";
import { createCaller } from "../src/server/api/root";
import { sessions } from "../src/server/db/schema";
import { type CookieJar, cookieIdentity, SESSION_COOKIE } from "../src/server/identity";
import { randomSecret, sha256 } from "../src/server/ids";
import { lessonPackage } from "../src/server/lessons";
import type { Limits } from "../src/server/limits";
import { createServices, type Services } from "../src/server/services";
import type { TestDatabase } from "./databases";

export function testServices(db: TestDatabase, limits?: Partial<Limits>): Services {
  return createServices({ db: db.handle.db, lessons: lessonPackage(), limits });
}

/**
 * A simulated browser: its own cookie jar, and a fresh context per call, as each HTTP request
 * gets. `crossSite` makes its requests look like they come from another site (CSRF).
 */
export function browser(
  services: Services,
  options: { crossSite?: boolean; address?: string } = {},
) {
  const cookies = new Map<string, string>();
  const jar: CookieJar = {
    get: (name) => cookies.get(name),
    // Max-Age=0 deletes a cookie, as a browser does on sign-out.
    set: (name, value, { maxAge }) =>
      void (maxAge > 0 ? cookies.set(name, value) : cookies.delete(name)),
  };
  const context = (): Context => ({
    services,
    identity: cookieIdentity(services.db, jar, false),
    origin: options.crossSite
      ? { ok: false, reason: "requests from https://evil.test cannot change data" }
      : { ok: true },
    clientAddress: options.address ?? "127.0.0.1",
  });
  const caller = createCaller(context);
  jars.set(caller, cookies);
  return caller;
}

const jars = new WeakMap<object, Map<string, string>>();

/** The cookies a simulated browser holds. */
export function cookiesOf(browser: object): Map<string, string> {
  return jars.get(browser) ?? new Map();
}

/** A simulated browser's session cookie, as its HTTP requests send it (a `cookie` header). */
export function sessionCookie(browser: object): string {
  return `${SESSION_COOKIE}=${cookiesOf(browser).get(SESSION_COOKIE)}`;
}

/** A simulated browser signed in as `userId` (a session row made directly, as signing in makes one). */
export async function signedInBrowser(services: Services, userId: string) {
  const signedIn = browser(services);
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 86_400_000);
  await services.db.insert(sessions).values({ tokenHash: sha256(secret), userId, expiresAt });
  cookiesOf(signedIn).set(SESSION_COOKIE, secret);
  return signedIn;
}
