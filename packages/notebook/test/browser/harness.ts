/**
 * Runs the notebook runtime in headless Chromium (Debian's, driven by playwright-core): bundles
 * entry.ts and the package's stylesheet (with KaTeX's fonts) into a temporary folder and serves
 * it from a made-up origin through request interception, so the page loads every asset as the
 * app would serve it, and nothing from the network.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, serveFiles } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { stylesOptions } from "../../scripts/build-styles.mjs";

export const ORIGIN = "http://gradbook.test";

const INDEX = `<!doctype html>
<html><head><meta charset="utf-8"><title>Gradbook notebook</title>
<link rel="stylesheet" href="/notebook.css">
<style>body { margin: 24px; background: white; }</style>
</head><body><main id="root"></main><script src="/entry.js"></script></body></html>`;

export interface Browser {
  /** A fresh page with the harness loaded; page errors are collected in `errors`. */
  open(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const site = mkdtempSync(join(tmpdir(), "gradbook-notebook-site-"));
  await build({
    entryPoints: [fileURLToPath(new URL("./entry.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    outfile: join(site, "entry.js"),
    logLevel: "warning",
  });
  await build(stylesOptions({ outfile: join(site, "notebook.css") }));
  writeFileSync(join(site, "index.html"), INDEX);

  const { context, close } = await launchChromium({ viewport: { width: 1000, height: 800 } });
  await serveFiles(context, ORIGIN, (path) => join(site, path === "/" ? "index.html" : path));

  return {
    async open() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction(() => window.harness !== undefined);
      return { page, errors };
    },
    async close() {
      await close();
      rmSync(site, { recursive: true, force: true });
    },
  };
}

/** A notebook file from cells: `[id, source]` pairs are code cells, strings are Markdown. */
export function notebook(...cells: (string | readonly [string, string])[]): string {
  return cells
    .map((cell) => (typeof cell === "string" ? cell : `\`\`\`js id=${cell[0]}\n${cell[1]}\n\`\`\``))
    .join("\n\n");
}
