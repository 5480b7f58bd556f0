/**
 * A class, end to end, in three browsers: the first account (the school's admin) makes a
 * colleague an instructor; the instructor creates a classroom and publishes a graded lesson
 * with a due date; a student joins with the code, solves an exercise (graded by the server),
 * saves a model from a notebook with their consent; the instructor sees the progress and
 * downloads the grades; the student's model loads in a new notebook and predicts the same.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./app-server";
import { type Browser, launchBrowser, screenshot } from "./chromium";
import {
  createNotebook,
  editorText,
  expectOutput,
  overlay,
  replaceCode,
  runFocusedCell,
  sandbox,
  waitForEditors,
} from "./notebook-page";

const PASSWORD = "correct horse battery";

describe("a classroom in Chromium", () => {
  let app: AppServer;
  const browsers: Browser[] = [];
  /** Every page's uncaught errors and console errors, checked at the end. */
  const errors = new Map<string, string[]>();

  beforeAll(async () => {
    app = await startAppServer();
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await app?.stop();
  });

  /** A new browser (its own cookies), signed up as `email`, on the page it was sent to. */
  async function person(email: string, name: string): Promise<Page> {
    const browser = await launchBrowser();
    browsers.push(browser);
    const { page, errors: pageErrors } = await browser.open();
    errors.set(email, pageErrors);
    await page.goto(`${app.url}/signup?next=/classrooms`);
    await page.getByLabel("Your name (optional)").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(`${app.url}/classrooms`);
    await expect.poll(() => page.getByRole("link", { name }).count()).toBe(1);
    return page;
  }

  /** The code cell whose editor holds `source`. */
  async function cellHolding(page: Page, source: string): Promise<string> {
    for (const cell of await page.locator('.cell-overlay[data-type="code"]').all()) {
      const id = (await cell.getAttribute("data-cell-id")) as string;
      if ((await editorText(page, id)).trim() === source) return id;
    }
    throw new Error(`no cell holds ${source}`);
  }

  it("runs a graded assignment from publishing to the grades CSV, and a saved model comes back", async () => {
    const admin = await person("head@school.test", "Head Teacher");
    const teacher = await person("rivera@school.test", "Ms Rivera");

    // The first account administers the site and makes the colleague an instructor.
    await admin.goto(`${app.url}/admin`);
    await admin.getByLabel("Role of rivera@school.test").selectOption("instructor");
    await expect
      .poll(() => admin.getByLabel("Role of rivera@school.test").isDisabled())
      .toBe(false);

    // The instructor creates a classroom and publishes the tensors lesson, graded, due tomorrow.
    await teacher.goto(`${app.url}/classrooms`);
    await teacher.getByLabel("Classroom name").fill("Period 3");
    await teacher.getByRole("button", { name: "Create classroom" }).click();
    await teacher.waitForURL(/\/classrooms\/[^/]+$/);
    const code = (await teacher.getByTestId("join-code").textContent())?.trim() ?? "";
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await teacher.getByLabel("Lesson or notebook").selectOption({ label: "Tensors" });
    const due = new Date(Date.now() + 86_400_000);
    const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000);
    await teacher.getByLabel("Due date").fill(local.toISOString().slice(0, 16));
    await teacher.getByLabel(/Graded \(answers checked/).check();
    await teacher.getByRole("button", { name: "Publish" }).click();
    // The reference solutions run in the instructor's browser; the server keeps their answers.
    await expect
      .poll(() => teacher.locator("output").textContent(), { timeout: 60_000 })
      .toMatch(/Published “Tensors”/);

    // A student joins with the code, typed the way people type codes, and starts the work.
    const student = await person("sam@school.test", "Sam");
    await student.getByLabel("Join code").fill(code.toLowerCase().replace("-", ""));
    await student.getByRole("button", { name: "Join" }).click();
    await student.waitForURL(/\/classrooms\/[^/]+$/);
    const assignment = student.locator('li[data-assignment="Tensors"]');
    await expect.poll(() => assignment.textContent()).toMatch(/Due/);
    await screenshot(student, "classroom-student");
    await assignment.getByRole("button", { name: "Start" }).click();
    await student.waitForURL(/\/n\/[^/]+$/);
    await waitForEditors(student);
    // The student's copy carries no solutions and no checks: nothing to read the answers from.
    const content = await student.evaluate(async (id) => {
      const input = encodeURIComponent(JSON.stringify({ id }));
      const response = await fetch(`/api/trpc/notebooks.get?input=${input}`);
      return ((await response.json()) as { result: { data: { content: string } } }).result.data
        .content;
    }, new URL(student.url()).pathname.split("/").pop());
    expect(content).not.toMatch(/```js (solution|check)=/);

    // A wrong answer first: the server's check says what is wrong.
    const grid = await cellHolding(student, "const grid = todo();");
    await replaceCode(student, grid, "const grid = torch.arange(12).reshape(4, 3);");
    await runFocusedCell(student);
    await expectOutput(student, grid, /has shape \[4, 3\]; expected \[3, 4\]/, 30_000);
    await replaceCode(student, grid, "const grid = torch.arange(12).reshape(3, 4);");
    await runFocusedCell(student);
    await expectOutput(student, grid, /Correct!/, 30_000);
    await screenshot(student, "classroom-student-graded");

    // The student saves a model from a notebook of their own, after saying yes to it.
    const training = await createNotebook(
      student,
      [
        "```js id=net",
        "torch.manual_seed(7);",
        "const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));",
        "```",
        "",
        "```js id=before",
        "(await net(torch.ones(1, 3)).item()).toFixed(6)",
        "```",
        "",
        "```js id=save",
        'const saved = await models.save("tiny-net", net, { metrics: { loss: 0.5 } });',
        "display(saved.version);",
        "```",
        "",
      ].join("\n"),
    );
    await student.goto(`${app.url}/n/${training}`);
    await waitForEditors(student);
    await expectOutput(student, "before", /^"-?\d+\.\d{6}"$/m, 30_000);
    const prediction = (await sandbox(student).locator('[data-cell-id="before"]').innerText())
      .trim()
      .split("\n")
      .pop();
    const consent = student.locator("dialog.model-consent");
    await expect.poll(() => consent.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await consent.textContent()).toMatch(/save the model “tiny-net”/);
    await screenshot(student, "model-consent");
    await consent.getByRole("button", { name: "Allow" }).click();
    await expectOutput(student, "save", /^1$/m, 30_000);
    await student.goto(`${app.url}/models`);
    const listed = student.locator(".model-card").filter({ hasText: "tiny-net" });
    await expect.poll(() => listed.textContent()).toMatch(/Sequential|Linear/);
    await screenshot(student, "models-page");

    // The instructor sees the progress and downloads the grades.
    await teacher.reload();
    const progress = teacher.locator('section[aria-label="Progress"]');
    await expect.poll(() => progress.textContent(), { timeout: 20_000 }).toMatch(/Sam[\s\S]*1\/3/);
    await screenshot(teacher, "classroom-progress");
    const csvUrl = await progress
      .getByRole("link", { name: "Download grades (CSV)" })
      .getAttribute("href");
    const csv = await teacher.evaluate(async (url) => (await fetch(url as string)).text(), csvUrl);
    const rows = csv.trim().split(/\r?\n/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^Sam,sam@school\.test,.*1\/3/);
    // The student can't read the grades.
    const [studentCookie] = await student.context().cookies();
    const refused = await fetch(`${app.url}${csvUrl}`, {
      headers: { cookie: `${studentCookie.name}=${studentCookie.value}` },
    });
    expect(refused.status).toBe(403);

    // The saved model loads in a new notebook and predicts the same.
    const using = await createNotebook(
      student,
      [
        "```js id=load",
        'const again = await models.load("tiny-net");',
        "```",
        "",
        "```js id=after",
        "(await again(torch.ones(1, 3)).item()).toFixed(6)",
        "```",
        "",
      ].join("\n"),
    );
    await student.goto(`${app.url}/n/${using}`);
    await waitForEditors(student);
    await expect.poll(() => overlay(student, "after").count()).toBe(1);
    await expectOutput(
      student,
      "after",
      new RegExp(`^${prediction?.replace(/[.-]/g, "\\$&")}$`, "m"),
      30_000,
    );
    for (const [email, logged] of errors) expect({ email, logged }).toEqual({ email, logged: [] });
  }, 300_000);
});

describe("a model over the server's limit, in Chromium", () => {
  let app: AppServer;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startAppServer({ env: { GRADBOOK_MAX_MODEL_MB: "1" } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("is refused with the limit at once, without asking to save it", async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${app.url}/`);
    const id = await createNotebook(
      page,
      // 600 × 600 weights: 1.4 MB of float32, over the 1 MB this server takes.
      '```js id=big\nawait models.save("big", new nn.Linear(600, 600));\n```\n',
    );
    await page.goto(`${app.url}/n/${id}`);
    await waitForEditors(page);
    await expectOutput(page, "big", /The model is 1\.4 MB; the limit is 1 MB\./, 30_000);
    expect(await page.locator("dialog.model-consent[open]").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
