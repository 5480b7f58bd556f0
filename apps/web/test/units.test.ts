import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/server/db/open";
import { DataDirectoryInUseError, lockDataDirectory } from "../src/server/db/pglite-lock";
import { randomId } from "../src/server/ids";
import { lessonFolder } from "../src/server/lessons";
import { renderMarkdown, staticNotebook } from "../src/server/markdown";
import { tokenBucket } from "../src/server/rate-limit";
import { appOriginOf, checkSameOrigin } from "../src/server/same-origin";
import { MIGRATIONS } from "./databases";

describe("checkSameOrigin", () => {
  const app = "http://localhost:3000";
  const check = (headers: Record<string, string>) => checkSameOrigin(new Headers(headers), app);

  it("accepts the app's own pages", () => {
    expect(check({ "sec-fetch-site": "same-origin", origin: app }).ok).toBe(true);
    expect(check({ "sec-fetch-site": "same-origin" }).ok).toBe(true);
    expect(check({ origin: app }).ok).toBe(true); // an older browser
  });

  it("refuses other sites, sandboxed frames and requests that say nothing", () => {
    expect(check({ "sec-fetch-site": "cross-site", origin: "https://evil.test" }).ok).toBe(false);
    expect(check({ "sec-fetch-site": "same-site", origin: "http://a.localhost:3000" }).ok).toBe(
      false,
    );
    expect(check({ "sec-fetch-site": "none" }).ok).toBe(false);
    expect(check({ origin: "null" }).ok).toBe(false); // an opaque-origin sandbox
    expect(check({ origin: "http://localhost:3001" }).ok).toBe(false);
    expect(check({}).ok).toBe(false);
  });

  it("works out the app's origin from the request, or takes it from configuration", () => {
    const url = new URL("http://0.0.0.0:3000/api/trpc/x");
    expect(appOriginOf(url, new Headers({ host: "localhost:3000" }))).toBe(app);
    const proxied = new Headers({ host: "gradbook.school", "x-forwarded-proto": "https" });
    expect(appOriginOf(url, proxied)).toBe("https://gradbook.school");
    expect(appOriginOf(url, proxied, "https://notebooks.school/")).toBe("https://notebooks.school");
  });
});

describe("tokenBucket", () => {
  it("allows a burst, then one per refill interval, per key", () => {
    let now = 0;
    const bucket = tokenBucket({ burst: 2, perSecond: 0.5 }, () => now);
    expect([bucket.take("a"), bucket.take("a"), bucket.take("a")]).toEqual([0, 0, 2]);
    expect(bucket.take("b")).toBe(0);
    now += 2000;
    expect(bucket.take("a")).toBe(0);
    expect(bucket.take("a")).toBe(2);
    now += 60_000; // refills to the burst, no further
    expect([bucket.take("a"), bucket.take("a"), bucket.take("a")]).toEqual([0, 0, 2]);
  });
});

describe("randomId", () => {
  it("is 144 random bits in base64url", () => {
    const ids = new Set(Array.from({ length: 1000 }, randomId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});

describe("the PGlite data directory lock", () => {
  it("refuses a second opener of the same directory, with a message that says what to do", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "gradbook-lock-")), "db");
    const first = await openDatabase({ driver: "pglite", dataDir }, MIGRATIONS);
    await expect(openDatabase({ driver: "pglite", dataDir }, MIGRATIONS)).rejects.toThrow(
      /in use by process \d+.*one process per data directory.*DATABASE_URL/s,
    );
    await first.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openDatabase({ driver: "pglite", dataDir }, MIGRATIONS);
    await again.close();
  });

  it("takes over a lock left by a process that is gone", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "gradbook-lock-")), "db");
    writeFileSync(`${dataDir}.lock`, "999999999");
    const lock = lockDataDirectory(dataDir);
    expect(() => lockDataDirectory(dataDir)).toThrow(DataDirectoryInUseError);
    lock.release();
  });
});

describe("renderMarkdown (pages with the viewer's cookies)", () => {
  it("shows raw HTML as text and neutralizes script links", () => {
    const html = renderMarkdown(
      '<img src=x onerror="alert(1)">\n\n<script>alert(2)</script>\n\n[click](javascript:alert(3)) [ok](https://pytorch.org) [rel](/course)\n\n![i](data:text/html,x)',
    );
    expect(html).not.toMatch(/<img src=x|<script|javascript:|data:text/);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('href="https://pytorch.org"');
    expect(html).toContain('href="/course"');
  });

  it("renders math with KaTeX", () => {
    expect(renderMarkdown("$x^2$")).toContain('class="katex"');
  });

  it("renders a notebook's cells, or says why it cannot", () => {
    const notebook = staticNotebook(
      "# Title\n\nText\n\n```js hidden\nsecret\n```\n\n```js\nshown\n```\n",
    );
    expect(notebook.startsWithHeading).toBe(true);
    expect(notebook.cells.map((c) => c.type)).toEqual(["markdown", "code", "code"]);
    expect(notebook.cells[1]).toMatchObject({ hidden: true });
    expect(staticNotebook("```js id=a\n```\n```js id=a\n```\n").error).toMatch(/line 3/);
  });
});

describe("lessonFolder", () => {
  it("reads a school's own course from a folder of notebooks, in file-name order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradbook-lessons-"));
    writeFileSync(join(dir, "02-second.md"), "---\ntitle: Second\n---\n\nText.\n");
    writeFileSync(join(dir, "01-first.md"), "---\ntitle: First\ndescription: One\n---\n");
    writeFileSync(join(dir, "notes.txt"), "not a lesson");
    const library = lessonFolder(dir);
    expect(await library.list()).toEqual([
      { slug: "first", title: "First", description: "One" },
      { slug: "second", title: "Second", description: "" },
    ]);
    expect((await library.get("second"))?.content).toMatch(/Text\./);
    expect(await library.get("third")).toBeNull();
  });
});
