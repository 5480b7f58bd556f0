import { lessonTemplate } from "@gradbook/lessons";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { notebookRevisions, notebooks, sessions, users } from "../src/server/db/schema";
import type { Services } from "../src/server/services";
import { browser, cookiesOf, testServices } from "./browsers";
import type { TestDatabase } from "./databases";
import { countRows, rejection } from "./suite-helpers";

const NOTEBOOK = `---
title: Loss curves
---

Some prose.

\`\`\`js
const x = 1
\`\`\`
`;

/** The API's behaviour, run once per database driver (pglite.test.ts, postgres.test.ts). */
export function apiSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`API on ${name}`, () => {
    let database: TestDatabase;
    let services: Services;

    beforeAll(async () => {
      database = await open();
      services = testServices(database);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    describe("notebooks", () => {
      it("creates, gets, lists, updates and deletes a notebook", async () => {
        const alice = browser(services);
        expect(await alice.notebooks.listMine()).toEqual([]);
        const { id, version } = await alice.notebooks.create({ content: NOTEBOOK });
        expect(version).toBe(1);
        expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);

        const got = await alice.notebooks.get({ id });
        expect(got).toMatchObject({ id, title: "Loss curves", content: NOTEBOOK, version: 1 });
        expect((await alice.notebooks.listMine()).map((n) => n.id)).toEqual([id]);

        const edited = NOTEBOOK.replace("Loss curves", "Loss curves, again");
        const saved = await alice.notebooks.update({ id, version: 1, content: edited });
        expect(saved.version).toBe(2);
        expect(await alice.notebooks.get({ id })).toMatchObject({
          title: "Loss curves, again",
          content: edited,
          version: 2,
        });

        await alice.notebooks.delete({ id });
        expect((await rejection(() => alice.notebooks.get({ id }))).code).toBe("NOT_FOUND");
        expect(await alice.notebooks.listMine()).toEqual([]);
      });

      it("creates a blank notebook, and one from a lesson", async () => {
        const alice = browser(services);
        const blank = await alice.notebooks.create();
        expect((await alice.notebooks.get(blank)).title).toBe("Untitled notebook");
        const lesson = await alice.notebooks.create({ lesson: "tensors" });
        expect(await alice.notebooks.get(lesson)).toMatchObject({
          title: "Tensors",
          lessonSlug: "tensors",
        });
        const missing = await rejection(() => alice.notebooks.create({ lesson: "no-such-lesson" }));
        expect(missing.code).toBe("NOT_FOUND");
      });

      it("creates a new lesson to write from the lesson template", async () => {
        const alice = browser(services);
        const made = await alice.notebooks.create({ template: "lesson" });
        expect(await alice.notebooks.get(made)).toMatchObject({
          title: "Your lesson's title",
          content: lessonTemplate(),
          lessonSlug: null,
        });
        const both = await rejection(() =>
          alice.notebooks.create({ template: "lesson", content: "# Hi\n" }),
        );
        expect(both.code).toBe("BAD_REQUEST");
      });

      it("titles a notebook by its first heading when it has no front matter title", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: "Intro\n\n## Linear layers\n" });
        expect((await alice.notebooks.get({ id })).title).toBe("Linear layers");
      });

      it("gives the first write an anonymous identity, kept in an httpOnly cookie", async () => {
        const alice = browser(services);
        await alice.notebooks.listMine();
        expect(cookiesOf(alice).size).toBe(0); // reading creates nothing
        await alice.notebooks.create();
        expect(cookiesOf(alice).get("gradbook_session")).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const [session] = await services.db.select().from(sessions);
        expect(session.tokenHash).not.toBe(cookiesOf(alice).get("gradbook_session"));
        const [user] = await services.db.select().from(users).where(eq(users.id, session.userId));
        expect(user).toMatchObject({ kind: "anonymous", role: "student", email: null });
      });
    });

    describe("optimistic concurrency", () => {
      it("refuses a stale save with CONFLICT and keeps the other save", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        await alice.notebooks.update({ id, version: 1, content: `${NOTEBOOK}\nTab one.\n` });
        const stale = await rejection(() =>
          alice.notebooks.update({ id, version: 1, content: `${NOTEBOOK}\nTab two.\n` }),
        );
        expect(stale.code).toBe("CONFLICT");
        expect(stale.message).toMatch(/saved elsewhere \(now version 2\).*version 1/);
        const now = await alice.notebooks.get({ id });
        expect(now).toMatchObject({ version: 2, content: `${NOTEBOOK}\nTab one.\n` });
      });

      it("lets exactly one of two concurrent saves of the same version win", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const results = await Promise.allSettled(
          ["A", "B", "C"].map((tab) =>
            alice.notebooks.update({ id, version: 1, content: `${NOTEBOOK}\n${tab}\n` }),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results.filter((r) => r.status === "rejected")) {
          expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
        }
        expect((await alice.notebooks.revisions({ id })).map((r) => r.version)).toEqual([2, 1]);
      });
    });

    describe("revisions", () => {
      it("keeps every saved version, newest first, and returns any one of them", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        await alice.notebooks.update({ id, version: 1, content: "# Second\n" });
        await alice.notebooks.update({ id, version: 2, content: "# Third\n" });
        const history = await alice.notebooks.revisions({ id });
        expect(history.map((r) => [r.version, r.title, r.bytes])).toEqual([
          [3, "Third", 8],
          [2, "Second", 9],
          [1, "Loss curves", Buffer.byteLength(NOTEBOOK)],
        ]);
        expect(await alice.notebooks.revision({ id, version: 2 })).toMatchObject({
          version: 2,
          content: "# Second\n",
        });
        const missing = await rejection(() => alice.notebooks.revision({ id, version: 9 }));
        expect(missing.code).toBe("NOT_FOUND");
        const bob = browser(services);
        expect((await rejection(() => bob.notebooks.revisions({ id }))).code).toBe("FORBIDDEN");
        const peek = await rejection(() => bob.notebooks.revision({ id, version: 1 }));
        expect(peek.code).toBe("FORBIDDEN");
      });

      it("deleting a notebook deletes its history", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        await alice.notebooks.delete({ id });
        const left = await services.db
          .select()
          .from(notebookRevisions)
          .where(eq(notebookRevisions.notebookId, id));
        expect(left).toEqual([]);
      });
    });

    describe("sharing and forking", () => {
      it("forks your own notebook into an independent copy", async () => {
        const alice = browser(services);
        const original = await alice.notebooks.create({ content: NOTEBOOK });
        const copy = await alice.notebooks.fork({ id: original.id });
        expect(copy.id).not.toBe(original.id);
        expect(await alice.notebooks.get(copy)).toMatchObject({
          content: NOTEBOOK,
          version: 1,
          forkedFromId: original.id,
        });
        await alice.notebooks.update({ id: copy.id, version: 1, content: "# Changed\n" });
        expect((await alice.notebooks.get(original)).content).toBe(NOTEBOOK);
      });

      it("a link share is readable by anyone, writable by no one but the owner", async () => {
        const alice = browser(services);
        const bob = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const share = await alice.shares.create({ notebookId: id, visibility: "link" });
        expect(share.id).toMatch(/^[A-Za-z0-9_-]{24}$/);

        const seen = await bob.shares.get({ id: share.id });
        expect(seen).toMatchObject({ isOwner: false, notebook: { title: "Loss curves" } });
        expect(JSON.stringify(seen)).not.toContain("ownerId");
        expect(JSON.stringify(seen)).not.toContain(id);
        expect((await alice.shares.get({ id: share.id })).isOwner).toBe(true);

        // Knowing the notebook id is not enough, and a share link never lets bob write.
        expect((await rejection(() => bob.notebooks.get({ id }))).code).toBe("FORBIDDEN");
        const writes = [
          () => bob.notebooks.update({ id, version: 1, content: "# Mine now\n" }),
          () => bob.notebooks.delete({ id }),
          () => bob.shares.create({ notebookId: id }),
          () => bob.shares.setVisibility({ id: share.id, visibility: "public" }),
          () => bob.shares.delete({ id: share.id }),
        ];
        for (const write of writes) expect((await rejection(write)).code).toBe("FORBIDDEN");
        expect(await alice.notebooks.get({ id })).toMatchObject({ version: 1, content: NOTEBOOK });

        // Bob forks it: his own copy, which he can edit.
        const fork = await bob.notebooks.fork({ shareId: share.id });
        await bob.notebooks.update({ id: fork.id, version: 1, content: "# Bob's\n" });
        expect((await bob.notebooks.listMine()).map((n) => n.title)).toEqual(["Bob's"]);
        expect((await alice.notebooks.get({ id })).content).toBe(NOTEBOOK);
        // ...and cannot fork alice's notebook by its id.
        expect((await rejection(() => bob.notebooks.fork({ id }))).code).toBe("FORBIDDEN");
      });

      it("a private share is readable by the owner only; turning a link private revokes it", async () => {
        const alice = browser(services);
        const bob = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const share = await alice.shares.create({ notebookId: id, visibility: "link" });
        await bob.shares.get({ id: share.id });
        await alice.shares.setVisibility({ id: share.id, visibility: "private" });
        const denied = await rejection(() => bob.shares.get({ id: share.id }));
        expect(denied.code).toBe("FORBIDDEN");
        expect(denied.message).toMatch(/private/);
        expect((await rejection(() => bob.notebooks.fork({ shareId: share.id }))).code).toBe(
          "FORBIDDEN",
        );
        expect((await alice.shares.get({ id: share.id })).share.visibility).toBe("private");
        expect((await alice.shares.list({ notebookId: id })).map((s) => s.id)).toEqual([share.id]);
        expect((await rejection(() => bob.shares.list({ notebookId: id }))).code).toBe("FORBIDDEN");
      });

      it("a public share is readable by anyone; a deleted share or notebook is gone", async () => {
        const alice = browser(services);
        const bob = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const share = await alice.shares.create({ notebookId: id, visibility: "public" });
        expect((await bob.shares.get({ id: share.id })).share.visibility).toBe("public");
        await alice.shares.delete({ id: share.id });
        expect((await rejection(() => bob.shares.get({ id: share.id }))).code).toBe("NOT_FOUND");
        const again = await alice.shares.create({ notebookId: id });
        expect(again.visibility).toBe("link");
        await alice.notebooks.delete({ id });
        expect((await rejection(() => bob.shares.get({ id: again.id }))).code).toBe("NOT_FOUND");
      });
    });

    describe("bad input changes nothing", () => {
      it("refuses an oversized notebook with a clear error and stores nothing", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const [notebooksBefore, revisionsBefore] = [
          await countRows(services.db, notebooks),
          await countRows(services.db, notebookRevisions),
        ];
        const huge = `# Big\n\n${"x".repeat(1024 * 1024)}\n`;
        const onCreate = await rejection(() => alice.notebooks.create({ content: huge }));
        expect(onCreate.code).toBe("PAYLOAD_TOO_LARGE");
        expect(onCreate.message).toMatch(/This notebook is 1\.0 MB; the limit is 1 MB/);
        const onSave = await rejection(() =>
          alice.notebooks.update({ id, version: 1, content: huge }),
        );
        expect(onSave.code).toBe("PAYLOAD_TOO_LARGE");
        expect(await countRows(services.db, notebooks)).toBe(notebooksBefore);
        expect(await countRows(services.db, notebookRevisions)).toBe(revisionsBefore);
        expect(await alice.notebooks.get({ id })).toMatchObject({ version: 1, content: NOTEBOOK });
      });

      it("counts bytes, not characters", async () => {
        const alice = browser(services);
        // 400,000 three-byte characters: 1.2 MB of UTF-8 in 400,000 characters.
        const wide = `# Wide\n\n${"€".repeat(400_000)}\n`;
        expect((await rejection(() => alice.notebooks.create({ content: wide }))).code).toBe(
          "PAYLOAD_TOO_LARGE",
        );
      });

      it("refuses notebook text that does not parse, saying where", async () => {
        const alice = browser(services);
        const error = await rejection(() =>
          alice.notebooks.create({ content: "```js id=a\n1\n```\n\n```js id=a\n2\n```\n" }),
        );
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.message).toMatch(/could not be read: line 5/);
      });

      it("validates inputs with zod", async () => {
        const alice = browser(services);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        const bad: Array<() => Promise<unknown>> = [
          // @ts-expect-error: wrong type on purpose
          () => alice.notebooks.update({ id, version: "1", content: NOTEBOOK }),
          () => alice.notebooks.update({ id, version: 0, content: NOTEBOOK }),
          () => alice.notebooks.update({ id, version: 1.5, content: NOTEBOOK }),
          // @ts-expect-error: missing content
          () => alice.notebooks.update({ id, version: 1 }),
          () => alice.notebooks.get({ id: "../../etc/passwd" }),
          () => alice.shares.create({ notebookId: id, visibility: "everyone" as "link" }),
          () => alice.lessons.get({ slug: "../secrets" }),
          // @ts-expect-error: an unknown key, refused rather than ignored
          () => alice.notebooks.create({ content: NOTEBOOK, ownerId: "someone-else" }),
        ];
        for (const call of bad) {
          const error = await rejection(call);
          expect(error.code).toBe("BAD_REQUEST");
          expect(error.cause).toBeInstanceOf(ZodError);
        }
        expect(await alice.notebooks.get({ id })).toMatchObject({ version: 1 });
      });

      it("answers unknown ids with NOT_FOUND", async () => {
        const alice = browser(services);
        const unknown = "AAAAAAAAAAAAAAAAAAAAAAAA";
        const calls = [
          () => alice.notebooks.get({ id: unknown }),
          () => alice.notebooks.update({ id: unknown, version: 1, content: NOTEBOOK }),
          () => alice.notebooks.delete({ id: unknown }),
          () => alice.notebooks.fork({ id: unknown }),
          () => alice.notebooks.fork({ shareId: unknown }),
          () => alice.notebooks.revisions({ id: unknown }),
          () => alice.shares.get({ id: unknown }),
          () => alice.shares.create({ notebookId: unknown }),
          () => alice.lessons.get({ slug: "no-such-lesson" }),
        ];
        for (const call of calls) {
          const error = await rejection(call);
          expect(error.code).toBe("NOT_FOUND");
          expect(error.message).toMatch(/no |not exist/);
        }
      });
    });

    describe("security", () => {
      it("refuses writes that do not come from the app's own pages (CSRF)", async () => {
        const evil = browser(services, { crossSite: true });
        const error = await rejection(() => evil.notebooks.create({ content: NOTEBOOK }));
        expect(error.code).toBe("FORBIDDEN");
        expect(error.message).toMatch(/cannot change data/);
        expect(cookiesOf(evil).size).toBe(0);
      });

      it("rate-limits writes per identity", async () => {
        const limited = testServices(database, { writes: { burst: 3, perSecond: 0.001 } });
        const alice = browser(limited);
        const bob = browser(limited);
        const { id } = await alice.notebooks.create({ content: NOTEBOOK });
        await alice.notebooks.update({ id, version: 1, content: NOTEBOOK });
        await alice.notebooks.update({ id, version: 2, content: NOTEBOOK });
        const error = await rejection(() =>
          alice.notebooks.update({ id, version: 3, content: NOTEBOOK }),
        );
        expect(error.code).toBe("TOO_MANY_REQUESTS");
        expect(error.message).toMatch(/Too many saves: try again in \d+ s/);
        expect((await alice.notebooks.get({ id })).version).toBe(3);
        await bob.notebooks.create(); // another identity has its own budget
      });

      it("rate-limits new identities per address", async () => {
        const limited = testServices(database, { newIdentities: { burst: 2, perSecond: 0.001 } });
        await browser(limited, { address: "10.0.0.9" }).notebooks.create();
        await browser(limited, { address: "10.0.0.9" }).notebooks.create();
        const error = await rejection(() =>
          browser(limited, { address: "10.0.0.9" }).notebooks.create(),
        );
        expect(error.code).toBe("TOO_MANY_REQUESTS");
        await browser(limited, { address: "10.0.0.10" }).notebooks.create();
      });

      it("caps new identities overall, since a client can forge its address", async () => {
        const limited = testServices(database, {
          newIdentitiesOverall: { burst: 2, perSecond: 0.001 },
        });
        await browser(limited, { address: "10.0.1.1" }).notebooks.create();
        await browser(limited, { address: "10.0.1.2" }).notebooks.create();
        const error = await rejection(() =>
          browser(limited, { address: "10.0.1.3" }).notebooks.create(),
        );
        expect(error.code).toBe("TOO_MANY_REQUESTS");
        expect(error.message).toMatch(/new sessions on this server/);
      });
    });

    describe("lessons", () => {
      it("lists the course in order and reads a lesson", async () => {
        const anyone = browser(services);
        const lessons = await anyone.lessons.list();
        // The lessons package's course, in its order.
        expect(lessons.map((l) => l.slug).slice(0, 2)).toEqual(["tensors", "autograd"]);
        expect(lessons.length).toBeGreaterThan(2);
        expect(lessons[0]).toMatchObject({ title: "Tensors", description: expect.any(String) });
        const lesson = await anyone.lessons.get({ slug: "autograd" });
        expect(lesson.content).toMatch(/^---\ntitle: Autograd\n/);
      });
    });
  });
}
