import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "../src/server/db/schema";
import { SESSION_COOKIE } from "../src/server/identity";
import { lessonPackage } from "../src/server/lessons";
import { oidcErrorMessage } from "../src/server/oidc/errors";
import { FLOW_COOKIE, sealFlow, unsealFlow } from "../src/server/oidc/flow-cookie";
import { oidcCallback, startOidc } from "../src/server/oidc/http";
import { createServices, type Services } from "../src/server/services";
import { browser, cookiesOf } from "./browsers";
import type { TestDatabase } from "./databases";
import { countRows, rejection } from "./suite-helpers";

const APP = "http://app.test";
const CLIENT = { clientId: "gradbook", clientSecret: "a test client secret, long enough" };
const PASSWORD = "correct horse battery";

type Browser = ReturnType<typeof browser>;

/** Who the provider's login page signs in next, or "deny" to refuse consent. */
interface TestProvider {
  readonly issuer: string;
  /** The claims of each person at the provider, by subject. */
  readonly people: Map<string, Record<string, unknown>>;
  next: string;
  close(): Promise<void>;
}

/**
 * A real oidc-provider on a loopback port, with one client (the app) and an interaction route
 * that signs in `provider.next` and grants what the app asked for, as a school's login would
 * after the person typed a password and clicked "allow".
 */
async function startProvider(): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map<string, Record<string, unknown>>();
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    format: "jwk",
  });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        redirect_uris: [`${APP}/api/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...key, use: "sig", kid: "test" }] },
    cookies: { keys: ["test cookie key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/i/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) =>
      people.has(sub)
        ? { accountId: sub, claims: async () => ({ sub, ...people.get(sub) }) }
        : undefined,
  });
  const state: TestProvider = {
    issuer,
    people,
    next: "",
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const callback = provider.callback();
  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/i/")) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    if (state.next === "deny") {
      const denied = { error: "access_denied", error_description: "End-User aborted interaction" };
      return provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === "login") {
      return provider.interactionFinished(req, res, { login: { accountId: state.next } });
    }
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } });
  });
  return state;
}

/** Follows the provider's redirects (with its cookies) until it sends the browser to the app. */
async function throughProvider(authorizationUrl: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hops = 0; hops < 20; hops++) {
    if (url.origin === APP) return url;
    const response = await fetch(url, {
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    absorbCookies(jar, response);
    const location = response.headers.get("location");
    if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname}`);
    url = new URL(location, url);
  }
  throw new Error("too many redirects at the provider");
}

function absorbCookies(jar: Map<string, string>, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(";");
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
}

/** A request from a simulated browser to the app, with its cookies. */
function appRequest(b: Browser, pathAndQuery: string): Request {
  const cookie = [...cookiesOf(b)].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Request(`${APP}${pathAndQuery}`, { headers: { cookie } });
}

/** OpenID Connect sign-in against a real provider, once per database driver. */
export function oidcSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`OpenID Connect sign-in on ${name}`, () => {
    let database: TestDatabase;
    let provider: TestProvider;
    let services: Services;

    const servicesFor = (issuer: string): Services =>
      createServices({
        db: database.handle.db,
        lessons: lessonPackage(),
        limits: { newIdentities: { burst: 1000, perSecond: 1 } },
        adminEmails: ["root@lincoln.test"],
        oidc: { issuer, ...CLIENT, name: "Lincoln High" },
      });

    /** GET /api/auth/oidc/start: the provider's authorization URL the app redirects to. */
    const start = async (b: Browser, next = "/notebooks"): Promise<string> => {
      const response = await startOidc(
        appRequest(b, `/api/auth/oidc/start?next=${encodeURIComponent(next)}`),
        services,
      );
      expect(response.status).toBe(303);
      absorbCookies(cookiesOf(b), response);
      return response.headers.get("location")!;
    };

    /** GET /api/auth/oidc/callback with what the provider sent back: where the app redirects. */
    const callback = async (b: Browser, url: URL): Promise<string> => {
      const response = await oidcCallback(appRequest(b, `${url.pathname}${url.search}`), services);
      expect(response.status).toBe(303);
      absorbCookies(cookiesOf(b), response);
      expect(cookiesOf(b).has(FLOW_COOKIE)).toBe(false); // one use only
      return response.headers.get("location")!;
    };

    /** The whole round trip, as `subject` at the provider. */
    const signIn = async (b: Browser, subject: string, next?: string) => {
      provider.next = subject;
      return callback(b, await throughProvider(await start(b, next)));
    };

    const userRow = async (id: string) =>
      (await services.db.select().from(users).where(eq(users.id, id)))[0];
    const countOf = (table: typeof users | typeof sessions) => countRows(services.db, table);

    beforeAll(async () => {
      database = await open();
      provider = await startProvider();
      services = servicesFor(provider.issuer);
      provider.people.set("alice", {
        email: "Alice@Lincoln.test",
        email_verified: true,
        name: "Alice Liddell",
      });
    });
    afterAll(async () => {
      await provider?.close();
      await database?.dispose();
    });

    it("creates an account from the provider's claims, with no password", async () => {
      const b = browser(services);
      expect(await signIn(b, "alice")).toBe("/notebooks");
      const me = await b.auth.me();
      expect(me).toMatchObject({
        kind: "account",
        email: "alice@lincoln.test",
        displayName: "Alice Liddell",
        role: "student",
      });
      const row = await userRow(me!.id);
      expect(row).toMatchObject({
        oidcIssuer: provider.issuer,
        oidcSubject: "alice",
        passwordHash: null,
      });
      expect(await b.auth.signInMethods()).toEqual({ password: false, oidc: true });
    });

    it("signs the same person in to the same account, with a new session secret each time", async () => {
      const first = browser(services);
      await signIn(first, "alice");
      const id = (await first.auth.me())!.id;
      const secret = cookiesOf(first).get(SESSION_COOKIE)!;

      const second = browser(services);
      await signIn(second, "alice");
      expect((await second.auth.me())!.id).toBe(id);
      expect(cookiesOf(second).get(SESSION_COOKIE)).not.toBe(secret);

      // Signing in again from the same browser rotates its session: the old secret is dead.
      await signIn(first, "alice");
      expect(cookiesOf(first).get(SESSION_COOKIE)).not.toBe(secret);
      expect((await first.auth.me())!.id).toBe(id);
      const thief = browser(services);
      cookiesOf(thief).set(SESSION_COOKIE, secret);
      expect(await thief.auth.me()).toBeNull();
    });

    it("moves an anonymous browser's notebook to the existing account", async () => {
      const b = browser(services);
      const { id: notebookId } = await b.notebooks.create({ content: "# Before signing in\n" });
      const anonymous = (await b.auth.me())!;
      expect(anonymous.kind).toBe("anonymous");

      await signIn(b, "alice");
      const me = (await b.auth.me())!;
      expect(me.email).toBe("alice@lincoln.test");
      expect((await b.notebooks.listMine()).map((n) => n.id)).toContain(notebookId);
      expect(await userRow(anonymous.id)).toBeUndefined();
    });

    it("turns an anonymous browser into the new account in place", async () => {
      provider.people.set("bob", { email: "bob@lincoln.test", email_verified: true });
      const b = browser(services);
      const { id: notebookId } = await b.notebooks.create({ content: "# Bob's\n" });
      const anonymous = (await b.auth.me())!;

      await signIn(b, "bob");
      expect(await b.auth.me()).toMatchObject({
        id: anonymous.id,
        kind: "account",
        email: "bob@lincoln.test",
        displayName: null,
      });
      expect((await b.notebooks.listMine()).map((n) => n.id)).toEqual([notebookId]);
    });

    it("links a verified email to the existing password account", async () => {
      const b = browser(services);
      const me = (await b.auth.signUp({ email: "carol@lincoln.test", password: PASSWORD }))!;
      provider.people.set("carol", { email: "CAROL@lincoln.test", email_verified: true });

      const other = browser(services);
      await signIn(other, "carol");
      expect((await other.auth.me())!.id).toBe(me.id);
      expect(await userRow(me.id)).toMatchObject({ oidcSubject: "carol" });
      // The password still works too.
      const withPassword = browser(services);
      await withPassword.auth.signIn({ email: "carol@lincoln.test", password: PASSWORD });
      expect(await withPassword.auth.signInMethods()).toEqual({ password: true, oidc: true });
    });

    it("does not link an unverified email: it makes a separate account without one", async () => {
      const b = browser(services);
      const dave = (await b.auth.signUp({ email: "dave@lincoln.test", password: PASSWORD }))!;
      provider.people.set("not-dave", { email: "dave@lincoln.test", email_verified: false });

      const other = browser(services);
      await signIn(other, "not-dave");
      const me = (await other.auth.me())!;
      expect(me.id).not.toBe(dave.id);
      expect(me).toMatchObject({ kind: "account", email: null });
      expect(await userRow(dave.id)).toMatchObject({ oidcSubject: null });
    });

    it("refuses to link an email whose account is linked to another identity", async () => {
      provider.people.set("alice-again", { email: "alice@lincoln.test", email_verified: true });
      const b = browser(services);
      expect(await signIn(b, "alice-again")).toBe(
        "/signin?error=linked_elsewhere&next=%2Fnotebooks",
      );
      expect(await b.auth.me()).toBeNull();
    });

    it("refuses password sign-in and password change for an account without a password", async () => {
      const failed = await rejection(() =>
        browser(services).auth.signIn({ email: "alice@lincoln.test", password: PASSWORD }),
      );
      expect(failed.code).toBe("UNAUTHORIZED");
      expect(failed.message).toBe("Email or password is wrong.");

      const b = browser(services);
      await signIn(b, "alice");
      const change = await rejection(() =>
        b.auth.changePassword({ current: "", next: "a brand new password" }),
      );
      expect(change.code).toBe("BAD_REQUEST");
      expect(change.message).toMatch(/no password/);
    });

    it("returns to a same-site `next` only", async () => {
      expect(await signIn(browser(services), "alice", "/n/abc?tab=2#cell-3")).toBe(
        "/n/abc?tab=2#cell-3",
      );
      for (const next of ["//evil.test/x", "https://evil.test/", "/\\evil.test", "javascript:1"]) {
        expect(await signIn(browser(services), "alice", next)).toBe("/notebooks");
      }
    });

    describe("refusals: back to /signin with a reason, no session", () => {
      /** A started flow whose provider answer is altered before the callback. */
      const refusedWith = async (alter: (url: URL) => void) => {
        const b = browser(services);
        provider.next = "alice";
        const url = await throughProvider(await start(b, "/classrooms"));
        alter(url);
        const [usersBefore, sessionsBefore] = [await countOf(users), await countOf(sessions)];
        const location = await callback(b, url);
        expect(cookiesOf(b).has(SESSION_COOKIE)).toBe(false);
        expect(await countOf(users)).toBe(usersBefore);
        expect(await countOf(sessions)).toBe(sessionsBefore);
        return location;
      };

      it("refuses a tampered state", async () => {
        const location = await refusedWith((url) => url.searchParams.set("state", "forged"));
        expect(location).toBe("/signin?error=invalid&next=%2Fclassrooms");
      });

      it("refuses a missing state", async () => {
        expect(await refusedWith((url) => url.searchParams.delete("state"))).toBe(
          "/signin?error=invalid&next=%2Fclassrooms",
        );
      });

      it("refuses a tampered code", async () => {
        expect(await refusedWith((url) => url.searchParams.set("code", "forged"))).toBe(
          "/signin?error=invalid&next=%2Fclassrooms",
        );
      });

      it("refuses a callback without the flow cookie (expired, or another browser's)", async () => {
        const b = browser(services);
        provider.next = "alice";
        const url = await throughProvider(await start(b));
        const elsewhere = browser(services);
        expect(await callback(elsewhere, url)).toBe("/signin?error=expired&next=%2Fnotebooks");
        expect(await elsewhere.auth.me()).toBeNull();
        // A cookie the browser made up is no better.
        cookiesOf(elsewhere).set(FLOW_COOKIE, "bm90IGEgZmxvdw");
        expect(await callback(elsewhere, url)).toBe("/signin?error=expired&next=%2Fnotebooks");
        expect(await elsewhere.auth.me()).toBeNull();
      });

      it("reports a refused consent", async () => {
        const b = browser(services);
        provider.next = "deny";
        const url = await throughProvider(await start(b, "/classrooms"));
        expect(url.searchParams.get("error")).toBe("access_denied");
        expect(await callback(b, url)).toBe("/signin?error=denied&next=%2Fclassrooms");
        expect(await b.auth.me()).toBeNull();
      });

      it("reports a provider that cannot be reached", async () => {
        const closed = createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const { port } = closed.address() as AddressInfo;
        await new Promise((resolve) => closed.close(resolve));
        const down = servicesFor(`http://127.0.0.1:${port}`);
        const response = await startOidc(
          appRequest(browser(down), "/api/auth/oidc/start?next=%2Fcourse"),
          down,
        );
        expect(response.headers.get("location")).toBe("/signin?error=unavailable&next=%2Fcourse");
        expect(response.headers.get("set-cookie")).toBeNull();
      });

      it("shows a message for known codes only", () => {
        expect(oidcErrorMessage("denied")).toMatch(/cancelled/);
        expect(oidcErrorMessage("Your account is locked: call 555-0100")).toBeNull();
        expect(oidcErrorMessage("toString")).toBeNull();
      });
    });

    it("keeps the flow sealed and short-lived", () => {
      const flow = { state: "s", nonce: "n", codeVerifier: "v", next: "/notebooks" };
      const sealed = sealFlow(flow, CLIENT.clientSecret);
      expect(sealed).not.toContain("notebooks");
      expect(unsealFlow(sealed, CLIENT.clientSecret)).toEqual(flow);
      expect(unsealFlow(sealed, "another secret")).toBeNull();
      expect(unsealFlow(sealed, CLIENT.clientSecret, Date.now() + 11 * 60_000)).toBeNull();
      const before = sealed.at(-2);
      const flipped = `${sealed.slice(0, -2)}${before === "A" ? "B" : "A"}${sealed.slice(-1)}`;
      expect(unsealFlow(flipped, CLIENT.clientSecret)).toBeNull();
    });

    it("is off without configuration: no routes", async () => {
      const off = createServices({ db: database.handle.db, lessons: lessonPackage(), oidc: null });
      const b = browser(off);
      expect((await startOidc(appRequest(b, "/api/auth/oidc/start"), off)).status).toBe(404);
      expect((await oidcCallback(appRequest(b, "/api/auth/oidc/callback"), off)).status).toBe(404);
    });
  });
}
