/**
 * Debian's Chromium (`apt-get install chromium`; CHROMIUM_PATH elsewhere), headless through
 * playwright-core, with a fresh profile per launch. Playwright can't download its own browser
 * here, and Chromium's background connections hang on a closed network unless turned off.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a closed network: no QUIC, no first-run, background, component or sync traffic. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ChromiumOptions {
  readonly viewport?: { width: number; height: number };
  /** Offer a WebGPU adapter (SwiftShader, software, on a machine without a GPU). */
  readonly webgpu?: boolean;
  /** More command-line flags. */
  readonly args?: readonly string[];
}

export interface Chromium {
  /** A browser with no cookies or storage: its profile is a new folder. */
  readonly context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<Chromium> {
  if (!chromiumInstalled()) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  // Playwright refuses --user-data-dir in args: the profile folder is its own argument.
  const profile = mkdtempSync(join(tmpdir(), "gradbook-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: options.viewport,
      args: [
        ...FLAGS,
        ...(options.webgpu ? ["--enable-unsafe-webgpu"] : []),
        ...(options.args ?? []),
      ],
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

/**
 * Answers every request to `origin` with the file `fileFor(pathname)` names (404 when none) and
 * aborts any other request, so a page loads its assets as a site would serve them and nothing
 * from the network.
 */
export async function serveFiles(
  context: BrowserContext,
  origin: string,
  fileFor: (pathname: string) => string | null,
): Promise<void> {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) return route.abort();
    const path = url.pathname.includes("..") ? null : fileFor(url.pathname);
    if (!path || !existsSync(path)) return route.fulfill({ status: 404 });
    return route.fulfill({
      body: readFileSync(path),
      contentType: TYPES[extname(path)] ?? "application/octet-stream",
    });
  });
}
