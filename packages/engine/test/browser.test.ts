/**
 * The engine works the same in the browser: it is bundled for the browser platform (a Node-only
 * import would fail the build) and runs every golden training program in headless Chromium.
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import type { Program, ProgramResult } from "./program.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const golden = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

let context: BrowserContext;
let profile: string;
let bundle: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  const out = await build({
    entryPoints: [fileURLToPath(new URL("./browser/entry.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
  });
  bundle = out.outputFiles[0].text;
  profile = mkdtempSync(join(tmpdir(), "gradbook-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
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
