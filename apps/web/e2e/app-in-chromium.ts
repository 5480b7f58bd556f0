import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type AppServer, startAppServer } from "./app-server";
import { type Browser, launchBrowser } from "./chromium";

export interface AppInChromium {
  /** The production server; read inside tests (it starts in beforeAll). */
  readonly app: AppServer;
  /** A fresh Chromium shared by the tests; read inside tests. */
  readonly browser: Browser;
  /** A new tab of `within` (the shared browser unless told) at `path` of the app. */
  open(path: string, within?: Browser): Promise<{ page: Page; errors: string[] }>;
}

/**
 * The app and a browser for the enclosing describe block: both started (at once) before its
 * tests and stopped after them.
 */
export function appInChromium(): AppInChromium {
  let app: AppServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the app and browser start in beforeAll");
    return value;
  };
  const running: AppInChromium = {
    get app() {
      return started(app);
    },
    get browser() {
      return started(browser);
    },
    async open(path, within = running.browser) {
      const { page, errors } = await within.open();
      await page.goto(`${running.app.url}${path}`);
      return { page, errors };
    },
  };
  return running;
}
