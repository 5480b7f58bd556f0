/**
 * What particular lessons must show beyond running without errors, checked in the page after
 * the lesson ran with its solutions.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";

const cellText = (page: Page, id: string) => page.evaluate((cell) => window.harness.text(cell), id);

/** The project reaches 95% on the validation digits, reads a drawing, and reloads its model. */
async function digitsProject(page: Page, output: string): Promise<void> {
  const training = await cellText(page, "training");
  const accuracy = Number(/Validation accuracy: ([\d.]+)%/.exec(training)?.[1]);
  const timing = /trained in ([\d.]+) s on the (\w+) backend/.exec(training);
  console.log(
    `digits project: ${accuracy}% validation accuracy, trained in ${timing?.[1]} s in Chromium on the ${timing?.[2]} backend`,
  );
  expect(accuracy).toBeGreaterThan(95);

  expect(await cellText(page, "save-load")).toContain(
    "same answer for every validation digit: true",
  );

  // Draw a 7 on the pad: a stroke across the top, then down to the bottom left.
  const pad = page.locator('[data-cell-id="drawing-pad"] canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error("the drawing pad is not on the page");
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  for (const [x, y] of [
    [0.5, 0.2],
    [0.75, 0.2],
    [0.6, 0.5],
    [0.45, 0.85],
  ] as const) {
    await page.mouse.move(...at(x, y), { steps: 8 });
  }
  await page.mouse.up();
  await page.waitForFunction(() => window.harness.text("drawn-prediction").includes("reads a"));
  console.log(
    `digits project: the model read the drawn 7 as ${/reads a (\d)/.exec(await cellText(page, "drawn-prediction"))?.[1]}`,
  );
  await page.evaluate(() => window.harness.idle());
  const drawing = page.locator('[data-cell-id="drawing-pad"], [data-cell-id="drawn-prediction"]');
  await drawing.first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${output}13-digits-project-drawing.png`, fullPage: false });
}

export const LESSON_EXPECTATIONS: Readonly<
  Record<string, (page: Page, output: string) => Promise<void>>
> = {
  "digits-project": digitsProject,
};
