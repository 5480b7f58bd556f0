import type { FrameLocator, Locator, Page } from "playwright-core";
import { expect } from "vitest";

/**
 * Driving the live notebook in a page: the shell's editors (Monaco, over the sandbox iframe)
 * and the outputs inside the sandbox.
 */

/** Makes a notebook from Markdown through the API, as the page's own scripts would. */
export async function createNotebook(page: Page, content: string): Promise<string> {
  const id = await page.evaluate(async (text) => {
    const response = await fetch("/api/trpc/notebooks.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: text }),
    });
    const json = (await response.json()) as { result?: { data: { id: string } } };
    if (!json.result) throw new Error(`create failed: ${JSON.stringify(json)}`);
    return json.result.data.id;
  }, content);
  return id;
}

export function sandbox(page: Page): FrameLocator {
  return page.frameLocator("iframe.sandbox-frame");
}

/** A cell's output element inside the sandbox. */
export function output(page: Page, cellId: string): Locator {
  return sandbox(page).locator(`.gb-cell[data-cell-id="${cellId}"]`);
}

export function overlay(page: Page, cellId: string): Locator {
  return page.locator(`.cell-overlay[data-cell-id="${cellId}"]`);
}

/** Waits until the sandbox has laid the notebook out and every code cell has its Monaco editor. */
export async function waitForEditors(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.live-notebook[data-live="true"]').count(), { timeout: 30_000 })
    .toBe(1);
  await expect
    .poll(
      async () => {
        const code = await page.locator('.cell-overlay[data-type="code"]').count();
        const ready = await page.locator('.cell-overlay [data-editor-ready="true"]').count();
        const collapsed = await page.locator(".cell-overlay .collapsed-code").count();
        return code > 0 && ready + collapsed >= code;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** Waits until a cell's output text matches. */
export async function expectOutput(
  page: Page,
  cellId: string,
  pattern: RegExp,
  timeout = 20_000,
): Promise<void> {
  await expect.poll(() => output(page, cellId).innerText(), { timeout }).toMatch(pattern);
}

/** Replaces a cell's code by typing into its editor (as a person would: select all, type). */
export async function replaceCode(page: Page, cellId: string, code: string): Promise<void> {
  const editor = overlay(page, cellId).locator(".monaco-editor .view-lines");
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  // insertText, not type: Monaco's auto-closing brackets would double what a test types.
  await page.keyboard.insertText(code);
}

/** The code in a cell's editor (its Monaco model: the DOM shows only the lines in view). */
export async function editorText(page: Page, cellId: string): Promise<string> {
  return page.evaluate((id) => {
    const { monaco } = window as unknown as {
      monaco: { editor: { getModels(): { uri: { path: string }; getValue(): string }[] } };
    };
    const model = monaco.editor.getModels().find((m) => m.uri.path === `/cells/${id}.js`);
    return model?.getValue() ?? "";
  }, cellId);
}

/** Adds a cell at the end with its button and waits for its editor to take the focus. */
export async function addCell(page: Page, type: "code" | "markdown" = "code"): Promise<string> {
  await page.getByRole("button", { name: type === "code" ? "+ Code" : "+ Markdown" }).click();
  const added = page.locator(`.cell-overlay[data-type=${type}]`).last();
  await expect.poll(() => added.locator(".monaco-editor.focused").count()).toBe(1);
  return (await added.getAttribute("data-cell-id"))!;
}

/**
 * Replaces a cell's code as a paste would (typed line by line, Monaco would indent each new
 * line further), and leaves the focus in its editor.
 */
export async function pasteCode(page: Page, cellId: string, code: string): Promise<void> {
  await overlay(page, cellId).locator(".monaco-editor .view-lines").click();
  await page.evaluate(
    ({ id, text }) => {
      const { monaco } = window as unknown as {
        monaco: { editor: { getModels(): { uri: { path: string }; setValue(v: string): void }[] } };
      };
      monaco.editor
        .getModels()
        .find((m) => m.uri.path === `/cells/${id}.js`)
        ?.setValue(text);
    },
    { id: cellId, text: code },
  );
}

export async function runFocusedCell(page: Page): Promise<void> {
  await page.keyboard.press("Shift+Enter");
}

export async function cellStatus(page: Page, cellId: string): Promise<string | null> {
  return overlay(page, cellId).getAttribute("data-status");
}
