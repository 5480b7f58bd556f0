/**
 * A lesson session in headless Chromium: exercise feedback as the student edits, hints one by
 * one (buttons and `hint()`), "Show solution", progress reports, and restoring saved progress.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { prepareLesson, type SavedExercise } from "../src/index.js";
import { type Browser, launch } from "./browser/harness.js";

const fence = (attrs: string, source: string) => `\`\`\`js ${attrs}\n${source}\n\`\`\``;

const LESSON = [
  "---\ntitle: Session test\n---",
  fence("id=base", "const x = torch.tensor([1, 2, 3]);"),
  fence("id=double exercise=double", "const doubled = todo();"),
  fence(
    "solution=double hidden",
    "// hint: Multiply by 2.\n// hint: `x.mul(2)`\nconst doubled = x.mul(2);",
  ),
  fence("check=double hidden", 'check(doubled, x.mul(2), { name: "doubled" });'),
  fence("id=after", "doubled.sum()"),
  fence("id=square exercise=square", "function square(t) {\n  return todo();\n}"),
  fence(
    "solution=square hidden",
    "// hint: `t.mul(t)`\nfunction square(t) {\n  return t.mul(t);\n}",
  ),
  fence("check=square hidden", 'check(square(x), x.mul(x), { name: "square(x)" });'),
].join("\n\n");

const { exercises } = prepareLesson(LESSON);
const [double, square] = exercises;

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  expect(errors).toEqual([]);
  await page?.close();
});

async function start(saved?: SavedExercise[], markdown = LESSON, grader = false): Promise<void> {
  ({ page, errors } = await browser.open());
  await page.evaluate(
    ([text, restore, withGrader]) =>
      window.harness.start(text, { saved: restore, grader: withGrader }),
    [markdown, saved, grader] as const,
  );
  await idle();
}

const idle = () => page.evaluate(() => window.harness.idle());
const progress = () => page.evaluate(() => window.harness.progress());
const state = async (name: string) =>
  (await progress())?.exercises.find((exercise) => exercise.name === name);
const text = (id: string) => page.evaluate((cell) => window.harness.text(cell), id);
const edit = async (id: string, source: string) => {
  await page.evaluate(
    ([cell, code]) => window.harness.session().runtime.updateCell(cell, code),
    [id, source],
  );
  await idle();
};
const feedback = (id: string) => page.locator(`[data-cell-id="${id}"] .gb-exercise`);
const hints = async (id: string) =>
  (await feedback(id).locator("li").allTextContents()).map((hint) => hint.trim());

test("an untouched exercise is not attempted, and the cells that need its answer wait", async () => {
  await start();
  expect(await state("double")).toMatchObject({ status: "not-attempted", hintCount: 2 });
  expect(await state("square")).toMatchObject({ status: "not-attempted" });
  expect(await progress()).toMatchObject({ total: 2, passed: 0, fraction: 0, complete: false });
  expect(await feedback(double.cellId).textContent()).toContain("Not attempted yet");
  expect(await text("after")).toContain("Waiting on doubled");
  expect(await page.locator(`[data-cell-id="${double.checkCellId}"]`).isHidden()).toBe(true);
});

test("an answer is checked as the student edits it: wrong, throwing, then right", async () => {
  await start();
  await edit(double.cellId, "const doubled = x.add(2);");
  expect(await state("double")).toMatchObject({
    status: "failed",
    message: "`doubled` has 2 of 3 values wrong: at [0] it is 3, expected 2",
  });
  expect(await feedback(double.cellId).getAttribute("data-status")).toBe("failed");
  await edit(double.cellId, "const doubled = x.nope();");
  expect(await state("double")).toMatchObject({ status: "error" });
  expect((await state("double"))?.message).toMatch(/^Your code threw TypeError: /);
  await edit(double.cellId, "const doubled = x.mul(2);");
  expect(await state("double")).toMatchObject({ status: "passed", message: "Correct!" });
  expect(await text("after")).toContain("12");
  expect(await progress()).toMatchObject({ passed: 1, passedUnaided: 1, fraction: 0.5 });
  expect(await page.evaluate(() => window.harness.reports())).toBeGreaterThan(3);
});

test("a function exercise is not attempted while its body still calls todo()", async () => {
  await start();
  await edit(square.cellId, "function square(t) {\n  return t.add(t);\n}");
  expect(await state("square")).toMatchObject({ status: "failed" });
  await edit(square.cellId, "function square(t) {\n  return t.square();\n}");
  expect(await state("square")).toMatchObject({ status: "passed" });
});

test("the Hint button reveals the hints one by one; Show solution fills in the cell", async () => {
  await start();
  const hintButton = feedback(double.cellId).getByRole("button", { name: /Hint/ });
  await hintButton.click();
  expect(await hints(double.cellId)).toEqual(["Multiply by 2."]);
  expect(await hintButton.textContent()).toBe("Hint (1 left)");
  await hintButton.click();
  expect(await feedback(double.cellId).locator("li").count()).toBe(2);
  expect(
    await feedback(double.cellId).getByRole("button", { name: "No more hints" }).isDisabled(),
  ).toBe(true);
  expect(await state("double")).toMatchObject({ hintsShown: 2 });

  await feedback(double.cellId).getByRole("button", { name: "Show solution" }).click();
  await idle();
  expect(await state("double")).toMatchObject({ status: "passed", solutionShown: true });
  expect(await feedback(double.cellId).textContent()).toContain("Correct! (solution shown)");
  expect(await text("after")).toContain("12");
  expect(await page.evaluate(() => window.harness.solutionsShown())).toEqual(["double"]);
  expect(await progress()).toMatchObject({ passed: 1, passedUnaided: 0 });
});

test("hint() in a cell reveals the next hint of the first exercise not passed", async () => {
  await start(
    undefined,
    `${LESSON}\n\n${fence("id=ask", "hint()")}\n\n${fence("id=ask-square", 'hint("square")')}`,
  );
  expect(await text("ask")).toContain("Hint 1 of 2 (exercise double): Multiply by 2.");
  expect(await text("ask-square")).toContain("Hint 1 of 1 (exercise square): t.mul(t)");
  await edit("ask-square", 'hint("square") ');
  expect(await text("ask-square")).toContain("No more hints for square");
  expect(await state("double")).toMatchObject({ hintsShown: 1 });
});

test("check() in a scratch cell says whether two values match", async () => {
  await start(
    undefined,
    `${LESSON}\n\n${fence("id=same", "check(x.mul(2), torch.tensor([2, 4, 6]))")}\n\n${fence("id=differ", "check(x, torch.tensor([[1, 2, 3]]))")}`,
  );
  expect(await text("same")).toBe("✓ They match.");
  expect(await text("differ")).toBe(
    "✗ Your answer has shape [3]; expected [1, 3] (the same values in another shape? see reshape)",
  );
});

test("saved progress brings back revealed hints and shown solutions", async () => {
  await start([
    { name: "double", hintsShown: 1, solutionShown: true },
    { name: "square", hintsShown: 5 },
  ]);
  expect(await state("double")).toMatchObject({ hintsShown: 1, solutionShown: true });
  expect(await state("square")).toMatchObject({ hintsShown: 1 });
  expect(await hints(double.cellId)).toEqual(["Multiply by 2."]);
});

test("a graded exercise is checked by the app's grader whenever its names change", async () => {
  const graded = [
    "---\ntitle: Graded\n---",
    fence("id=base", "const x = torch.tensor([1, 2, 3]);"),
    fence("id=double exercise=double graded", "const doubled = todo();"),
    fence("id=after", "doubled.sum()"),
  ].join("\n\n");
  await start(undefined, graded, true);
  expect(await state("double")).toMatchObject({ status: "not-attempted", hintCount: 0 });
  expect(await page.evaluate(() => window.harness.submissions())).toEqual([]);
  const solution = feedback("double").locator("button", { hasText: "Show solution" });
  expect(await solution.count()).toBe(1);
  expect(await solution.isHidden()).toBe(true);

  await edit("double", "const doubled = x.add(2);");
  expect(await state("double")).toMatchObject({
    status: "failed",
    message: "`doubled` is wrong (server)",
  });
  await edit("double", "const doubled = x.mul(2);");
  expect(await state("double")).toMatchObject({ status: "passed", message: "Correct (server)" });
  expect(await page.evaluate(() => window.harness.submissions())).toEqual([
    { exercise: "double", values: { doubled: [3, 4, 5] } },
    { exercise: "double", values: { doubled: [2, 4, 6] } },
  ]);
  expect(await feedback("double").textContent()).toContain("Correct (server)");
});
