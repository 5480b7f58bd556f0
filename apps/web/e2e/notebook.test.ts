import { gzipSync } from "node:zlib";
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appInChromium } from "./app-in-chromium";
import { type Browser, launchBrowser, screenshot } from "./chromium";
import {
  addCell,
  cellStatus,
  createNotebook,
  editorText,
  expectOutput,
  output,
  overlay,
  pasteCode,
  replaceCode,
  runFocusedCell,
  sandbox,
  waitForEditors,
} from "./notebook-page";

// WebAssembly: what a machine without a GPU runs (and, headless, faster than a software GPU).
const REACTIVE = `---
title: Reactive test
device: wasm
---

# Reactive test

A value $x$, and cells that read it.

\`\`\`js id=base
const base = 2
\`\`\`

\`\`\`js id=double
display(base * 10)
\`\`\`

\`\`\`js id=unrelated
const stamp = Math.random()
display(stamp)
\`\`\`
`;

const TRAINING = `
\`\`\`js id=train
const curve = display(viz.lossCurve({ height: 160 }))
torch.manual_seed(0)
const model = new nn.Linear(1, 1)
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 })
const xs = torch.randn(64, 1)
const ys = xs.mul(3).add(1)
for (let step = 1; step <= 15; step++) {
  optimizer.zero_grad()
  const loss = F.mse_loss(model(xs), ys)
  loss.backward()
  optimizer.step()
  curve.append({ step, train: await loss.item() })
  await sleep(80)
}
\`\`\`
`;

/** Everything a shared notebook's code might try in order to act as the viewer. */
const HOSTILE = `---
title: Totally harmless
---

Nothing to see here.

\`\`\`js id=probe
const report = {}
async function attempt(name, action) {
  try {
    report[name] = String(await action())
  } catch (error) {
    report[name] = error.name
  }
}
await attempt("cookie", () => JSON.stringify(document.cookie))
await attempt("fetch", () => fetch("/api/trpc/notebooks.listMine").then((r) => r.status))
await attempt("fetchWithCredentials", () =>
  fetch(location.origin + "/api/trpc/notebooks.listMine", { credentials: "include" }).then((r) => r.status))
await attempt("beacon", () => navigator.sendBeacon("/api/trpc/notebooks.create", "{}"))
await attempt("parentLocation", () => window.parent.location.href)
await attempt("parentCookie", () => window.parent.document.cookie)
await attempt("topDocument", () => window.top.document.title)
// (window.localStorage: a bare localStorage would be looked up, and fail, before the cell runs)
await attempt("localStorage", () => window.localStorage.length)
await attempt("origin", () => window.origin)
const shown = document.createElement("pre")
shown.id = "probe-report"
shown.textContent = JSON.stringify(report)
display(shown)
\`\`\`
`;

/**
 * The notebook editor against the production build: a lesson runs (and how fast), edits re-run
 * dependants, a model trains live, saves keep edits and detect conflicts, shared notebooks wait
 * for consent and can't act as the viewer, and a hung sandbox is noticed and restarted.
 */
describe("the notebook editor in Chromium", () => {
  const env = appInChromium();

  /** A page of the viewer's own new notebook, live with its editors. */
  async function ownNotebook(content: string, within: Browser = env.browser) {
    const { page, errors } = await env.open("/", within);
    const id = await createNotebook(page, content);
    await page.goto(`${env.app.url}/n/${id}`);
    await waitForEditors(page);
    return { page, errors, id };
  }

  it("shows a lesson's prose at once and runs its cells soon after; measures it", async () => {
    const { page, errors } = await env.open("/course/autograd");
    // Prose is server-rendered: it is there before any script runs.
    expect(await page.locator("h1").first().textContent()).toBeTruthy();
    await waitForEditors(page);
    await expect
      .poll(() =>
        page.evaluate(() => performance.getEntriesByName("gradbook:first-cell-done").length),
      )
      .toBe(1);
    const timing = await page.evaluate(async () => {
      const lcp = await new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1].startTime);
        }).observe({ type: "largest-contentful-paint", buffered: true });
      });
      const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? -1;
      // First-load: the scripts the page asked for before it was parsed (the editor's chunks
      // are imported after hydration).
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const initial = (e: PerformanceResourceTiming) =>
        e.startTime < nav.domContentLoadedEventStart;
      const js = performance
        .getEntriesByType("resource")
        .filter((e) => e.name.endsWith(".js")) as PerformanceResourceTiming[];
      const kb = (entries: PerformanceResourceTiming[]) =>
        entries.reduce((sum, e) => sum + e.encodedBodySize, 0) / 1024;
      return {
        lcp,
        firstCellDone: mark("gradbook:first-cell-done"),
        editorReady: mark("gradbook:editor-ready"),
        firstLoadKB: kb(js.filter((e) => e.name.includes("/_next/") && initial(e))),
        lazyKB: kb(js.filter((e) => e.name.includes("/_next/") && !initial(e))),
        monacoKB: kb(js.filter((e) => e.name.includes("/monaco/"))),
      };
    });
    const manifest = await (await fetch(`${env.app.url}/sandbox`)).text();
    const script = /src="([^"]+client\.js)"/.exec(manifest)?.[1];
    const bundle = Buffer.from(await (await fetch(`${env.app.url}${script}`)).arrayBuffer());
    const device = await page.locator("[data-sandbox]").getAttribute("data-device");
    console.log(
      `lesson page: largest contentful paint ${timing.lcp.toFixed(0)} ms, first cell run at ` +
        `${timing.firstCellDone.toFixed(0)} ms (${device}), editors at ${timing.editorReady.toFixed(0)} ms; ` +
        `first-load JS ${timing.firstLoadKB.toFixed(0)} KB, editor chunks ${timing.lazyKB.toFixed(0)} KB, ` +
        `Monaco ${timing.monacoKB.toFixed(0)} KB, sandbox bundle ${(gzipSync(bundle).length / 1024).toFixed(0)} KB ` +
        "(all gzip)",
    );
    expect(timing.firstCellDone).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await screenshot(page, "lesson-live");

    // Starting the lesson makes it the viewer's own notebook.
    await page.getByRole("button", { name: "Start this lesson" }).click();
    await page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
    await waitForEditors(page);
    expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(1);
    await page.close();
  }, 90_000);

  it("re-runs a cell's dependants (and nothing else), trains live, saves and keeps the edit", async () => {
    const { page, errors, id } = await ownNotebook(REACTIVE + TRAINING);
    await expectOutput(page, "double", /^20$/m);
    const stamp = await output(page, "unrelated").innerText();

    await replaceCode(page, "base", "const base = 3");
    expect(await overlay(page, "base").innerText()).toMatch(/Edited/);
    await runFocusedCell(page);
    await expectOutput(page, "double", /^30$/m);
    expect(await output(page, "unrelated").innerText()).toBe(stamp);
    expect(await cellStatus(page, "base")).toBe("done");

    // Training: the loss curve gains points while the cell runs.
    await overlay(page, "train").scrollIntoViewIfNeeded();
    await pasteCode(page, "train", trainingSource().replace("<= 15", "<= 14"));
    await runFocusedCell(page);
    const curve = output(page, "train").locator(".gb-loss-curve");
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const points = await curve
            .getAttribute("data-points", { timeout: 1_000 })
            .catch(() => null);
          if (points) seen.add(points);
          return points;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe("14");
    console.log(`loss curve: seen with ${[...seen].join(", ")} points while training`);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await expect.poll(() => cellStatus(page, "train")).toBe("done");
    await screenshot(page, "notebook-editor");

    // Save with the keyboard, then reload: the edit is there and runs.
    await overlay(page, "base").locator(".monaco-editor .view-lines").click();
    await page.keyboard.press("ControlOrMeta+S");
    await expect
      .poll(() => page.locator("[data-save-status]").textContent())
      .toBe("Saved · version 2");
    await page.reload();
    await waitForEditors(page);
    expect(await editorText(page, "base")).toMatch(/const base = 3/);
    await expectOutput(page, "double", /^30$/m);
    expect(page.url()).toBe(`${env.app.url}/n/${id}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("adds, moves, converts, collapses and deletes cells, with keyboard help", async () => {
    const { page } = await ownNotebook(REACTIVE);
    const addedId = await addCell(page);
    const added = overlay(page, addedId);
    await page.keyboard.insertText("display(base + 1)");
    await runFocusedCell(page);
    await expectOutput(page, addedId, /^3$/m);

    await added.getByRole("button", { name: "Move up" }).click();
    const order = () =>
      sandbox(page)
        .locator(".gb-cell")
        .evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.cellId));
    await expect.poll(async () => (await order()).slice(-2)).toEqual([addedId, "unrelated"]);

    await overlay(page, "unrelated").getByRole("button", { name: "Hide code" }).click();
    await expect.poll(() => overlay(page, "unrelated").locator(".collapsed-code").count()).toBe(1);

    await overlay(page, "double").getByRole("button", { name: "Convert to Markdown" }).click();
    await expect
      .poll(() => output(page, "double").getAttribute("class"))
      .toMatch(/gb-markdown-cell/);
    await overlay(page, "double").getByRole("button", { name: "Delete cell" }).click();
    await expect.poll(() => output(page, "double").count()).toBe(0);

    await addCell(page, "markdown");
    await page.keyboard.insertText("## A new heading");
    await expect.poll(() => sandbox(page).locator("h2").last().textContent()).toBe("A new heading");
    await page.keyboard.press("Shift+Enter");
    await expect
      .poll(() => page.locator(".cell-overlay[data-type=markdown]:visible").count())
      .toBe(0);

    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("?");
    await expect.poll(() => page.locator("dialog.keyboard-help[open]").count()).toBe(1);
    await screenshot(page, "keyboard-help");
    await page.keyboard.press("Escape");
    expect(await page.locator("[data-save-status]").textContent()).toBe("Unsaved changes");

    // Leaving by one of the app's own links asks first; staying keeps the edits.
    const notebookUrl = page.url();
    const courseLink = page.locator("header").getByRole("link", { name: "Course" });
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await courseLink.click();
    await expect
      .poll(() => asked)
      .toEqual(["This notebook has unsaved edits. Leave without saving them?"]);
    expect(page.url()).toBe(notebookUrl);
    expect(await page.locator("[data-save-status]").textContent()).toBe("Unsaved changes");
    // So does an action that opens another page (here: a new notebook).
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.locator("header").getByRole("button", { name: "New notebook" }).click();
    await expect.poll(() => asked.length).toBe(2);
    expect(page.url()).toBe(notebookUrl);
    page.once("dialog", (dialog) => void dialog.accept());
    await courseLink.click();
    await page.waitForURL(`${env.app.url}/course`);
    await page.close();
  }, 90_000);

  it("interrupts a running cell, restarts the sandbox, and knows the engine's API", async () => {
    const { page, errors } = await ownNotebook(REACTIVE);
    const forever = await addCell(page);
    await page.keyboard.insertText("let ticks = 0; while (true) { ticks++; await sleep(50) }");
    await runFocusedCell(page);
    await expect.poll(() => cellStatus(page, forever)).toBe("running");
    await expect.poll(() => overlay(page, forever).locator(".cell-progress").count()).toBe(1);
    await page.getByRole("button", { name: "Interrupt" }).click();
    await expect.poll(() => cellStatus(page, forever)).toBe("error");
    expect(await overlay(page, forever).locator(".cell-status").innerText()).toMatch(/Interrupted/);

    const stamp = await output(page, "unrelated").innerText();
    await page.getByRole("button", { name: "Restart" }).click();
    await expect.poll(() => output(page, "unrelated").innerText()).not.toBe(stamp);
    await expectOutput(page, "double", /^20$/m);

    // Completion and hover docs from the engine's declarations.
    const typed = await addCell(page);
    await page.keyboard.type("new nn.Lin");
    const suggestions = page.locator(".suggest-widget.visible");
    await expect.poll(() => suggestions.innerText(), { timeout: 15_000 }).toMatch(/Linear/);
    await page.keyboard.press("Escape");
    await pasteCode(page, typed, "const layer = new nn.Linear(2, 3)");
    await overlay(page, typed)
      .locator(".view-lines span", { hasText: /^Linear$/ })
      .hover();
    await expect
      .poll(() => page.locator(".monaco-hover").first().innerText(), { timeout: 15_000 })
      .toMatch(/out_features/);
    await screenshot(page, "editor-hover");
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it("gets the conflict message on a stale save, keeps the edit and saves it as a copy", async () => {
    const { page: first, id } = await ownNotebook(REACTIVE);
    const { page: second } = await env.open(`/n/${id}`);
    await waitForEditors(second);

    await replaceCode(first, "base", "const base = 4");
    await first.keyboard.press("ControlOrMeta+S");
    await expect
      .poll(() => first.locator("[data-save-status]").textContent())
      .toBe("Saved · version 2");

    await replaceCode(second, "base", "const base = 5");
    await second.keyboard.press("ControlOrMeta+S");
    const notice = second.locator('[data-notice="conflict"]');
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.innerText()).toMatch(/changed since you opened it[\s\S]*version 2/);
    expect(await editorText(second, "base")).toMatch(/base = 5/);
    await screenshot(second, "save-conflict");

    await notice.getByRole("button", { name: "Save as a copy" }).click();
    await second.waitForURL(
      (url) => /\/n\/[A-Za-z0-9_-]{24}$/.test(url.pathname) && !url.pathname.endsWith(id),
    );
    await waitForEditors(second);
    expect(await editorText(second, "base")).toMatch(/base = 5/);
    await first.close();
    await second.close();
  }, 90_000);

  it("shows a shared notebook read-only and runs it only when asked; forks it", async () => {
    const { page: owner, id } = await ownNotebook(REACTIVE);
    const shareId = await owner.evaluate(async (notebookId) => {
      const response = await fetch("/api/trpc/shares.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ notebookId, visibility: "link" }),
      });
      return ((await response.json()) as { result: { data: { id: string } } }).result.data.id;
    }, id);
    await owner.close();

    const stranger = await launchBrowser();
    try {
      const { page, errors } = await env.open(`/s/${shareId}`, stranger);
      await expect.poll(() => page.locator(".trust-prompt").count()).toBe(1);
      expect(await page.locator(".code-cell").first().textContent()).toBe("const base = 2");
      // Not running: no sandbox at all until the viewer agrees.
      await page.waitForTimeout(1_000);
      expect(await page.locator("iframe").count()).toBe(0);
      await screenshot(page, "shared-not-run");

      await page.getByRole("button", { name: "Run this notebook" }).click();
      await waitForEditors(page);
      await expectOutput(page, "double", /^20$/m);
      // Read-only: typing changes nothing, and there is nothing to save.
      await overlay(page, "base").locator(".monaco-editor .view-lines").click();
      await page.keyboard.insertText("oops");
      expect(await editorText(page, "base")).toBe("const base = 2");
      expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
      await screenshot(page, "shared-running");

      await page.getByRole("button", { name: "Fork to edit" }).click();
      await page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
      await waitForEditors(page);
      await replaceCode(page, "base", "const base = 6");
      await runFocusedCell(page);
      await expectOutput(page, "double", /^60$/m);
      expect(errors).toEqual([]);
    } finally {
      await stranger.close();
    }
  }, 90_000);

  it("gives a hostile shared notebook nothing of the viewer's: no cookie, no API, no parent", async () => {
    const { page: attacker, id } = await ownNotebook(HOSTILE);
    const shareId = await attacker.evaluate(async (notebookId) => {
      const response = await fetch("/api/trpc/shares.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ notebookId, visibility: "link" }),
      });
      return ((await response.json()) as { result: { data: { id: string } } }).result.data.id;
    }, id);
    await attacker.close();

    const victim = await launchBrowser();
    try {
      // The victim has a session (a notebook of their own), so there is a cookie to steal.
      const { page } = await env.open("/", victim);
      await createNotebook(page, REACTIVE);
      const cookies = await victim.context.cookies();
      expect(cookies.length).toBeGreaterThan(0);
      const apiRequests: string[] = [];
      victim.context.on("request", (request: Request) => {
        if (!request.url().includes("/api/")) return;
        const from = request.frame() === page.mainFrame() ? "shell" : "elsewhere";
        apiRequests.push(`${from} ${request.method()} ${new URL(request.url()).pathname}`);
      });
      await page.goto(`${env.app.url}/s/${shareId}`);
      await page.getByRole("button", { name: "Run this notebook" }).click();
      await waitForEditors(page);
      const report = sandbox(page).locator("#probe-report");
      await expect.poll(() => report.count(), { timeout: 20_000 }).toBe(1);
      const probe = JSON.parse((await report.textContent()) ?? "{}") as Record<string, string>;
      console.log(`hostile notebook's probe: ${JSON.stringify(probe)}`);
      expect(probe).toEqual({
        cookie: "SecurityError",
        fetch: "TypeError",
        fetchWithCredentials: "TypeError",
        // sendBeacon says it queued the request; the CSP drops it (no API request is seen below).
        beacon: expect.any(String),
        parentLocation: "SecurityError",
        parentCookie: "SecurityError",
        topDocument: "SecurityError",
        localStorage: "SecurityError",
        origin: "null",
      });
      // The API saw nothing from the notebook: the shell itself only asks who is signed in.
      expect(apiRequests.filter((r) => r !== "shell GET /api/trpc/auth.me")).toEqual([]);
    } finally {
      await victim.close();
    }
  }, 90_000);

  it("notices a sandbox stuck in an endless loop and restarts it without losing edits", async () => {
    // A browser of its own: Chromium runs a site's sandboxed frames in one process, so a loop
    // would also stall the sandboxes of other tabs still open, and keep that process alive.
    const own = await launchBrowser();
    try {
      await hangAndRestart(own);
    } finally {
      await own.close();
    }
  }, 90_000);

  async function hangAndRestart(within: Browser) {
    const { page, errors } = await ownNotebook(REACTIVE, within);
    await replaceCode(page, "base", "const base = 7");
    await runFocusedCell(page);
    await expectOutput(page, "double", /^70$/m);

    const loopId = await addCell(page);
    await page.keyboard.insertText("while (true) {}");
    const started = Date.now();
    await runFocusedCell(page);
    const hung = page.locator('[data-notice="hung"]');
    await expect.poll(() => hung.count(), { timeout: 15_000 }).toBe(1);
    console.log(`hung sandbox reported ${Date.now() - started} ms after the loop started`);
    expect(await cellStatus(page, loopId)).toBe("stuck");
    // The shell still works: its editors take edits while the sandbox is stuck. (No screenshot
    // now: Chromium can't capture a page while one of its frames is stuck.)
    await replaceCode(page, "base", "const base = 8");

    await hung.getByRole("button", { name: "Restart the sandbox" }).click();
    const paused = page.locator('[data-notice="paused"]');
    await expect.poll(() => paused.count(), { timeout: 20_000 }).toBe(1);
    await screenshot(page, "sandbox-restarted");
    await replaceCode(page, loopId, "display(base * 100)");
    await paused.getByRole("button", { name: "Run all" }).click();
    await expectOutput(page, loopId, /^800$/m);
    await expectOutput(page, "double", /^80$/m);
    expect(await page.locator("[data-sandbox]").getAttribute("data-sandbox")).toBe("ready");
    expect(errors).toEqual([]);
  }
});

function trainingSource(): string {
  return /```js id=train\n([\s\S]*?)\n```/.exec(TRAINING)![1];
}
