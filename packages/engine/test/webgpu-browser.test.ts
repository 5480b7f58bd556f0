/**
 * The golden suites and the gradient checks on webgpu in headless Chromium, on whatever WebGPU
 * adapter it has (SwiftShader, a software GPU, on machines without one).
 */

import { fileURLToPath } from "node:url";
import { type Chromium, launchChromium } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BrowserTestResult } from "./browser/webgpu-vitest-shim.js";
import { expectClose, expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import type { Program, ProgramResult } from "./program.js";
import type { OpCase, OpResult } from "./webgpu-golden-ops.js";

const ops = readGolden<{ tolerance: Tolerance; cases: OpCase[] }>("ops.json");
const programs = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

interface PageApi {
  init(): Promise<string>;
  runProgram(p: Program): Promise<ProgramResult>;
  runOpCase(c: OpCase): Promise<OpResult>;
  gradcheck(): Promise<{ results: BrowserTestResult[]; compared: number }>;
}

let context: BrowserContext;
let chromium: Chromium;
let bundle: string;

beforeAll(async () => {
  const shim = fileURLToPath(new URL("./browser/webgpu-vitest-shim.ts", import.meta.url));
  const out = await build({
    entryPoints: [fileURLToPath(new URL("./browser/webgpu-entry.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "vitest-in-the-page",
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: shim }));
        },
      },
    ],
  });
  bundle = out.outputFiles[0].text;
  chromium = await launchChromium({ webgpu: true });
  context = chromium.context;
}, 120_000);

afterAll(async () => {
  await chromium?.close();
});

/** WebGPU needs a secure context: the page is served from an https origin Playwright fakes. */
const ORIGIN = "https://gradbook.test/";

/** A fresh page with the bundle loaded and webgpu as the default device. */
async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.route(`${ORIGIN}**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: "<!doctype html><title>engine on webgpu</title>",
    }),
  );
  await page.goto(ORIGIN);
  await page.addScriptTag({ content: bundle });
  const adapter = await page.evaluate(() =>
    (globalThis as unknown as { gradbook: PageApi }).gradbook.init(),
  );
  expect(adapter).toBeTruthy();
  return page;
}

describe("engine on webgpu in headless Chromium", () => {
  test("every golden op case matches PyTorch", async () => {
    const page = await openPage();
    const results = await page.evaluate(async (cases) => {
      const api = (globalThis as unknown as { gradbook: PageApi }).gradbook;
      const out: OpResult[] = [];
      for (const c of cases) out.push(await api.runOpCase(c));
      return out;
    }, ops.cases);
    await page.close();
    ops.cases.forEach((c, k) => {
      expectClose(results[k].out, c.out, ops.tolerance, `${c.name} output`);
      c.grads?.forEach((g, i) => {
        if (g)
          expectClose(
            results[k].grads[i] ?? { shape: [], data: [] },
            g,
            ops.tolerance,
            `${c.name} grad ${i}`,
          );
      });
    });
  }, 120_000);

  test.each(programs.programs.map((p) => [p.name, p] as const))(
    "program %s matches PyTorch",
    async (_name, p) => {
      const page = await openPage();
      const result = await page.evaluate(
        (program) => (globalThis as unknown as { gradbook: PageApi }).gradbook.runProgram(program),
        p,
      );
      await page.close();
      expectProgramMatches(p, result, programs.tolerance);
    },
    120_000,
  );

  test("the gradient checks pass", async () => {
    const page = await openPage();
    const { results, compared } = await page.evaluate(() =>
      (globalThis as unknown as { gradbook: PageApi }).gradbook.gradcheck(),
    );
    await page.close();
    const failed = results.filter((r) => r.error !== null);
    expect(failed.map((r) => `${r.name}: ${r.error}`)).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
    expect(compared).toBeGreaterThan(1000);
  }, 300_000);
});
