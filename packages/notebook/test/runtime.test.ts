/**
 * The reactive runtime in headless Chromium: what re-runs after an edit, where errors show,
 * how long-running cells stop, and that bad input breaks nothing else.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { CellStatus } from "../src/browser.js";
import { type Browser, launch, notebook } from "./browser/harness.js";

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  // Nothing a test does may leave an uncaught error or unhandled rejection in the page.
  expect(errors).toEqual([]);
  await page?.close();
});

async function start(source: string): Promise<string | null> {
  ({ page, errors } = await browser.open());
  return page.evaluate((text) => window.harness.start(text), source);
}

const idle = () => page.evaluate(() => window.harness.idle());
const runs = () => page.evaluate(() => ({ ...window.harness.runs }));
const text = (id: string) => page.evaluate((cell) => window.harness.text(cell), id);
const status = (id: string) => page.evaluate((cell) => window.harness.status(cell), id);
const lastEvent = (id: string) => page.evaluate((cell) => window.harness.lastEvent(cell), id);
const update = (id: string, source: string) =>
  page.evaluate(([cell, code]) => window.harness.runtime().updateCell(cell, code), [id, source]);
const waitFor = (id: string, wanted: CellStatus) =>
  page.waitForFunction(([cell, s]) => window.harness.status(cell) === s, [id, wanted] as const);
const global = (name: string) =>
  page.evaluate((key) => (globalThis as unknown as Record<string, unknown>)[key], name);

describe("reactivity", () => {
  test("an edit re-runs the cell and its dependants, and nothing else", async () => {
    await start(
      notebook(
        "# Chain",
        ["a", "const a = 1"],
        ["b", "const b = a + 1"],
        ["c", "const c = b * 10"],
        ["d", "const d = 5"],
        ["e", "c + d"],
        ["f", "d * 2"],
      ),
    );
    await idle();
    expect(await runs()).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 });
    expect(await text("e")).toContain("25");

    await update("a", "const a = 2");
    await idle();
    expect(await runs()).toEqual({ a: 2, b: 2, c: 2, d: 1, e: 2, f: 1 });
    expect(await text("e")).toContain("35");
    expect(await text("f")).toContain("10");

    await update("d", "const d = 6");
    await idle();
    expect(await runs()).toEqual({ a: 2, b: 2, c: 2, d: 2, e: 3, f: 2 });
  });

  test("display() shows values; an expression shows its value; a statement shows nothing", async () => {
    await start(
      notebook(
        ["shown", 'display("first"); display([1, 2, 3]); const z = 1;'],
        ["quiet", "const q = 42;"],
        ["expr", "({ answer: q })"],
      ),
    );
    await idle();
    expect(await text("shown")).toContain("first");
    expect(await page.locator('[data-cell-id="shown"] .gb-displays > *').count()).toBe(2);
    expect(await text("quiet")).toBe("");
    expect(await text("expr")).toContain("answer");
  });

  test("view() binds an input: moving it re-runs the cells that read its value", async () => {
    await start(
      notebook(
        ["input", 'const n = view(Inputs.range([0, 10], { value: 3, step: 1, label: "n" }))'],
        ["double", "n * 2"],
      ),
    );
    await idle();
    expect(await text("double")).toContain("6");
    await page.evaluate(() => {
      const input = window.harness
        .cell("input")
        .querySelector<HTMLInputElement>("input[type=number]")!;
      input.value = "7";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await page.waitForFunction(() => window.harness.text("double").includes("14"));
    expect((await runs()).input).toBe(1);
  });

  test("markdown cells render with KaTeX math", async () => {
    await start(notebook("Energy: $E = mc^2$ and\n\n$$\\sum_i x_i^2$$", ["x", "1 + 1"]));
    await idle();
    expect(await page.locator(".gb-markdown-cell .katex").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(".gb-markdown-cell .katex-display").count()).toBe(1);
  });
});

describe("errors", () => {
  test("an error stays in its cell, with the line; dependants show they are blocked", async () => {
    await start(
      notebook(
        ["ok", "const base = 2"],
        ["bad", "const x = base;\nconst y = x.foo.bar;"],
        ["dependant", "const z = y + 1"],
        ["transitive", "z * 2"],
        ["other", "base * 21"],
      ),
    );
    await idle();
    expect(await status("bad")).toBe("error");
    expect(await lastEvent("bad")).toMatchObject({ error: { name: "TypeError", line: 2 } });
    expect(await page.locator('[data-cell-id="bad"] .gb-error[data-line="2"]').count()).toBe(1);
    expect(await status("dependant")).toBe("blocked");
    expect(await lastEvent("dependant")).toMatchObject({ waitingOn: ["y"] });
    expect(await text("dependant")).toContain("Waiting on y");
    expect(await status("transitive")).toBe("blocked");
    expect(await status("other")).toBe("done");
    expect(await text("other")).toContain("42");

    await update("bad", "const x = base;\nconst y = x * 3;");
    await idle();
    expect(await status("dependant")).toBe("done");
    expect(await text("transitive")).toContain("14");
    expect(await text("bad")).toBe("");
  });

  test("an error after an await, or inside a function, shows the line that threw", async () => {
    await start(
      notebook(
        ["later", "await tick();\nconst v = 1;\nnull.field;"],
        ["inner", 'function fail() {\n  throw new RangeError("too far");\n}\nfail();'],
      ),
    );
    await idle();
    expect(await lastEvent("later")).toMatchObject({ error: { name: "TypeError", line: 3 } });
    expect(await lastEvent("inner")).toMatchObject({
      error: { name: "RangeError", message: "too far", line: 2 },
    });
  });

  test("a syntax error points at its line and leaves the other cells working", async () => {
    await start(
      notebook(["a", "const a = 1"], ["broken", "const b = a;\nconst c = ;"], ["d", "a + 1"]),
    );
    await idle();
    expect(await lastEvent("broken")).toMatchObject({
      status: "error",
      error: { name: "SyntaxError", line: 2 },
    });
    expect(await text("broken")).toContain("line 2");
    expect(await text("d")).toContain("2");
  });

  test("a cell that breaks keeps its names, so its readers show as blocked, not undefined", async () => {
    await start(notebook(["a", "const a = 1"], ["b", "a + 1"]));
    await idle();
    await update("a", "const a = ;");
    await idle();
    expect(await status("b")).toBe("blocked");
    await update("a", "const a = 5");
    await idle();
    expect(await text("b")).toContain("6");
  });

  test("a name defined twice is an error on both cells, naming it; readers are blocked", async () => {
    await start(
      notebook(["one", "const k = 1"], ["two", "const k = 2"], ["reader", "k + 1"], ["free", "3"]),
    );
    await idle();
    for (const id of ["one", "two"]) {
      expect(await status(id)).toBe("error");
      expect(await text(id)).toContain('"k" is defined in more than one cell');
    }
    expect(await status("reader")).toBe("blocked");
    expect(await status("free")).toBe("done");
    await update("two", "const k2 = 2");
    await idle();
    expect(await status("one")).toBe("done");
    expect(await text("reader")).toContain("2");
  });

  test("circular definitions are an error on every cell in the circle", async () => {
    await start(
      notebook(["m", "const m = n + 1"], ["n", "const n = m + 1"], ["outside", "const o = 1"]),
    );
    await idle();
    for (const id of ["m", "n"]) {
      expect(await status(id)).toBe("error");
      expect(await text(id)).toContain('circular definition: "m", "n"');
    }
    expect(await status("outside")).toBe("done");
  });

  test("an undefined name is an error in the cell that reads it", async () => {
    await start(notebook(["typo", "const y = undefinedThing + 1"]));
    await idle();
    expect(await lastEvent("typo")).toMatchObject({
      status: "error",
      error: { message: "undefinedThing is not defined" },
    });
  });

  test("a malformed notebook gives a clear message, and the page still works", async () => {
    const error = await start("---\ntitle: [unclosed\n---\n\n```js\n1\n```\n");
    expect(error).toMatch(/line \d+/);
    expect(await page.locator(".gb-load-error").textContent()).toContain("could not be read");
    const again = await page.evaluate(() => window.harness.start("```js id=fine\n6 * 7\n```"));
    expect(again).toBeNull();
    await idle();
    expect(await text("fine")).toContain("42");
  });
});

describe("lifecycle", () => {
  test("a generator training cell updates its output as it goes and stops when edited", async () => {
    await start(
      notebook(
        ["model", "torch.manual_seed(0);\nconst model = new nn.Linear(1, 1);"],
        [
          "train",
          [
            "const x = torch.tensor([[1], [2], [3], [4]]);",
            "const y = x.mul(2).add(1);",
            "const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 });",
            "for (let epoch = 1; ; epoch++) {",
            "  optimizer.zero_grad();",
            "  const loss = F.mse_loss(model(x), y);",
            "  loss.backward();",
            "  optimizer.step();",
            "  globalThis.epochs = epoch;",
            '  yield "epoch " + epoch + ": loss " + (await loss.item()).toFixed(4);',
            "}",
          ].join("\n"),
        ],
      ),
    );
    const seen = new Set<string>();
    while (seen.size < 5) {
      await page.waitForFunction(() => window.harness.text("train").includes("epoch"));
      seen.add(await text("train"));
    }
    expect(await status("train")).toBe("running");

    await update("train", "const stopped = true");
    await waitFor("train", "done");
    const epochs = await global("epochs");
    await page.waitForTimeout(300);
    expect(await global("epochs")).toBe(epochs);
    expect(await text("train")).toBe("");
  });

  test("editing a cell aborts its signal and resolves its invalidation", async () => {
    await start(
      notebook([
        "watch",
        "signal.addEventListener('abort', () => { globalThis.aborted = signal.reason.name });\ninvalidation.then(() => { globalThis.invalidated = true });\nconst w = 1;",
      ]),
    );
    await idle();
    await update("watch", "const w = 2");
    await idle();
    expect(await global("aborted")).toBe("Interrupted");
    expect(await global("invalidated")).toBe(true);
  });

  test("interrupt() stops an endless loop that awaits tick(), and its readers are blocked", async () => {
    await start(
      notebook(
        [
          "loop",
          "let spins = 0;\nwhile (true) {\n  globalThis.spins = ++spins;\n  await tick();\n}",
        ],
        ["reader", "spins"],
        ["independent", "1 + 2"],
      ),
    );
    await page.waitForFunction(
      () => ((globalThis as unknown as { spins?: number }).spins ?? 0) > 3,
    );
    expect(await status("loop")).toBe("running");
    await page.evaluate(() => window.harness.runtime().interrupt());
    await waitFor("loop", "error");
    expect(await lastEvent("loop")).toMatchObject({ error: { name: "Interrupted" } });
    const spins = await global("spins");
    await page.waitForTimeout(200);
    expect(await global("spins")).toBe(spins);
    expect(await status("reader")).toBe("blocked");
    expect(await status("independent")).toBe("done");
  });

  test("interrupt() also stops loops that await requestAnimationFrame or setTimeout", async () => {
    await start(
      notebook(
        [
          "frames",
          "for (;;) { globalThis.frameLoops = (globalThis.frameLoops ?? 0) + 1; await new Promise(requestAnimationFrame); }",
        ],
        [
          "timers",
          "for (;;) { globalThis.timerLoops = (globalThis.timerLoops ?? 0) + 1; await new Promise((r) => setTimeout(r, 5)); }",
        ],
      ),
    );
    await page.waitForFunction(() => {
      const g = globalThis as unknown as { frameLoops?: number; timerLoops?: number };
      return (g.frameLoops ?? 0) > 3 && (g.timerLoops ?? 0) > 3;
    });
    await page.evaluate(() => window.harness.runtime().interrupt());
    await waitFor("frames", "error");
    await waitFor("timers", "error");
    const counts = [await global("frameLoops"), await global("timerLoops")];
    await page.waitForTimeout(200);
    expect([await global("frameLoops"), await global("timerLoops")]).toEqual(counts);
  });

  test("interrupt() stops a training loop that awaits only tensor readbacks", async () => {
    await start(
      notebook([
        "train",
        "const w = torch.randn(8, { requires_grad: true });\nfor (;;) {\n  const loss = w.square().sum();\n  loss.backward();\n  globalThis.steps = (globalThis.steps ?? 0) + 1;\n  await loss.item();\n}",
      ]),
    );
    await page.waitForFunction(
      () => ((globalThis as unknown as { steps?: number }).steps ?? 0) > 3,
    );
    await page.evaluate(() => window.harness.runtime().interrupt());
    await waitFor("train", "error");
    const steps = await global("steps");
    await page.waitForTimeout(200);
    expect(await global("steps")).toBe(steps);
  });

  test("restart() disposes the runtime and runs everything fresh", async () => {
    await start(notebook(["a", "const a = Math.random()"], ["b", "a"]));
    await idle();
    const before = await text("b");
    await page.evaluate(() => window.harness.runtime().restart());
    await idle();
    expect(await runs()).toEqual({ a: 2, b: 2 });
    expect(await text("b")).not.toBe(before);
  });

  test("deleting a cell stops it and its readers report the name undefined", async () => {
    await start(
      notebook(
        ["ticker", "let count = 0;\nfor (;;) { globalThis.ticks = ++count; await tick(); }"],
        ["source", "const s = 1"],
        ["reader", "s + 1"],
      ),
    );
    await page.waitForFunction(
      () => ((globalThis as unknown as { ticks?: number }).ticks ?? 0) > 2,
    );
    await page.evaluate(() => {
      window.harness.runtime().deleteCell("ticker");
      window.harness.runtime().deleteCell("source");
    });
    await idle();
    const ticks = await global("ticks");
    await page.waitForTimeout(200);
    expect(await global("ticks")).toBe(ticks);
    expect(await page.locator('[data-cell-id="ticker"]').count()).toBe(0);
    expect(await lastEvent("reader")).toMatchObject({
      status: "error",
      error: { message: "s is not defined" },
    });
  });

  test("inserted cells join the graph", async () => {
    await start(notebook(["reader", "late * 2"]));
    await idle();
    expect(await status("reader")).toBe("error");
    await page.evaluate(() =>
      window.harness
        .runtime()
        .insertCell({ id: "late", type: "code", source: "const late = 21" }, 0),
    );
    await idle();
    expect(await text("reader")).toContain("42");
  });
});

test("a screenshot of errors, blocked cells and waits", async () => {
  await start(
    notebook(
      "## When things go wrong",
      ["ok", "const base = 2"],
      ["bad", "const x = base;\nconst y = x.foo.bar;"],
      ["dependant", "const z = y + 1"],
      ["one", "const k = 1"],
      ["two", "const k = 2"],
      ["syntax", "const s = 1;\nconst t = ;"],
      ["slow", "await sleep(60_000);\nconst slowValue = 1;"],
      ["waiter", "slowValue + 1"],
    ),
  );
  await page.waitForFunction(() => window.harness.status("dependant") === "blocked");
  await page.waitForTimeout(1000);
  expect(await text("waiter")).toContain("Waiting on slowValue");
  const folder = fileURLToPath(new URL("../test-output/", import.meta.url));
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: `${folder}errors.png`, fullPage: true });
});
