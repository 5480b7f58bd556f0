import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lessonTemplate } from "@gradbook/lessons";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appInChromium } from "./app-in-chromium";
import { screenshot } from "./chromium";
import { cellStatus, editorText, sandbox, waitForEditors } from "./notebook-page";

const LESSON_FILE = fileURLToPath(
  new URL("../../../packages/lessons/lessons/01-tensors.md", import.meta.url),
);

/** The overlay of the cell playing `kind` in an exercise (the first one, or the one named). */
function roleCell(page: Page, kind: "exercise" | "solution" | "check", nth = 0): Locator {
  return page.locator(`.cell-overlay[data-exercise-role="${kind}"]`).nth(nth);
}

async function idOf(overlay: Locator): Promise<string> {
  const id = await overlay.getAttribute("data-cell-id");
  if (!id) throw new Error("a cell overlay without an id");
  return id;
}

/** Clicks a download link and returns what the browser saved. */
async function download(page: Page, name: string): Promise<{ fileName: string; text: Buffer }> {
  const [saved] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name, exact: true }).click(),
  ]);
  const path = await saved.path();
  return { fileName: saved.suggestedFilename(), text: readFileSync(path) };
}

/** The notebook as stored, through the API (as the page's scripts would read it). */
async function stored(page: Page, id: string): Promise<string> {
  return page.evaluate(async (notebookId) => {
    const input = encodeURIComponent(JSON.stringify({ id: notebookId }));
    const response = await fetch(`/api/trpc/notebooks.get?input=${input}`);
    const json = (await response.json()) as { result: { data: { content: string } } };
    return json.result.data.content;
  }, id);
}

/**
 * Writing a lesson in the app: a new lesson from the template in the author view (solutions
 * and checks shown, checks passing), Make exercise, Preview as student, Download and Import.
 */
describe("authoring lessons in Chromium", () => {
  const env = appInChromium();

  async function newLesson() {
    const { page, errors } = await env.open("/notebooks");
    await page.getByRole("button", { name: "New lesson" }).click();
    await page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
    await waitForEditors(page);
    const id = page.url().split("/").pop()!;
    return { page, errors, id };
  }

  it("makes a new lesson whose author view shows its solution and check, and the check passes", async () => {
    const { page, errors, id } = await newLesson();
    expect(await stored(page, id)).toBe(lessonTemplate());

    for (const kind of ["exercise", "solution", "check"] as const) {
      await expect.poll(() => roleCell(page, kind).getAttribute("data-positioned")).toBe("true");
    }
    await expect.poll(() => roleCell(page, "solution").innerText()).toMatch(/Solution for squares/);
    const solutionId = await idOf(roleCell(page, "solution"));
    const checkId = await idOf(roleCell(page, "check"));
    // Shown in full (not collapsed behind "Code hidden"), with their code in editors.
    expect(await editorText(page, solutionId)).toMatch(/const squares = x\.square\(\);/);
    expect(await editorText(page, checkId)).toMatch(/check\(squares, x\.mul\(x\)/);
    // The author view runs the solution, and the check passes it.
    await expect.poll(() => cellStatus(page, checkId), { timeout: 30_000 }).toBe("done");
    expect(await roleCell(page, "check").innerText()).toMatch(
      /Check for squares · ✓ The solution passes/,
    );
    expect(await page.locator(".lesson-problems").count()).toBe(0);

    // Download .md gives the text exactly as stored, named after the title.
    const md = await download(page, "Download .md");
    expect(md.fileName).toBe("Your lesson's title.md");
    expect(md.text.toString("utf8")).toBe(await stored(page, id));
    const ipynb = await download(page, ".ipynb");
    expect(ipynb.fileName).toBe("Your lesson's title.ipynb");
    expect(JSON.parse(ipynb.text.toString("utf8")).nbformat).toBe(4);
    await screenshot(page, "lesson-author-view");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("turns a cell into an exercise with Make exercise…", async () => {
    const { page } = await newLesson();
    const first = page.locator('.cell-overlay[data-type="code"]').first();
    const cellId = await idOf(first);
    await first.getByRole("button", { name: "Make exercise…" }).click();
    const dialog = page.getByRole("dialog", { name: "Make exercise" });
    const name = dialog.getByRole("textbox", { name: "Exercise name" });
    expect(await name.inputValue()).toBe("x"); // the name the cell declares
    // A name that is taken is refused, and the dialog stays open.
    await name.fill("squares");
    await dialog.getByRole("button", { name: "Make exercise" }).click();
    await expect
      .poll(() => dialog.getByRole("alert").innerText())
      .toMatch(/already an exercise named "squares"/);
    await name.fill("points");
    await dialog.getByRole("button", { name: "Make exercise" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The cell is now the exercise; its code the solution; a check to finish follows.
    const exercise = page.locator(`.cell-overlay[data-cell-id="${cellId}"]`);
    expect(await exercise.getAttribute("data-exercise-role")).toBe("exercise");
    expect(await editorText(page, cellId)).toBe("const x = todo();");
    const solution = roleCell(page, "solution", 0);
    const check = roleCell(page, "check", 0);
    await expect.poll(() => solution.innerText()).toMatch(/Solution for points/);
    const solutionId = await idOf(solution);
    expect(await editorText(page, solutionId)).toMatch(
      /^\/\/ hint: .*\n\/\/ hint: .*\n\/\/ A live cell: .*\nconst x = torch\.linspace\(-2, 2, 5\);/,
    );
    expect(await editorText(page, await idOf(check))).toBe(
      'check(x, todo("the expected value of x"), { name: "x" });',
    );
    // The solution runs in the author view; the unfinished check says what to write.
    await expect.poll(() => cellStatus(page, solutionId), { timeout: 30_000 }).toBe("done");
    await expect.poll(() => check.innerText(), { timeout: 30_000 }).toMatch(/To finish/);
    const banner = page.locator(".lesson-problems");
    await expect
      .poll(() => banner.innerText())
      .toMatch(/The check for "points" still calls todo\(\)/);
    expect(await banner.innerText()).toMatch(/The hints for "points" are still to write/);
    // The exercise after it still passes: the solution defines x.
    const squaresCheck = await idOf(roleCell(page, "check", 1));
    await expect.poll(() => cellStatus(page, squaresCheck)).toBe("done");
    await expect
      .poll(() => page.locator("[data-save-status]").getAttribute("data-save-status"))
      .toBe("dirty");
    await page.close();
  }, 120_000);

  it("previews the lesson as a student, without changing the author's notebook", async () => {
    const { page, id } = await newLesson();
    const before = await stored(page, id);
    const exerciseId = await idOf(roleCell(page, "exercise"));
    await page.getByRole("button", { name: "Preview as student" }).click();
    await expect
      .poll(() =>
        page.getByRole("button", { name: "Preview as student" }).getAttribute("aria-pressed"),
      )
      .toBe("true");
    await waitForEditors(page);

    // As a student sees it: the placeholder, not attempted yet; no solution or check shown.
    const feedback = sandbox(page).locator(`.gb-cell[data-cell-id="${exerciseId}"] .gb-exercise`);
    await expect.poll(() => feedback.innerText(), { timeout: 30_000 }).toMatch(/Not attempted yet/);
    expect(await editorText(page, exerciseId)).toBe("const squares = todo();");
    expect(await roleCell(page, "solution").getAttribute("data-positioned")).toBe("false");
    expect(await roleCell(page, "check").getAttribute("data-positioned")).toBe("false");
    expect(await sandbox(page).getByRole("button", { name: /^Hint/ }).count()).toBe(1);
    await screenshot(page, "lesson-student-preview");

    // Show solution fills the exercise in, and it passes.
    await sandbox(page).getByRole("button", { name: "Show solution" }).click();
    await expect
      .poll(() => feedback.getAttribute("data-status"), { timeout: 30_000 })
      .toBe("passed");
    expect(await editorText(page, exerciseId)).toBe("const squares = x.square();");

    // Back to the author view: the author's text, unchanged, and nothing saved.
    await page.getByRole("button", { name: "Preview as student" }).click();
    await waitForEditors(page);
    await expect.poll(() => editorText(page, exerciseId)).toBe("const squares = todo();");
    await expect
      .poll(() => roleCell(page, "solution").getAttribute("data-positioned"))
      .toBe("true");
    expect(await page.locator("[data-save-status]").getAttribute("data-save-status")).not.toBe(
      "dirty",
    );
    expect(await stored(page, id)).toBe(before);
    await page.close();
  }, 120_000);

  it("imports a built-in lesson file as-is, which downloads byte for byte; refuses a bad file", async () => {
    const { page } = await env.open("/notebooks");
    const input = page.getByLabel("Import a notebook file (.md or .ipynb)");

    // A file that isn't UTF-8 creates nothing and says why.
    await input.setInputFiles({
      name: "latin1.md",
      mimeType: "text/markdown",
      buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    });
    await expect
      .poll(() => page.locator("[data-import-error]").innerText())
      .toMatch(/"latin1\.md" is not UTF-8 text/);
    expect(new URL(page.url()).pathname).toBe("/notebooks");

    await input.setInputFiles(LESSON_FILE);
    await page.waitForURL(/\/n\/[A-Za-z0-9_-]{24}$/);
    const id = page.url().split("/").pop()!;
    const file = readFileSync(LESSON_FILE);
    expect(await stored(page, id)).toBe(file.toString("utf8"));
    await waitForEditors(page);
    const md = await download(page, "Download .md");
    expect(md.text.equals(file)).toBe(true);
    await page.close();
  }, 120_000);
});
