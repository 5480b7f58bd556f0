/**
 * `npm run bench` (WebGPU part): builds a self-contained page (dist/webgpu/bench.html: open it
 * in any WebGPU browser to measure that machine's GPU), runs it in headless Chromium on
 * whatever adapter that finds, and prints the figures. CHROMIUM_PATH picks the browser and
 * CHROMIUM_ARGS adds flags (e.g. to use a real GPU headless).
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from "@gradbook/testing/chromium";
import { build } from "esbuild";
import { formatTable, type WebGpuBenchResult } from "./page.js";

/** WebGPU needs a secure context: Playwright serves the page from this (fake) https origin. */
const ORIGIN = "https://gradbook-bench.test/";

const script = await build({
  entryPoints: [fileURLToPath(new URL("./entry.js", import.meta.url))],
  bundle: true,
  platform: "browser",
  format: "iife",
  write: false,
  logLevel: "error",
});
const html = `<!doctype html><meta charset="utf-8"><title>Gradbook WebGPU bench</title>
<h1>Gradbook WebGPU bench</h1><script>${script.outputFiles[0].text.replaceAll("</script", "<\\/script")}</script>`;
const outDir = fileURLToPath(new URL(".", import.meta.url));
mkdirSync(outDir, { recursive: true });
const page = join(outDir, "bench.html");
writeFileSync(page, html);
console.log(`\nWebGPU bench page: ${page} (open it in a browser with WebGPU to measure its GPU)`);

if (!chromiumInstalled()) {
  console.log(
    `(Chromium not found at ${CHROMIUM_PATH}: set CHROMIUM_PATH to run the WebGPU bench here)`,
  );
  process.exit(0);
}
const { context, close } = await launchChromium({
  webgpu: true,
  args: process.env.CHROMIUM_ARGS?.split(" ").filter((a) => a),
});
try {
  const tab = await context.newPage();
  await tab.route(`${ORIGIN}**`, (route) =>
    route.fulfill({ contentType: "text/html", body: html }),
  );
  tab.on("console", (m) => {
    if (m.type() === "error") process.stderr.write(`[page] ${m.text()}\n`);
  });
  // Arguments pick libraries by name, as in the wasm bench: `npm run bench -- jax`.
  await tab.goto(`${ORIGIN}#${process.argv.slice(2).join(",")}`);
  await tab.waitForFunction(
    () => {
      const w = window as unknown as { benchResult?: unknown; benchError?: string };
      return w.benchResult !== undefined || w.benchError !== undefined;
    },
    undefined,
    { timeout: 30 * 60_000, polling: 500 },
  );
  const { result, error } = await tab.evaluate(() => {
    const w = window as unknown as { benchResult?: WebGpuBenchResult; benchError?: string };
    return { result: w.benchResult, error: w.benchError };
  });
  if (error || !result) console.log(`WebGPU bench failed: ${error}`);
  else console.log(`\n${formatTable(result)}`);
} finally {
  await close();
}
