import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as torch from "@gradbook/engine";
import { and, count, eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as shareModelRoute from "../src/app/api/shares/[shareId]/models/[name]/route";
import { adoptAnonymousWork } from "../src/server/accounts";
import { modelChunks, models } from "../src/server/db/schema";
import { randomId } from "../src/server/ids";
import { MiB } from "../src/server/limits";
import { getModel, getSharedModel, putModel } from "../src/server/models/http";
import {
  deleteModel,
  findModel,
  STAGING_PREFIX,
  sweepStagedUploads,
} from "../src/server/models/store";
import type { Services } from "../src/server/services";
import { browser, sessionCookie, testServices } from "./browsers";
import type { TestDatabase } from "./databases";
import { countRows, rejection } from "./suite-helpers";

const { nn } = torch;
const APP = "http://gradbook.test";
/** Small enough that a test model can pass it, large enough for models of several chunks. */
const LIMIT = 3 * MiB;

/** A model whose file is `hidden` * 4 KB or so: 600 gives ~1.4 MB, two 1 MiB chunks. */
async function modelBytes(hidden: number, seed = 1): Promise<Uint8Array> {
  torch.manual_seed(seed);
  const model = new nn.Sequential(
    new nn.Linear(600, hidden),
    new nn.ReLU(),
    new nn.Linear(hidden, 10),
  );
  return torch.save(model, { "gradbook.metrics": JSON.stringify({ accuracy: 0.93 }) });
}

const digest = (bytes: Uint8Array | null) =>
  bytes && createHash("sha256").update(bytes).digest("hex");

/** Request bodies want ArrayBuffer-backed bytes. */
const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, unknown> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  return { length, json };
}

/** The same file with its header replaced (re-padded to a multiple of 8). */
function withHeader(bytes: Uint8Array, json: Record<string, unknown>): Uint8Array {
  const { length } = headerOf(bytes);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const padded = Math.ceil(text.length / 8) * 8;
  const out = new Uint8Array(8 + padded + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(text, 8);
  out.fill(0x20, 8 + text.length, 8 + padded);
  out.set(bytes.subarray(8 + length), 8 + padded);
  return out;
}

/** A body that streams `bytes` in 64 KB pieces on demand, counting what was read. */
function trickle(bytes: Uint8Array): { stream: ReadableStream<Uint8Array>; read: () => number } {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 65_536));
      at += 65_536;
    },
  });
  return { stream, read: () => Math.min(at, bytes.length) };
}

/**
 * A body the test feeds by hand, as a slow client would: `feed` queues bytes (in 64 KB pieces),
 * `close` ends it, `fail` errors it as a dropped connection does.
 */
function feeder() {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const the = () => controller as ReadableStreamDefaultController<Uint8Array>;
  return {
    stream,
    feed(bytes: Uint8Array) {
      for (let at = 0; at < bytes.length; at += 65_536) the().enqueue(bytes.slice(at, at + 65_536));
    },
    close: () => the().close(),
    fail: (error: Error) => the().error(error),
  };
}

/** Polls `condition` until it holds (or fails after 10 s). */
async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The model store (server/models), through its route handlers with real Requests. */
export function modelsSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`Models on ${name}`, () => {
    let database: TestDatabase;
    let services: Services;

    beforeAll(async () => {
      database = await open();
      services = testServices(database, { modelBytes: LIMIT });
    });
    afterAll(async () => {
      await database?.dispose();
    });

    /** A browser with an identity (from creating a notebook) and its cookie for HTTP. */
    async function user() {
      const api = browser(services);
      const notebook = await api.notebooks.create({ content: "# Digits\n" });
      const cookie = sessionCookie(api);
      return { api, cookie, notebookId: notebook.id };
    }

    const put = (
      path: string,
      body: BodyInit | null,
      headers: Record<string, string> = {},
    ): Promise<Response> =>
      putModel(
        new Request(`${APP}${path}`, {
          method: "PUT",
          body,
          headers: { origin: APP, "sec-fetch-site": "same-origin", ...headers },
          duplex: "half",
        } as RequestInit),
        services,
      );
    const get = (path: string, cookie?: string) =>
      (path.startsWith("/api/shares/") ? getSharedModel : getModel)(
        new Request(`${APP}${path}`, { headers: cookie ? { cookie } : {} }),
        services,
      );
    const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
    const messageOf = async (response: Response) =>
      ((await response.json()) as { error: { message: string } }).error.message;
    const storedOf = async (ownerCookie: string, model: string) => {
      const response = await get(`/api/models/${encodeURIComponent(model)}`, ownerCookie);
      return response.status === 200 ? bytesOf(response) : null;
    };
    const countModels = () => countRows(services.db, models);
    const countChunks = () => countRows(services.db, modelChunks);
    const userId = async (u: { api: { auth: { me(): Promise<{ id: string } | null> } } }) =>
      ((await u.api.auth.me()) as { id: string }).id;
    /** The ids of staging rows (uploads in progress) of `ownerId`, or of everyone. */
    const stagingIds = async (ownerId?: string) =>
      (
        await services.db
          .select({ id: models.id })
          .from(models)
          .where(
            and(
              like(models.name, `${STAGING_PREFIX}%`),
              ownerId === undefined ? undefined : eq(models.ownerId, ownerId),
            ),
          )
      ).map((r) => r.id);
    const chunksOfRows = async (ids: string[]) =>
      ids.length === 0
        ? 0
        : (
            await services.db
              .select({ n: count() })
              .from(modelChunks)
              .where(inArray(modelChunks.modelId, ids))
          )[0].n;
    /** A staging row with `chunks` chunks, last touched `idleSeconds` ago: what a crash leaves. */
    const stage = async (ownerId: string, chunks: number, idleSeconds = 0) => {
      const id = randomId();
      await services.db.insert(models).values({
        id,
        ownerId,
        name: `${STAGING_PREFIX}${id}`,
        bytes: 0,
        sha256: "",
        metadata: {},
        version: 0,
        updatedAt: sql`now() - make_interval(secs => ${idleSeconds})`,
      });
      for (let seq = 0; seq < chunks; seq++) {
        await services.db.insert(modelChunks).values({ modelId: id, seq, data: Buffer.alloc(64) });
      }
      return id;
    };

    it("saves, lists and downloads a model byte for byte, in 1 MiB chunks", async () => {
      const alice = await user();
      const bytes = await modelBytes(600);
      expect(bytes.length).toBeGreaterThan(MiB);
      const saved = await put(
        `/api/models/digits%20mlp?notebook=${alice.notebookId}`,
        blob(bytes),
        { cookie: alice.cookie },
      );
      expect(saved.status).toBe(200);
      expect(await saved.json()).toMatchObject({
        model: { name: "digits mlp", version: 1, bytes: bytes.length },
      });

      const [row] = await services.db.select().from(models).where(eq(models.name, "digits mlp"));
      const chunks = await services.db
        .select({ n: count() })
        .from(modelChunks)
        .where(eq(modelChunks.modelId, row.id));
      expect(chunks[0].n).toBe(2);
      expect(row.metadata).toEqual(headerOf(bytes).json.__metadata__);
      expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);

      expect(await alice.api.models.list()).toEqual([
        expect.objectContaining({
          name: "digits mlp",
          bytes: bytes.length,
          version: 1,
          architecture: "Sequential(Linear(600, 600), ReLU, Linear(600, 10))",
          metrics: { accuracy: 0.93 },
          notebook: { id: alice.notebookId, title: "Digits" },
        }),
      ]);

      const download = await get("/api/models/digits%20mlp", alice.cookie);
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("application/octet-stream");
      expect(download.headers.get("content-disposition")).toBe(
        'attachment; filename="digits mlp.safetensors"',
      );
      expect(download.headers.get("content-length")).toBe(String(bytes.length));
      expect(await bytesOf(download)).toEqual(bytes);
    });

    it("gives a browser without an identity one on its first save (cookie), and counts writes", async () => {
      const response = await put("/api/models/first", blob(await modelBytes(8)));
      expect(response.status).toBe(200);
      const cookie = response.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/^gradbook_session=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Lax/);
      expect((await get("/api/models/first", cookie.split(";")[0])).status).toBe(200);
    });

    it("replaces a model saved under the same name, bumping its version", async () => {
      const alice = await user();
      const first = await modelBytes(16, 1);
      const second = await modelBytes(32, 2);
      await put("/api/models/digits", blob(first), { cookie: alice.cookie });
      const chunksBefore = await countChunks();
      const replaced = await put("/api/models/digits", blob(second), {
        cookie: alice.cookie,
      });
      expect(await replaced.json()).toMatchObject({ model: { version: 2, bytes: second.length } });
      expect(await storedOf(alice.cookie, "digits")).toEqual(second);
      const [listed] = await alice.api.models.list();
      expect(listed).toMatchObject({ name: "digits", version: 2, notebook: null });
      expect(await countChunks()).toBe(chunksBefore); // the old version's chunks are gone
    });

    it("keeps both of two simultaneous first saves of a name, as versions 1 and 2", async () => {
      const alice = await user();
      const [a, b] = [await modelBytes(8, 1), await modelBytes(8, 2)];
      const responses = await Promise.all(
        [a, b].map((bytes) => put("/api/models/race", blob(bytes), { cookie: alice.cookie })),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      const versions = await Promise.all(
        responses.map(
          async (r) => ((await r.json()) as { model: { version: number } }).model.version,
        ),
      );
      expect([...versions].sort()).toEqual([1, 2]);
      const latest = versions[0] === 2 ? a : b;
      expect(await storedOf(alice.cookie, "race")).toEqual(latest);
    });

    it("refuses a model over the limit with 413, stops reading it and stores nothing", async () => {
      const alice = await user();
      const small = await modelBytes(8);
      await put("/api/models/big", blob(small), { cookie: alice.cookie });
      const modelsBefore = await countModels();
      const big = await modelBytes(1600); // ~3.7 MB
      const tooBig = `The model is ${(big.length / MiB).toFixed(1)} MB; the limit is 3 MB.`;

      // Content-Length says so: refused before reading.
      const announced = trickle(big);
      const declared = await put("/api/models/big", announced.stream, {
        cookie: alice.cookie,
        "content-length": String(big.length),
      });
      expect(declared.status).toBe(413);
      expect(await messageOf(declared)).toBe(tooBig);
      expect(announced.read()).toBeLessThanOrEqual(65_536);

      // Streamed without a length: the header gives the size; reading stops at once.
      const streamed = trickle(big);
      const response = await put("/api/models/big", streamed.stream, { cookie: alice.cookie });
      expect(response.status).toBe(413);
      expect(await messageOf(response)).toBe(tooBig);
      expect(streamed.read()).toBeLessThan(256 * 1024);

      // A header that never ends (90 MB claimed): reading stops as the limit is passed.
      const endless = new Uint8Array(LIMIT + 500_000);
      new DataView(endless.buffer).setUint32(0, 90_000_000, true);
      const junk = trickle(endless);
      const past = await put("/api/models/big", junk.stream, { cookie: alice.cookie });
      expect(past.status).toBe(413);
      expect(await messageOf(past)).toBe("The model is larger than the limit of 3 MB.");
      // (Streams read a piece or two ahead of what is consumed.)
      expect(junk.read()).toBeLessThanOrEqual(LIMIT + 3 * 65_536);

      expect(await countModels()).toBe(modelsBefore);
      expect(await storedOf(alice.cookie, "big")).toEqual(small);
      expect((await alice.api.models.list())[0]).toMatchObject({ name: "big", version: 1 });
    });

    it("streams an upload into the database chunk by chunk, showing it only once complete", async () => {
      const alice = await user();
      const me = await userId(alice);
      const old = await modelBytes(8, 1);
      await put("/api/models/streamed", blob(old), { cookie: alice.cookie });
      const bytes = await modelBytes(1000, 2); // ~2.3 MiB: three chunks
      expect(bytes.length).toBeGreaterThan(2 * MiB);
      expect(bytes.length).toBeLessThan(LIMIT);

      const body = feeder();
      const saving = put("/api/models/streamed", body.stream, { cookie: alice.cookie });
      body.feed(bytes.subarray(0, 2 * MiB + 65_536));
      // The first two MiB are in the database while the upload is still going: not buffered.
      await waitFor("two chunks are staged", async () => {
        return (await chunksOfRows(await stagingIds(me))) === 2;
      });
      expect(await stagingIds(me)).toHaveLength(1);
      // Meanwhile only the old version is visible, and it downloads whole.
      const named = await services.db
        .select({ version: models.version })
        .from(models)
        .where(and(eq(models.ownerId, me), eq(models.name, "streamed")));
      expect(named).toEqual([{ version: 1 }]);
      expect(await alice.api.models.list()).toEqual([
        expect.objectContaining({ name: "streamed", version: 1, bytes: old.length }),
      ]);
      expect(await storedOf(alice.cookie, "streamed")).toEqual(old);

      body.feed(bytes.subarray(2 * MiB + 65_536));
      body.close();
      const saved = await saving;
      expect(saved.status).toBe(200);
      expect(await saved.json()).toMatchObject({ model: { version: 2, bytes: bytes.length } });
      // (By digest: toEqual compares megabytes element by element, taking seconds.)
      expect(digest(await storedOf(alice.cookie, "streamed"))).toBe(digest(bytes));
      expect(await stagingIds(me)).toEqual([]);
      const [row] = await services.db
        .select()
        .from(models)
        .where(and(eq(models.ownerId, me), eq(models.name, "streamed")));
      expect(await chunksOfRows([row.id])).toBe(3);
    });

    it("stores nothing of an upload whose connection drops mid-stream, keeping the old version", async () => {
      const alice = await user();
      const me = await userId(alice);
      const old = await modelBytes(8, 3);
      await put("/api/models/dropped", blob(old), { cookie: alice.cookie });
      const modelsBefore = await countModels();
      const chunksBefore = await countChunks();

      const body = feeder();
      const saving = put("/api/models/dropped", body.stream, { cookie: alice.cookie });
      body.feed((await modelBytes(1000, 4)).subarray(0, MiB + 65_536));
      await waitFor("a chunk is staged", async () => {
        return (await chunksOfRows(await stagingIds(me))) === 1;
      });
      body.fail(new Error("the connection was reset"));

      const response = await saving;
      expect(response.status).toBe(400);
      expect(await messageOf(response)).toBe(
        "The upload was interrupted before the whole model arrived; nothing was saved.",
      );
      expect(await stagingIds(me)).toEqual([]);
      expect(await countModels()).toBe(modelsBefore);
      expect(await countChunks()).toBe(chunksBefore);
      expect(await storedOf(alice.cookie, "dropped")).toEqual(old);
      expect((await alice.api.models.list())[0]).toMatchObject({ name: "dropped", version: 1 });
    });

    it("sweeps staging rows left by a crash once idle for an hour, with their chunks", async () => {
      const alice = await user();
      const me = await userId(alice);
      const stale = await stage(me, 2, 2 * 60 * 60);
      const live = await stage(me, 1, 10 * 60);
      expect(await sweepStagedUploads(services.db)).toBe(1);
      expect(await stagingIds(me)).toEqual([live]);
      expect(await chunksOfRows([stale])).toBe(0);
      expect(await chunksOfRows([live])).toBe(1);

      // Each upload sweeps first.
      await services.db
        .update(models)
        .set({ updatedAt: sql`now() - interval '61 minutes'` })
        .where(eq(models.id, live));
      expect((await put("/api/models/sweeper", blob(await modelBytes(8)))).status).toBe(200);
      expect(await stagingIds(me)).toEqual([]);
      expect(await chunksOfRows([live])).toBe(0);
    });

    it("never lists, downloads, deletes or adopts an upload in progress", async () => {
      const alice = await user();
      const me = await userId(alice);
      const bytes = await modelBytes(8);
      await put("/api/models/real", blob(bytes), { cookie: alice.cookie });
      const staged = await stage(me, 1);
      const stagedName = `${STAGING_PREFIX}${staged}`;

      expect((await alice.api.models.list()).map((m) => m.name)).toEqual(["real"]);
      expect(await findModel(services.db, me, stagedName)).toBeNull();
      expect(await deleteModel(services.db, me, stagedName)).toBe(false);
      const download = await get(`/api/models/${encodeURIComponent(stagedName)}`, alice.cookie);
      expect(download.status).toBe(400);
      expect(await stagingIds(me)).toEqual([staged]);

      // Signing in elsewhere moves the saved model, not the upload (deleted with the old user).
      const bob = await user();
      const them = await userId(bob);
      await adoptAnonymousWork(services.db, me, them);
      expect((await bob.api.models.list()).map((m) => m.name)).toEqual(["real"]);
      expect(await stagingIds(them)).toEqual([]);
      expect(await stagingIds(me)).toEqual([]);
      expect(await chunksOfRows([staged])).toBe(0);
      expect(await storedOf(bob.cookie, "real")).toEqual(bytes);
    });

    it("refuses corrupt files with 400 saying what is wrong, storing nothing", async () => {
      const alice = await user();
      const good = await modelBytes(8);
      await put("/api/models/kept", blob(good), { cookie: alice.cookie });
      const modelsBefore = await countModels();
      const chunksBefore = await countChunks();
      const { json, length } = headerOf(good);

      const hugeLength = good.slice();
      new DataView(hugeLength.buffer).setBigUint64(0, 1n << 40n, true);
      const longerThanFile = good.slice(0, 8 + length);
      new DataView(longerThanFile.buffer).setBigUint64(0, BigInt(length + 100), true);
      const notJson = good.slice();
      notJson[8] = "x".charCodeAt(0);
      const gap = structuredClone(json) as Record<string, { data_offsets: number[] }>;
      const first = Object.keys(gap).find((k) => k !== "__metadata__") as string;
      gap[first].data_offsets = gap[first].data_offsets.map((o) => o + 4);
      const badDtype = structuredClone(json) as Record<string, { dtype: string }>;
      badDtype[first].dtype = "F128";
      const trailing = new Uint8Array(good.length + 3);
      trailing.set(good);

      const cases: [string, Uint8Array, RegExp][] = [
        ["a huge header length", hugeLength, /header length of 1099511627776/],
        ["a header longer than the file", longerThanFile, /truncated/],
        ["a header that is not JSON", notJson, /header is not valid JSON/],
        ["offsets that leave a gap", withHeader(good, gap), /gap in the data/],
        ["an unknown dtype", withHeader(good, badDtype), /dtype "F128"; the known dtypes are/],
        ["trailing bytes", trailing, /trailing bytes/],
        ["a truncated file", good.slice(0, good.length - 10), /truncated/],
        ["too short to be anything", new Uint8Array([1, 2, 3]), /too short/],
      ];
      for (const [what, bytes, message] of cases) {
        const response = await put("/api/models/kept", blob(bytes), {
          cookie: alice.cookie,
        });
        expect(response.status, what).toBe(400);
        const text = await messageOf(response);
        expect(text, what).toMatch(/^This is not a valid safetensors file: /);
        expect(text, what).toMatch(message);
      }
      expect(await countModels()).toBe(modelsBefore);
      expect(await countChunks()).toBe(chunksBefore);
      expect(await storedOf(alice.cookie, "kept")).toEqual(good);
    });

    it("refuses bad names, bodiless saves and notebooks the user does not own", async () => {
      const alice = await user();
      const bob = await user();
      const bytes = blob(await modelBytes(8));
      for (const bad of ["a%2Fb", "%22quoted%22", "x".repeat(101), "%20padded", "..."]) {
        const response = await put(`/api/models/${bad}`, bytes, { cookie: alice.cookie });
        expect(response.status, bad).toBe(400);
        expect(await messageOf(response), bad).toMatch(/model name|URL does not name/);
      }
      const bodiless = await put("/api/models/empty", null, { cookie: alice.cookie });
      expect(bodiless.status).toBe(400);

      const theirs = await put(`/api/models/stolen?notebook=${bob.notebookId}`, bytes, {
        cookie: alice.cookie,
      });
      expect(theirs.status).toBe(403);
      expect(await messageOf(theirs)).toMatch(/Only this notebook's owner can save models from it/);
      expect(await alice.api.models.list()).toEqual([]);
    });

    it("keeps models private: another user gets 404 and cannot delete them", async () => {
      const alice = await user();
      const bob = await user();
      const bytes = await modelBytes(8);
      await put("/api/models/secret", blob(bytes), { cookie: alice.cookie });

      const response = await get("/api/models/secret", bob.cookie);
      expect(response.status).toBe(404);
      expect(await messageOf(response)).toBe("You have no saved model named “secret”.");
      expect((await get("/api/models/secret")).status).toBe(404); // no cookie at all
      const denied = await rejection(() => bob.api.models.delete({ name: "secret" }));
      expect(denied.code).toBe("NOT_FOUND");
      expect(await bob.api.models.list()).toEqual([]);
      expect(await storedOf(alice.cookie, "secret")).toEqual(bytes);

      await alice.api.models.delete({ name: "secret" });
      expect((await get("/api/models/secret", alice.cookie)).status).toBe(404);
      expect(await alice.api.models.list()).toEqual([]);
    });

    it("refuses cross-site saves (CSRF) with 403, creating no identity and storing nothing", async () => {
      const alice = await user();
      const before = await countModels();
      const attempts: Record<string, string>[] = [
        { origin: "https://evil.test", "sec-fetch-site": "cross-site", cookie: alice.cookie },
        { origin: "https://evil.test", "sec-fetch-site": "cross-site" },
        { origin: "null", "sec-fetch-site": "cross-site", cookie: alice.cookie },
      ];
      for (const headers of attempts) {
        const response = await put("/api/models/csrf", blob(await modelBytes(8)), headers);
        expect(response.status).toBe(403);
        expect(response.headers.get("set-cookie")).toBeNull();
        expect(await messageOf(response)).toMatch(/cannot change data/);
      }
      expect(await countModels()).toBe(before);
    });

    it("loads the owner's model through a share link, read-only", async () => {
      const alice = await user();
      const bob = await user();
      const bytes = await modelBytes(8);
      await put(`/api/models/shared%20net?notebook=${alice.notebookId}`, blob(bytes), {
        cookie: alice.cookie,
      });
      const share = await alice.api.shares.create({
        notebookId: alice.notebookId,
        visibility: "link",
      });
      const path = `/api/shares/${share.id}/models/shared%20net`;

      for (const cookie of [bob.cookie, undefined]) {
        const response = await get(path, cookie);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-disposition")).toBe(
          'attachment; filename="shared net.safetensors"',
        );
        expect(await bytesOf(response)).toEqual(bytes);
      }
      const missing = await get(`/api/shares/${share.id}/models/nope`, bob.cookie);
      expect(missing.status).toBe(404);
      expect(await messageOf(missing)).toBe(
        "This shared notebook has no saved model named “nope”.",
      );
      expect((await get(`/api/shares/${"x".repeat(24)}/models/shared%20net`)).status).toBe(404);

      // No write path: the share route has only GET, and the save handler refuses its URLs.
      expect(Object.keys(shareModelRoute).filter((k) => /^[A-Z]+$/.test(k))).toEqual(["GET"]);
      const write = await put(path, blob(await modelBytes(8, 9)), { cookie: bob.cookie });
      expect(write.status).toBe(400);
      expect(await storedOf(alice.cookie, "shared net")).toEqual(bytes);
      expect(await bob.api.models.list()).toEqual([]);

      await alice.api.shares.setVisibility({ id: share.id, visibility: "private" });
      expect((await get(path, bob.cookie)).status).toBe(403);
      expect((await get(path, alice.cookie)).status).toBe(200);
    });

    it("opens through a share link only the models its notebook saved or loads by name", async () => {
      const alice = await user();
      await put("/api/models/other%20net", blob(await modelBytes(8)), { cookie: alice.cookie });
      const share = await alice.api.shares.create({
        notebookId: alice.notebookId,
        visibility: "link",
      });
      const path = `/api/shares/${share.id}/models/other%20net`;
      expect((await get(path)).status).toBe(404);

      const { version } = await alice.api.notebooks.get({ id: alice.notebookId });
      await alice.api.notebooks.update({
        id: alice.notebookId,
        version,
        content: '# Digits\n\n```js\nconst net = await models.load("other net");\n```\n',
      });
      expect((await get(path)).status).toBe(200);
    });

    it("saves a model real PyTorch loads after the round trip, with the same outputs", async () => {
      const alice = await user();
      torch.manual_seed(3);
      const model = new nn.Sequential(
        new nn.Linear(8, 16),
        new nn.BatchNorm1d(16),
        new nn.ReLU(),
        new nn.Dropout(0.2),
        new nn.Linear(16, 3),
        new nn.LogSoftmax({ dim: 1 }),
      );
      const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
      torch.F.nll_loss(model(torch.randn(10, 8)), torch.randint(0, 3, [10])).backward();
      optimizer.step();
      model.eval();
      const x = torch.randn(5, 8);
      const ours = (await model(x).data()) as Float32Array;

      const saved = await put("/api/models/pytorch", blob(await torch.save(model)), {
        cookie: alice.cookie,
      });
      expect(saved.status).toBe(200);
      const downloaded = await bytesOf(await get("/api/models/pytorch", alice.cookie));
      const dir = mkdtempSync(join(tmpdir(), "gradbook-models-"));
      try {
        writeFileSync(join(dir, "model.safetensors"), downloaded);
        writeFileSync(join(dir, "x.json"), JSON.stringify(await x.tolist()));
        const script = fileURLToPath(
          new URL("../../../packages/engine/test/pytorch/load_model.py", import.meta.url),
        );
        const out = execFileSync(
          process.env.PYTHON ?? "/usr/bin/python3",
          [script, join(dir, "model.safetensors"), join(dir, "x.json")],
          { encoding: "utf8" },
        );
        const theirs = JSON.parse(out) as number[];
        expect(theirs).toHaveLength(ours.length);
        for (const [i, v] of theirs.entries()) {
          expect(Math.abs(v - ours[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(v));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
