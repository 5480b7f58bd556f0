/**
 * The engine works the same in the browser: it is bundled for the browser platform (a Node-only
 * import would fail the build) and runs every golden training program in headless Chromium.
 */

import { fileURLToPath } from "node:url";
import { type Chromium, launchChromium } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import type { Program, ProgramResult } from "./program.js";

const golden = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

let context: BrowserContext;
let chromium: Chromium;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL("./browser/entry.ts", import.meta.url))],
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

describe("engine in headless Chromium", () => {
  test.each(
    golden.programs.map((p) => [p.name, p] as const),
  )("%s matches PyTorch", async (_name, p) => {
    const page = await context.newPage();
    await page.setContent("<!doctype html><title>engine</title>");
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(
      (program) =>
        (
          globalThis as unknown as { runProgram: (p: Program) => Promise<ProgramResult> }
        ).runProgram(program),
      p,
    );
    await page.close();
    expectProgramMatches(p, result, golden.tolerance);
  });
});
