/**
 * The golden training programs on the wasm backend in headless Chromium: single-threaded on a
 * plain page, and on two threads (workers over shared memory) on a cross-origin isolated page.
 */

import { fileURLToPath } from "node:url";
import { type Chromium, launchChromium } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import type { Program, ProgramResult } from "./program.js";

const golden = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

interface WasmPage {
  runProgramOnWasm(p: Program): Promise<ProgramResult>;
  useWasm(threads: number): Promise<number>;
}

let context: BrowserContext;
let chromium: Chromium;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL("./browser/entry-wasm.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
  });
  bundle = out.outputFiles[0].text;
  chromium = await launchChromium();
  context = chromium.context;
}, 60_000);

afterAll(async () => {
  await chromium?.close();
});

/** A page served with COOP/COEP headers, so it is cross-origin isolated (SharedArrayBuffer). */
async function isolatedPage(): Promise<Page> {
  const page = await context.newPage();
  await page.route("http://localhost/", (route) =>
    route.fulfill({
      contentType: "text/html",
      headers: {
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Embedder-Policy": "require-corp",
      },
      body: "<!doctype html><title>engine</title>",
    }),
  );
  await page.goto("http://localhost/");
  await page.addScriptTag({ content: bundle });
  return page;
}

function run(page: Page, p: Program): Promise<ProgramResult> {
  return page.evaluate(
    (program) => (globalThis as unknown as WasmPage).runProgramOnWasm(program),
    p,
  );
}

describe("engine on the wasm backend in headless Chromium", () => {
  test.each(
    golden.programs.map((p) => [p.name, p] as const),
  )("%s matches PyTorch", async (_name, p) => {
    const page = await context.newPage();
    await page.setContent("<!doctype html><title>engine</title>");
    await page.addScriptTag({ content: bundle });
    const result = await run(page, p);
    await page.close();
    expectProgramMatches(p, result, golden.tolerance);
  });

  test("every program matches on two threads on a cross-origin isolated page", async () => {
    const page = await isolatedPage();
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as WasmPage).useWasm(2))).toBe(2);
    for (const p of golden.programs) expectProgramMatches(p, await run(page, p), golden.tolerance);
    await page.close();
  }, 60_000);
});
