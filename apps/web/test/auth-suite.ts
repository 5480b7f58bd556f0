import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginThrottle, models, sessions, users } from "../src/server/db/schema";
import { randomId } from "../src/server/ids";
import { lessonPackage } from "../src/server/lessons";
import type { Limits } from "../src/server/limits";
import { createServices, type Services } from "../src/server/services";
import { browser, cookiesOf } from "./browsers";
import type { TestDatabase } from "./databases";
import { countRows, rejection } from "./suite-helpers";

const PASSWORD = "correct horse battery";
const COOKIE = "gradbook_session";

type Browser = ReturnType<typeof browser>;

/** Accounts, sessions and roles, run once per database driver (pglite.test.ts, postgres.test.ts). */
export function authSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`Accounts on ${name}`, () => {
    let database: TestDatabase;
    let services: Services;
    /** The first account: the site's admin. */
    let admin: Browser;
    let emails = 0;
    /** A fresh address for each account, so tests don't share throttle counters. */
    const newEmail = (who = "user") => `${who}${++emails}@school.test`;

    const servicesWith = (
      options: { limits?: Partial<Limits>; adminEmails?: string[] | null } = {},
    ): Services =>
      createServices({
        db: database.handle.db,
        lessons: lessonPackage(),
        // Every simulated browser shares one address: room for all of them.
        limits: { newIdentities: { burst: 1000, perSecond: 1 }, ...options.limits },
        adminEmails: options.adminEmails ?? null,
      });

    const userRow = async (id: string) =>
      (await services.db.select().from(users).where(eq(users.id, id)))[0];

    /** A browser holding another's cookie: what an attacker with that secret would be. */
    const holding = (secret: string | undefined): Browser => {
      const thief = browser(services);
      if (secret) cookiesOf(thief).set(COOKIE, secret);
      return thief;
    };

    const signedUp = async (email = newEmail(), options: { address?: string } = {}) => {
      const b = browser(services, options);
      const me = await b.auth.signUp({ email, password: PASSWORD });
      return { b, me: me!, email };
    };

    beforeAll(async () => {
      database = await open();
      services = servicesWith();
    });
    afterAll(async () => {
      await database?.dispose();
    });

    describe("roles of new accounts", () => {
      it("makes the first account admin when GRADBOOK_ADMIN_EMAILS is unset, then students", async () => {
        const first = await signedUp(newEmail("root"));
        admin = first.b;
        expect(first.me.role).toBe("admin");
        expect((await signedUp()).me.role).toBe("student");
      });

      it("makes exactly the listed emails admins when GRADBOOK_ADMIN_EMAILS is set", async () => {
        const listed = servicesWith({ adminEmails: ["Boss@School.test", "other@school.test"] });
        const boss = browser(listed);
        expect(
          (await boss.auth.signUp({ email: "boss@school.test", password: PASSWORD }))?.role,
        ).toBe("admin");
        const someone = browser(listed);
        expect((await someone.auth.signUp({ email: newEmail(), password: PASSWORD }))?.role).toBe(
          "student",
        );
      });

      it("promotes a listed account that signed up before it was listed when it signs in", async () => {
        const { email, me } = await signedUp();
        expect(me.role).toBe("student");
        const listed = servicesWith({ adminEmails: [email] });
        const again = await browser(listed).auth.signIn({ email, password: PASSWORD });
        expect(again?.role).toBe("admin");
        await admin.admin.setRole({ userId: me.id, role: "student" });
      });
    });

    describe("sign-up", () => {
      it("turns the browser's anonymous user into the account, keeping its notebooks", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: "# Mine\n" });
        const anonymous = await alice.auth.me();
        expect(anonymous).toMatchObject({ kind: "anonymous", email: null });

        const me = await alice.auth.signUp({
          email: "  Alice.Smith@School.TEST ",
          password: PASSWORD,
          displayName: " Alice ",
        });
        expect(me).toEqual({
          id: anonymous!.id,
          kind: "account",
          email: "alice.smith@school.test",
          displayName: "Alice",
          role: "student",
        });
        expect(await alice.auth.me()).toEqual(me);
        expect((await alice.notebooks.listMine()).map((n) => n.id)).toEqual([id]);
        expect((await alice.notebooks.get({ id })).content).toBe("# Mine\n");
      });

      it("creates the account directly for a browser that never wrote", async () => {
        const { b, me } = await signedUp();
        expect(me.kind).toBe("account");
        expect(await b.auth.me()).toEqual(me);
      });

      it("refuses an email already used, in any letter case", async () => {
        const { email } = await signedUp();
        const taken = await rejection(() =>
          browser(services).auth.signUp({ email: email.toUpperCase(), password: PASSWORD }),
        );
        expect(taken.code).toBe("CONFLICT");
        expect(taken.message).toBe("An account with this email already exists: sign in instead.");
      });

      it("says what is wrong with a bad email or password, and creates no account", async () => {
        const b = browser(services);
        const badEmail = await rejection(() =>
          b.auth.signUp({ email: "not-an-email", password: PASSWORD }),
        );
        expect(badEmail.code).toBe("BAD_REQUEST");
        expect(badEmail.message).toContain("Enter an email address like ada@school.edu.");
        const short = await rejection(() =>
          b.auth.signUp({ email: newEmail(), password: "too short" }),
        );
        expect(short.message).toContain("Use a password of at least 10 characters.");
        const long = await rejection(() =>
          b.auth.signUp({ email: newEmail(), password: "x".repeat(257) }),
        );
        expect(long.message).toContain("Use a password of at most 256 characters.");
        expect((await b.auth.me())?.kind ?? null).not.toBe("account");
      });

      it("refuses a second sign-up from a signed-in browser", async () => {
        const { b, email } = await signedUp();
        const again = await rejection(() =>
          b.auth.signUp({ email: newEmail(), password: PASSWORD }),
        );
        expect(again.message).toBe(
          `You are signed in as ${email}: sign out first to make another account.`,
        );
      });

      it("stores an argon2id hash, never the password", async () => {
        const { me } = await signedUp();
        const row = await userRow(me.id);
        expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        expect(row.passwordHash).not.toContain(PASSWORD);
        const all = await services.db.execute(sql`select * from users`);
        expect(JSON.stringify(all)).not.toContain(PASSWORD);
      });
    });

    describe("sign-in", () => {
      it("moves the anonymous browser's notebooks and models to the account", async () => {
        const { b: laptop, me, email } = await signedUp();
        const own = await laptop.notebooks.create({ content: "# On the laptop\n" });
        const model = (ownerId: string, name: string) => ({
          id: randomId(),
          ownerId,
          name,
          bytes: 8,
          sha256: "x",
          metadata: {},
        });
        await services.db.insert(models).values(model(me.id, "mnist"));

        const library = browser(services);
        const written = await library.notebooks.create({ content: "# In the library\n" });
        const anonymous = (await library.auth.me())!;
        await services.db
          .insert(models)
          .values([model(anonymous.id, "mnist"), model(anonymous.id, "iris")]);

        expect(await library.auth.signIn({ email, password: PASSWORD })).toMatchObject({
          id: me.id,
        });
        const mine = (await library.notebooks.listMine()).map((n) => n.id).sort();
        expect(mine).toEqual([own.id, written.id].sort());
        expect((await library.notebooks.get(written)).content).toBe("# In the library\n");
        const names = await services.db
          .select({ name: models.name })
          .from(models)
          .where(eq(models.ownerId, me.id));
        expect(names.map((m) => m.name).sort()).toEqual(["iris", "mnist", "mnist (2)"]);
        expect(await userRow(anonymous.id)).toBeUndefined();
      });

      it("refuses a wrong password and an unknown email with the same message", async () => {
        const { email } = await signedUp();
        const b = browser(services, { address: "10.0.1.1" });
        const wrong = await rejection(() => b.auth.signIn({ email, password: "not the password" }));
        const unknown = await rejection(() =>
          b.auth.signIn({ email: "nobody@school.test", password: PASSWORD }),
        );
        for (const error of [wrong, unknown]) {
          expect(error.code).toBe("UNAUTHORIZED");
          expect(error.message).toBe("Email or password is wrong.");
        }
        expect(cookiesOf(b).size).toBe(0);
        expect(await b.auth.me()).toBeNull();
      });

      it("signs in whatever the letter case of the email", async () => {
        const { email, me } = await signedUp();
        const b = browser(services);
        expect((await b.auth.signIn({ email: email.toUpperCase(), password: PASSWORD }))?.id).toBe(
          me.id,
        );
      });

      it("gives an account session a 30-day lifetime", async () => {
        const { me } = await signedUp();
        const [row] = await services.db.select().from(sessions).where(eq(sessions.userId, me.id));
        const days = (row.expiresAt.getTime() - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(29.9);
        expect(days).toBeLessThanOrEqual(30);
      });
    });

    describe("brute-force throttling", () => {
      const limits = { signInFailures: { perEmail: 3, perAddress: 5, windowMinutes: 15 } };

      it("refuses even the right password after too many failures for an email", async () => {
        const { email, me } = await signedUp();
        const throttled = servicesWith({ limits });
        for (let i = 0; i < 3; i++) {
          const address = `10.1.0.${i}`; // spread over addresses: the email's limit applies
          const b = browser(throttled, { address });
          await rejection(() => b.auth.signIn({ email, password: "wrong password" }));
        }
        const b = browser(throttled, { address: "10.1.0.9" });
        const refused = await rejection(() => b.auth.signIn({ email, password: PASSWORD }));
        expect(refused.code).toBe("TOO_MANY_REQUESTS");
        expect(refused.message).toBe("Too many sign-in attempts: try again in 15 minutes.");
        expect(cookiesOf(b).size).toBe(0);

        // The window ends: the right password works again.
        await services.db
          .update(loginThrottle)
          .set({ windowStartedAt: new Date(Date.now() - 16 * 60_000) })
          .where(eq(loginThrottle.key, `email:${email}`));
        expect((await b.auth.signIn({ email, password: PASSWORD }))?.id).toBe(me.id);
      });

      it("resets an email's count after a successful sign-in", async () => {
        const { email } = await signedUp();
        const throttled = servicesWith({ limits });
        const b = browser(throttled, { address: "10.2.0.1" });
        const fail = () => rejection(() => b.auth.signIn({ email, password: "wrong password" }));
        await fail();
        await fail();
        await b.auth.signIn({ email, password: PASSWORD });
        await fail();
        await fail();
        // Four failures in all, but never three since the success.
        expect((await b.auth.signIn({ email, password: PASSWORD }))?.email).toBe(email);
      });

      it("limits failures per client address across emails", async () => {
        const { email } = await signedUp();
        const throttled = servicesWith({ limits });
        const attacker = browser(throttled, { address: "10.3.0.1" });
        for (let i = 0; i < 5; i++) {
          const error = await rejection(() =>
            attacker.auth.signIn({ email: `guess${i}@school.test`, password: "wrong password" }),
          );
          expect(error.code).toBe("UNAUTHORIZED");
        }
        const fromThere = await rejection(() =>
          attacker.auth.signIn({ email, password: PASSWORD }),
        );
        expect(fromThere.code).toBe("TOO_MANY_REQUESTS");
        const elsewhere = browser(throttled, { address: "10.3.0.2" });
        expect((await elsewhere.auth.signIn({ email, password: PASSWORD }))?.email).toBe(email);
      });

      it("counts failures from concurrent attempts", async () => {
        const { email } = await signedUp();
        const throttled = servicesWith({
          limits: { signInFailures: { ...limits.signInFailures, perEmail: 100 } },
        });
        await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            rejection(() =>
              browser(throttled, { address: `10.4.0.${i}` }).auth.signIn({
                email,
                password: "wrong password",
              }),
            ),
          ),
        );
        const [row] = await services.db
          .select()
          .from(loginThrottle)
          .where(eq(loginThrottle.key, `email:${email}`));
        expect(row.failures).toBe(4);
      });
    });

    describe("sessions", () => {
      it("rotates the session secret on sign-up; the old secret no longer works", async () => {
        const b = browser(services);
        await b.notebooks.create();
        const before = cookiesOf(b).get(COOKIE);
        await b.auth.signUp({ email: newEmail(), password: PASSWORD });
        const after = cookiesOf(b).get(COOKIE);
        expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(after).not.toBe(before);
        expect(await holding(before).auth.me()).toBeNull();
        expect((await holding(after).auth.me())?.kind).toBe("account");
      });

      it("rotates the session secret on sign-in (a planted secret is worthless)", async () => {
        const { email } = await signedUp();
        // An attacker gets a session, then plants its secret in the victim's browser.
        const attacker = browser(services);
        await attacker.notebooks.create();
        const planted = cookiesOf(attacker).get(COOKIE);
        const victim = holding(planted);
        await victim.auth.signIn({ email, password: PASSWORD });
        expect(cookiesOf(victim).get(COOKIE)).not.toBe(planted);
        expect(await attacker.auth.me()).toBeNull();
        expect((await victim.auth.me())?.email).toBe(email);
      });

      it("signs out: the session row is deleted and the cookie cleared", async () => {
        const { b, me } = await signedUp();
        const secret = cookiesOf(b).get(COOKIE);
        expect(await b.auth.signOut()).toEqual({ signedOut: true });
        expect(cookiesOf(b).has(COOKIE)).toBe(false);
        expect(await b.auth.me()).toBeNull();
        expect(await holding(secret).auth.me()).toBeNull();
        const left = await services.db.select().from(sessions).where(eq(sessions.userId, me.id));
        expect(left).toEqual([]);
      });

      it("does not sign an anonymous browser out of its own notebooks", async () => {
        const b = browser(services);
        const { id } = await b.notebooks.create();
        expect(await b.auth.signOut()).toEqual({ signedOut: false });
        expect((await b.notebooks.listMine()).map((n) => n.id)).toEqual([id]);
      });

      it("changes the password: other sessions end, this one rotates", async () => {
        const { b: laptop, email, me } = await signedUp();
        const phone = browser(services);
        await phone.auth.signIn({ email, password: PASSWORD });
        const laptopSecret = cookiesOf(laptop).get(COOKIE);

        const wrong = await rejection(() =>
          laptop.auth.changePassword({ current: "not my password", next: "a new password!" }),
        );
        expect(wrong.message).toBe("Your current password is wrong.");
        const short = await rejection(() =>
          laptop.auth.changePassword({ current: PASSWORD, next: "short" }),
        );
        expect(short.message).toContain("at least 10 characters");
        expect((await phone.auth.me())?.id).toBe(me.id); // failures changed nothing

        await laptop.auth.changePassword({ current: PASSWORD, next: "a new password!" });
        expect(await phone.auth.me()).toBeNull();
        expect(cookiesOf(laptop).get(COOKIE)).not.toBe(laptopSecret);
        expect(await holding(laptopSecret).auth.me()).toBeNull();
        expect((await laptop.auth.me())?.id).toBe(me.id);

        const old = await rejection(() =>
          browser(services).auth.signIn({ email, password: PASSWORD }),
        );
        expect(old.code).toBe("UNAUTHORIZED");
        const fresh = await browser(services).auth.signIn({ email, password: "a new password!" });
        expect(fresh?.id).toBe(me.id);
      });

      it("needs an account to change a password", async () => {
        const b = browser(services);
        await b.notebooks.create();
        const refused = await rejection(() =>
          b.auth.changePassword({ current: PASSWORD, next: "a new password!" }),
        );
        expect(refused.code).toBe("FORBIDDEN");
        expect(refused.message).toMatch(/^Sign in to /);
      });
    });

    describe("CSRF", () => {
      it("refuses cross-site sign-up, sign-in, sign-out and password change", async () => {
        const { email } = await signedUp();
        const countUsers = () => countRows(services.db, users);
        const before = await countUsers();
        const evil = browser(services, { crossSite: true });
        const calls = [
          () => evil.auth.signUp({ email: newEmail(), password: PASSWORD }),
          () => evil.auth.signIn({ email, password: PASSWORD }),
          () => evil.auth.signOut(),
          () => evil.auth.changePassword({ current: PASSWORD, next: "a new password!" }),
        ];
        for (const call of calls) expect((await rejection(call)).code).toBe("FORBIDDEN");
        expect(cookiesOf(evil).size).toBe(0);
        expect(await countUsers()).toBe(before);
      });
    });

    describe("admin", () => {
      it("lists accounts and sets roles, for admins only", async () => {
        const { b: student, me } = await signedUp();
        const anonymous = browser(services);
        await anonymous.notebooks.create();
        for (const b of [student, anonymous, browser(services)]) {
          expect((await rejection(() => b.admin.listUsers())).code).toBe("FORBIDDEN");
          const set = await rejection(() => b.admin.setRole({ userId: me.id, role: "admin" }));
          expect(set.code).toBe("FORBIDDEN");
        }
        expect((await userRow(me.id)).role).toBe("student");

        const listed = await admin.admin.listUsers();
        expect(listed.find((u) => u.id === me.id)).toMatchObject({
          role: "student",
          kind: "account",
        });
        expect(listed.every((u) => u.kind === "account")).toBe(true);
        expect(JSON.stringify(listed)).not.toContain("argon2");

        await admin.admin.setRole({ userId: me.id, role: "instructor" });
        expect((await student.auth.me())?.role).toBe("instructor");
        // An instructor is not an admin.
        const still = await rejection(() =>
          student.admin.setRole({ userId: me.id, role: "admin" }),
        );
        expect(still.code).toBe("FORBIDDEN");
      });

      it("can't demote the last admin", async () => {
        const root = (await admin.auth.me())!;
        const admins = await services.db.select().from(users).where(eq(users.role, "admin"));
        // Only the first account is an admin of this site's users besides those tests listed.
        for (const other of admins.filter((u) => u.id !== root.id)) {
          await admin.admin.setRole({ userId: other.id, role: "student" });
        }
        const last = await rejection(() =>
          admin.admin.setRole({ userId: root.id, role: "student" }),
        );
        expect(last.code).toBe("BAD_REQUEST");
        expect(last.message).toBe("This is the last admin: make another account an admin first.");
        expect((await admin.auth.me())?.role).toBe("admin");

        // With a second admin, the first may step down.
        const { b: deputy, me } = await signedUp();
        await admin.admin.setRole({ userId: me.id, role: "admin" });
        await admin.admin.setRole({ userId: root.id, role: "student" });
        expect((await admin.auth.me())?.role).toBe("student");
        await deputy.admin.setRole({ userId: root.id, role: "admin" });
      });

      it("refuses roles for anonymous users", async () => {
        const b = browser(services);
        await b.notebooks.create();
        const id = (await b.auth.me())!.id;
        const refused = await rejection(() =>
          admin.admin.setRole({ userId: id, role: "instructor" }),
        );
        expect(refused.message).toBe("Only accounts have roles: this user has not signed up.");
      });
    });
  });
}
