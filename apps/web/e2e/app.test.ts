import { lessons } from "@gradbook/lessons";
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appInChromium } from "./app-in-chromium";
import { startAppServer } from "./app-server";
import { type Browser, launchBrowser, screenshot } from "./chromium";

/**
 * The production build in Debian's Chromium: pages render, a notebook can be created, listed,
 * shared and forked from a fresh browser, the app is cross-origin isolated, the sandbox is cut
 * off from the app, and bad API calls get clear errors. Screenshots land in test-output/.
 */
describe("the app in Chromium", () => {
  const env = appInChromium();

  /** Opens a path and checks that every same-origin request the page made succeeded. */
  async function visit(path: string, within: Browser = env.browser) {
    const { page, errors } = await within.open();
    const failures: string[] = [];
    page.on("response", (response: Response) => {
      if (response.url().startsWith(env.app.url) && response.status() >= 400)
        failures.push(`${response.status()} ${response.url()}`);
    });
    page.on("requestfailed", (request) => {
      const reason = request.failure()?.errorText;
      // The router cancels prefetches it no longer needs; that is not a failure.
      if (reason === "net::ERR_ABORTED" && request.url().includes("_rsc=")) return;
      failures.push(`failed ${request.url()}: ${reason}`);
    });
    const response = await page.goto(`${env.app.url}${path}`, { waitUntil: "networkidle" });
    return { page, errors, failures, response };
  }

  async function sandboxReady(page: Page) {
    const badge = page.locator("[data-sandbox]");
    await expect.poll(() => badge.getAttribute("data-sandbox"), { timeout: 10_000 }).toBe("ready");
    return badge;
  }

  it("serves the home page cross-origin isolated, with all of Next's assets loading", async () => {
    const { page, errors, failures, response } = await visit("/");
    const headers = response?.headers() ?? {};
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect
      .poll(() => page.locator("h1").textContent())
      .toBe("Learn deep learning by doing it.");
    const scripts = await page.evaluate(
      () =>
        performance.getEntriesByType("resource").filter((e) => e.name.includes("/_next/")).length,
    );
    expect(scripts).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const scripts = performance
        .getEntriesByType("resource")
        .filter((e) => e.name.endsWith(".js")) as PerformanceResourceTiming[];
      return {
        domContentLoaded: nav.domContentLoadedEventEnd,
        fcp: paint?.startTime ?? -1,
        jsKB: scripts.reduce((sum, e) => sum + e.encodedBodySize, 0) / 1024,
        jsFiles: scripts.length,
      };
    });
    console.log(
      `home: first contentful paint ${timing.fcp.toFixed(0)} ms, DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, ` +
        `JavaScript ${timing.jsKB.toFixed(0)} KB in ${timing.jsFiles} files over the wire (gzip)`,
    );
    await screenshot(page, "home");
    await page.close();
  });

  it("shows the course and a lesson, with math rendered and the sandbox isolated", async () => {
    const course = await visit("/course");
    expect(await course.page.locator(".lesson-list li").count()).toBe(lessons().length);
    await screenshot(course.page, "course");
    await course.page.close();

    // The server renders the lesson's prose (with math) and code before any script runs.
    const html = await (await fetch(`${env.app.url}/course/autograd`)).text();
    expect(html).toContain('class="katex"');
    expect(html).toMatch(/class="cell code-cell"/);
    const lesson = await visit("/course/autograd");
    const badge = await sandboxReady(lesson.page);
    // Live, the sandbox renders it (and its math) instead.
    await expect
      .poll(() => lesson.page.frameLocator("iframe.sandbox-frame").locator(".katex").count())
      .toBeGreaterThan(0);
    expect(await badge.getAttribute("data-isolated")).toBe("true");
    expect(lesson.failures).toEqual([]);
    expect(lesson.errors).toEqual([]);
    await screenshot(lesson.page, "lesson");
    await lesson.page.close();
  });

  it("keeps the sandbox away from the viewer's cookies and the API", async () => {
    // Give this browser an identity first, so there is a cookie to steal.
    const { page } = await visit("/");
    await page.getByRole("button", { name: "Start a new notebook" }).click();
    await page.waitForURL(/\/n\//);
    await sandboxReady(page);
    const sandbox = page.frames().find((frame) => frame.url().endsWith("/sandbox"));
    expect(sandbox).toBeDefined();
    const probe = await sandbox!.evaluate(async () => {
      const result: Record<string, string> = {};
      try {
        result.cookie = JSON.stringify(document.cookie);
      } catch (error) {
        result.cookie = (error as Error).name;
      }
      try {
        const response = await fetch("/api/trpc/notebooks.listMine");
        result.fetch = `status ${response.status}`;
      } catch (error) {
        result.fetch = (error as Error).name;
      }
      try {
        result.parent = String(window.parent.location.href);
      } catch (error) {
        result.parent = (error as Error).name;
      }
      result.origin = window.origin;
      return result;
    });
    expect(probe).toEqual({
      cookie: "SecurityError",
      fetch: "TypeError", // refused by the sandbox's CSP (connect-src 'none')
      parent: "SecurityError",
      origin: "null",
    });
    await page.close();
  });

  it("creates a notebook that appears in My notebooks, and shares it read-only", async () => {
    const home = await visit("/");
    await home.page.getByRole("button", { name: "Start a new notebook" }).click();
    await home.page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
    const notebookUrl = home.page.url();
    await expect
      .poll(() => home.page.locator("h1").first().textContent())
      .toBe("Untitled notebook");
    await sandboxReady(home.page);
    expect(home.errors).toEqual([]);
    await screenshot(home.page, "notebook");

    // Share it.
    await home.page.locator(".share-panel > summary").click();
    await home.page.getByRole("button", { name: "Create a share link" }).click();
    const linkInput = home.page.getByLabel("Share link");
    await expect.poll(() => linkInput.inputValue()).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
    const shareUrl = await linkInput.inputValue();
    await screenshot(home.page, "notebook-share-panel");
    await home.page.close();

    const mine = await visit("/notebooks");
    const listed = await mine.page
      .locator(".notebook-list a")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(listed).toContain(notebookUrl);
    await screenshot(mine.page, "my-notebooks");
    await mine.page.close();

    // A fresh browser (no cookies) reads it through the link, read-only, and forks it.
    const stranger = await launchBrowser();
    try {
      const empty = await visit("/notebooks", stranger);
      expect(await empty.page.locator(".notebook-list").count()).toBe(0);
      await screenshot(empty.page, "my-notebooks-empty");

      const denied = await visit(new URL(notebookUrl).pathname, stranger);
      await expect
        .poll(() => denied.page.locator("h1").textContent())
        .toBe("This notebook is private");
      await screenshot(denied.page, "notebook-private");

      const shared = await visit(new URL(shareUrl).pathname, stranger);
      await expect
        .poll(() => shared.page.locator(".shared-banner").textContent())
        .toMatch(/read-only/);
      expect(await shared.page.locator("[data-editable]").getAttribute("data-editable")).toBe(
        "false",
      );
      await screenshot(shared.page, "shared");
      await shared.page.getByRole("button", { name: "Fork to edit" }).click();
      await shared.page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
      expect(shared.page.url()).not.toBe(notebookUrl);
      await expect.poll(() => shared.page.locator(".doc-actions").count()).toBe(1);
      await sandboxReady(shared.page);
      expect(shared.errors).toEqual([]);
      await screenshot(shared.page, "forked");
    } finally {
      await stranger.close();
    }
  });

  it("answers malformed, invalid and oversized API calls with clear 4xx errors", async () => {
    const { page } = await visit("/");
    const calls = await page.evaluate(async () => {
      const post = async (path: string, body: string) => {
        const response = await fetch(`/api/trpc/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const json = (await response.json()) as { error?: { message: string } };
        return { status: response.status, message: json.error?.message ?? "" };
      };
      return {
        malformed: await post("notebooks.create", "{oops"),
        invalid: await post("notebooks.update", JSON.stringify({ id: 42, version: -1 })),
        oversized: await post(
          "notebooks.create",
          JSON.stringify({ content: "x".repeat(3_000_000) }),
        ),
        tooBigNotebook: await post(
          "notebooks.create",
          JSON.stringify({ content: `# Big\n\n${"x".repeat(1_100_000)}` }),
        ),
        unknown: await fetch(
          "/api/trpc/notebooks.get?input=" +
            encodeURIComponent(JSON.stringify({ id: "A".repeat(24) })),
        ).then(async (r) => ({
          status: r.status,
          message: ((await r.json()) as { error: { message: string } }).error.message,
        })),
      };
    });
    expect(calls.malformed).toEqual({
      status: 400,
      message: expect.stringMatching(/^The request is not valid JSON/),
    });
    expect(calls.invalid.status).toBe(400);
    expect(calls.invalid.message).toMatch(/^Invalid input: id: .*; version: .*; content: /);
    expect(calls.oversized).toEqual({
      status: 413,
      message: "The request is larger than the server accepts (2.1 MB).",
    });
    expect(calls.tooBigNotebook.status).toBe(413);
    expect(calls.tooBigNotebook.message).toMatch(/the limit is 1 MB/);
    expect(calls.unknown).toEqual({
      status: 404,
      message: `There is no notebook ${"A".repeat(24)}.`,
    });
    await page.close();
  });

  it("refuses to start a second server on the same PGlite directory", async () => {
    await expect(startAppServer({ dataDir: env.app.dataDir })).rejects.toThrow(
      /next start exited \(1\)[\s\S]*is in use by process \d+/,
    );
  }, 90_000);

  it("shows a helpful 404", async () => {
    const { page, response } = await visit("/n/not-a-real-id");
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Not found");
    await screenshot(page, "not-found");
    await page.close();
  });
});
