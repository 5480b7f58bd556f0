import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "@gradbook/testing/chromium";
import type { BrowserContext, Page } from "playwright-core";

export const SCREENSHOTS = fileURLToPath(new URL("../test-output/", import.meta.url));

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab; uncaught page errors and console errors are collected in `errors`. */
  open(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile: a new browser with no cookies. */
export async function launchBrowser(): Promise<Browser> {
  const { context, close } = await launchChromium({
    viewport: { width: 1200, height: 900 },
    webgpu: true,
  });
  return {
    context,
    async open() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      return { page, errors };
    },
    close,
  };
}

/**
 * The whole page. The viewport is first made as tall as the page and given time to settle:
 * Playwright's own full-page capture grows the viewport while capturing, and caught the live
 * notebook (whose editors follow the sandbox frame's layout) halfway through relaying out.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport) await page.setViewportSize({ width: viewport.width, height });
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))),
  );
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  if (viewport) await page.setViewportSize(viewport);
}
