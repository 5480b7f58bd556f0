import type { Context } from "../src/server/api/context";
import { createCaller } from "../src/server/api/root";
import { type CookieJar, cookieIdentity } from "../src/server/identity";
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
    set: (name, value) => void cookies.set(name, value),
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
