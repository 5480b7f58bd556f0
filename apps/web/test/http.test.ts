import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTrpcRequest } from "../src/server/api/http-handler";
import type { Services } from "../src/server/services";
import { testServices } from "./browsers";
import { pgliteDatabase, type TestDatabase } from "./databases";

/** /api/trpc as the browser sees it: the route handler with real Requests. */
describe("the /api/trpc handler", () => {
  let database: TestDatabase;
  let services: Services;
  const APP = "http://gradbook.test";

  beforeAll(async () => {
    database = await pgliteDatabase();
    services = testServices(database, { requestBytes: 4096 });
  });
  afterAll(() => database?.dispose());

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    handleTrpcRequest(
      new Request(`${APP}/api/trpc/${path}`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          origin: APP,
          "sec-fetch-site": "same-origin",
          ...headers,
        },
        duplex: "half",
      } as RequestInit),
      services,
    );
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { message: string; data: { code: string } } }).error;

  it("creates a notebook and sets an httpOnly, SameSite=Lax session cookie", async () => {
    const response = await post("notebooks.create", "{}");
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^gradbook_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
    );
    const { result } = (await response.json()) as { result: { data: { id: string } } };
    const session = cookie.split(";")[0];
    const list = await handleTrpcRequest(
      new Request(`${APP}/api/trpc/notebooks.listMine`, { headers: { cookie: session } }),
      services,
    );
    const listed = (await list.json()) as { result: { data: { id: string }[] } };
    expect(listed.result.data.map((n) => n.id)).toEqual([result.data.id]);
  });

  it("marks the cookie Secure over HTTPS", async () => {
    const response = await handleTrpcRequest(
      new Request("https://gradbook.test/api/trpc/notebooks.create", {
        method: "POST",
        body: "{}",
        headers: { origin: "https://gradbook.test", "content-type": "application/json" },
      }),
      services,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("answers malformed JSON with a 400", async () => {
    const response = await post("notebooks.create", "{not json");
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^The request is not valid JSON: /);
    expect(JSON.stringify(error)).not.toContain("stack");
  });

  it("answers invalid input with a 400 that says which field is wrong", async () => {
    const response = await post("notebooks.update", JSON.stringify({ id: "x", version: "one" }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^Invalid input: id: not a notebook id; version: .*number/);
    expect(error.message).toMatch(/content: /);
  });

  it("refuses a body over the limit with 413 before parsing it", async () => {
    const big = JSON.stringify({ content: "x".repeat(5000) });
    const response = await post("notebooks.create", big);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toMatch(/larger than the server accepts \(4 KB\)/);
    // Without a Content-Length (streamed), the same.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1000)));
        controller.close();
      },
    });
    expect((await post("notebooks.create", stream)).status).toBe(413);
  });

  it("refuses cross-site writes (CSRF) with 403 and creates no identity", async () => {
    for (const headers of [
      { origin: "https://evil.test", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.test", "sec-fetch-site": "" },
      { origin: "null", "sec-fetch-site": "cross-site" },
    ]) {
      const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ""));
      const response = await handleTrpcRequest(
        new Request(`${APP}/api/trpc/notebooks.create`, {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json", ...clean },
        }),
        services,
      );
      expect(response.status).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect((await errorOf(response)).message).toMatch(/cannot change data/);
    }
  });

  it("answers an unknown procedure with 404", async () => {
    const response = await handleTrpcRequest(new Request(`${APP}/api/trpc/nope.nothing`), services);
    expect(response.status).toBe(404);
  });
});
