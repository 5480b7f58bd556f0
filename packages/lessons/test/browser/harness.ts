/**
 * Runs lessons in headless Chromium (Debian's, driven by playwright-core): bundles entry.ts,
 * serves it with the notebook's and the lessons' stylesheets from a made-up origin through
 * request interception, so the page loads nothing from the network.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, serveFiles } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import type { Page } from "playwright-core";

const ORIGIN = "http://lessons.test";

const INDEX = `<!doctype html>
<html><head><meta charset="utf-8"><title>Gradbook lesson</title>
<link rel="stylesheet" href="/notebook.css">
<link rel="stylesheet" href="/lessons.css">
<style>body { margin: 24px; background: white; }</style>
</head><body><main id="root"></main><script src="/entry.js"></script></body></html>`;

export interface Browser {
  /** A fresh page with the harness loaded; page errors are collected in `errors`. */
  open(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const site = mkdtempSync(join(tmpdir(), "gradbook-lessons-site-"));
  await build({
    entryPoints: [fileURLToPath(new URL("./entry.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "iife",
    outfile: join(site, "entry.js"),
    logLevel: "warning",
  });
  writeFileSync(join(site, "index.html"), INDEX);
  const notebookCss = createRequire(import.meta.url).resolve("@gradbook/notebook/styles.css");
  const files = (path: string): string | null => {
    if (path === "/notebook.css") return notebookCss;
    if (path === "/lessons.css")
      return fileURLToPath(new URL("../../styles/lessons.css", import.meta.url));
    if (path.startsWith("/fonts/")) return join(dirname(notebookCss), path);
    return join(site, path === "/" ? "index.html" : path);
  };

  const { context, close } = await launchChromium({ viewport: { width: 1000, height: 800 } });
  await serveFiles(context, ORIGIN, files);

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
