/**
 * Every lesson in headless Chromium: it runs top to bottom without an error with its
 * solutions, every check passes the solution and explains a wrong answer, and an untouched
 * lesson shows its exercises as not attempted. Screenshots of each lesson's key visual land in
 * test-output/ (gitignored), to be looked at.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { readLessons } from "../scripts/embed.mjs";
import { prepareLesson } from "../src/index.js";
import { type Browser, launch } from "./browser/harness.js";
import { LESSON_EXPECTATIONS } from "./lesson-expectations.js";
import { WRONG_ANSWERS } from "./wrong-answers.js";

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));
const TEMPLATE = {
  slug: "template",
  order: 99,
  markdown: readFileSync(fileURLToPath(new URL("../templates/lesson.md", import.meta.url)), "utf8"),
};

let browser: Browser;
let opened: Page | null = null;
let errors: string[] = [];

/** Opens a fresh page with the harness. */
async function openPage(): Promise<void> {
  const fresh = await browser.open();
  opened = fresh.page;
  errors = fresh.errors;
}

function page(): Page {
  if (!opened) throw new Error("no page is open");
  return opened;
}

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  // Nothing a lesson does may leave an uncaught error or unhandled rejection in the page.
  expect(errors).toEqual([]);
  await opened?.close();
  opened = null;
  errors = [];
});

const idle = () => page().evaluate(() => window.harness.idle());
const progress = () => page().evaluate(() => window.harness.progress());
const failures = () => page().evaluate(() => window.harness.failures());
const exerciseState = async (name: string) =>
  (await progress())?.exercises.find((exercise) => exercise.name === name);
const setCell = (id: string, source: string) =>
  page().evaluate(
    ([cell, code]) => window.harness.session().runtime.updateCell(cell, code),
    [id, source],
  );

describe.each([...readLessons(), TEMPLATE])("lesson $order: $slug", (lesson) => {
  const { exercises } = prepareLesson(lesson.markdown);
  const wrong = WRONG_ANSWERS[lesson.slug] ?? {};

  test("has a wrong answer to test for every exercise", () => {
    expect(Object.keys(wrong).sort()).toEqual(exercises.map((exercise) => exercise.name).sort());
  });

  test("runs top to bottom with its solutions; checks pass them and explain wrong answers", async () => {
    await openPage();
    const started = performance.now();
    await page().evaluate(
      (text) => window.harness.start(text, { solutions: true }),
      lesson.markdown,
    );
    await idle();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`lesson ${lesson.order} (${lesson.slug}) ran in ${seconds} s`);
    expect(await failures()).toEqual([]);
    for (const exercise of exercises) {
      expect(await exerciseState(exercise.name)).toMatchObject({ status: "passed" });
    }
    const visual = lesson.markdown.match(/^visual: (\S+)$/m)?.[1];
    expect(visual, "the front matter names the key visual's cell").toBeDefined();
    const cell = page().locator(`[data-cell-id="${visual}"]`);
    await cell.scrollIntoViewIfNeeded();
    await cell.screenshot({
      path: `${OUTPUT}${String(lesson.order).padStart(2, "0")}-${lesson.slug}.png`,
    });

    await LESSON_EXPECTATIONS[lesson.slug]?.(page(), OUTPUT);

    for (const exercise of exercises) {
      const answer = wrong[exercise.name];
      await setCell(exercise.cellId, answer.source);
      await idle();
      const state = await exerciseState(exercise.name);
      expect(state?.status, state?.message).toMatch(/failed|error/);
      expect(state?.message).toMatch(answer.message);
      await setCell(exercise.cellId, exercise.solution);
      await idle();
      expect(await exerciseState(exercise.name)).toMatchObject({ status: "passed" });
    }
  });

  test("untouched, its exercises are not attempted; Show solution makes them pass", async () => {
    await openPage();
    await page().evaluate((text) => window.harness.start(text), lesson.markdown);
    await idle();
    // An exercise whose check needs an earlier exercise's answer waits for it.
    for (const exercise of exercises) {
      expect((await exerciseState(exercise.name))?.status).toMatch(/not-attempted|blocked/);
    }
    expect(await exerciseState(exercises[0].name)).toMatchObject({ status: "not-attempted" });
    for (const failure of await failures()) {
      if (failure.status === "error") expect(failure.error?.name).toBe("NotAttempted");
    }
    await page().evaluate(() => {
      for (const exercise of window.harness.session().exercises) {
        window.harness.session().showSolution(exercise.name);
      }
    });
    await idle();
    expect(await failures()).toEqual([]);
    expect(await progress()).toMatchObject({ passed: exercises.length, complete: true });
  });
});
