/**
 * Rich outputs in headless Chromium: tensors, gradients, modules, plots, the loss curve and the
 * autograd graph, asserted on the DOM; and a screenshot of them all in test-output/ to look at.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Browser, launch, notebook } from "./browser/harness.js";

const SHOWCASE = notebook(
  "# Rich outputs\n\nThe mean squared error is $\\mathrm{MSE} = \\frac{1}{n}\\sum_i (y_i - \\hat y_i)^2$, and\n\n$$\\frac{\\partial L}{\\partial w} = \\frac{2}{n} X^\\top (Xw - y)$$",
  ["small", "torch.tensor([[1.5, -2, 3], [4, 0.25, -6]])"],
  ["big", "torch.manual_seed(0);\ndisplay(torch.randn([64, 48]));"],
  [
    "nan",
    "torch.tensor(Array.from({ length: 300 }, (_, i) => (i === 7 ? NaN : i === 9 ? Infinity : Math.sin(i / 10))))",
  ],
  [
    "grad",
    "const w = torch.tensor([[1, 2], [3, 4]], { requires_grad: true });\nconst loss = w.mul(w).sum();\nloss.backward();\ndisplay(w);",
  ],
  ["module", "new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2))"],
  ["plot", "Plot.plot({ height: 160, marks: [Plot.lineY([1, 3, 2, 5, 4]), Plot.ruleY([0])] })"],
  [
    "curve",
    "const curve = torch.viz.lossCurve({ height: 200 });\nfor (let step = 1; step <= 50; step++) {\n  curve.append({ step, train: 1 / step, val: step % 10 === 0 ? 1.2 / step : undefined });\n}\ndisplay(curve);",
  ],
  [
    "values",
    [
      "const a = torch.tensor(2.0, { requires_grad: true });",
      "const b = torch.tensor(-3.0, { requires_grad: true });",
      "const c = torch.tensor(10.0, { requires_grad: true });",
      "const f = torch.tensor(-2.0, { requires_grad: true });",
      "const L = a.mul(b).add(c).mul(f);",
      "L.backward();",
    ].join("\n"),
  ],
  ["graph", 'viz.graph(L, { names: { a, b, c, f }, name: "L" })'],
  ["object", '({ lr: 0.01, layers: [4, 8, 2], name: "mlp" })'],
  ["thrower", "const oops = 1;\nnull.field;"],
);

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await browser.open());
  await page.evaluate((text) => window.harness.start(text), SHOWCASE);
  await page.evaluate(() => window.harness.idle());
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll(".gb-tensor, .gb-graph")).every((view) =>
      view.hasAttribute("data-ready"),
    ),
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);

describe("tensor outputs", () => {
  test("a small tensor: header, a table of every value, and a heatmap", async () => {
    const header = await cell("small").locator(".gb-tensor-header").textContent();
    expect(header).toContain("[2, 3]");
    expect(header).toContain("float32");
    expect(header).toContain("js");
    const values = await cell("small").locator(".gb-tensor-table td").allTextContents();
    expect(values).toEqual(["1.5000", "-2.0000", "3.0000", "4.0000", "0.2500", "-6.0000"]);
    expect(await cell("small").locator("canvas.gb-heatmap-canvas").count()).toBe(1);
  });

  test("a large tensor is summarized with a histogram and a heatmap", async () => {
    const summary = await cell("big").locator(".gb-stats").textContent();
    for (const stat of ["min", "max", "mean", "std"]) expect(summary).toContain(stat);
    expect(await cell("big").locator(".gb-histogram rect").count()).toBe(30);
    expect(await cell("big").locator(".gb-tensor-table").count()).toBe(0);
    expect(await cell("big").locator("canvas.gb-heatmap-canvas").count()).toBe(1);
  });

  test("NaN and Inf are flagged", async () => {
    const flags = await cell("nan").locator(".gb-flag").allTextContents();
    expect(flags.join(" ")).toContain("1 NaN, 1 +Inf");
  });

  test("a tensor with a gradient shows it beside its value", async () => {
    expect(await cell("grad").locator(".gb-tensor-header").textContent()).toContain(
      "requires_grad",
    );
    const grad = await cell("grad").locator('[data-part="grad"] td').allTextContents();
    expect(grad).toEqual(["2.", "4.", "6.", "8."]);
  });
});

describe("other outputs", () => {
  test("a module prints as PyTorch prints it, with its parameters and their total", async () => {
    const repr = await cell("module").locator(".gb-module-repr").textContent();
    expect(repr).toBe(
      [
        "Sequential(",
        "  (0): Linear(in_features=4, out_features=8, bias=True)",
        "  (1): ReLU()",
        "  (2): Linear(in_features=8, out_features=2, bias=True)",
        ")",
      ].join("\n"),
    );
    expect(await cell("module").locator("summary").textContent()).toBe("58 parameters");
    expect(await cell("module").locator(".gb-params tbody tr").count()).toBe(4);
    expect(await cell("module").locator(".gb-param-name").allTextContents()).toEqual([
      "0.weight",
      "0.bias",
      "2.weight",
      "2.bias",
    ]);
  });

  test("a Plot renders as SVG", async () => {
    expect(await cell("plot").locator("svg path").count()).toBeGreaterThan(0);
  });

  test("the loss curve draws every point appended", async () => {
    await page.waitForFunction(() =>
      window.harness.cell("curve").querySelector('[data-points="50"]'),
    );
    expect(await cell("curve").locator(".gb-loss-latest").textContent()).toBe(
      "step 50 · train 0.02 · val 0.024",
    );
    expect(await cell("curve").locator("svg path").count()).toBeGreaterThan(0);
  });

  test("the autograd graph shows ops, and leaves with their value and gradient", async () => {
    const titles = await cell("graph")
      .locator(".gb-graph-node")
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-title")));
    expect(titles.sort()).toEqual(
      ["AddBackward0", "L", "MulBackward0", "MulBackward0", "a", "b", "c", "f"].sort(),
    );
    const leafA = await cell("graph").locator('.gb-graph-leaf[data-title="a"]').textContent();
    expect(leafA).toContain("data 2");
    expect(leafA).toContain("grad 6");
    expect(await cell("graph").locator(".gb-graph-edge").count()).toBe(7);
  });

  test("other values use Observable's inspector; errors show in their cell", async () => {
    expect(await cell("object").textContent()).toContain("layers");
    expect(await cell("thrower").locator('.gb-error[data-line="2"]').count()).toBe(1);
  });

  test("KaTeX renders math with its bundled fonts", async () => {
    expect(await page.locator(".gb-markdown-cell .katex-display").count()).toBe(1);
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check("16px KaTeX_Main");
    });
    expect(loaded).toBe(true);
  });

  test("a screenshot of the outputs", async () => {
    const folder = fileURLToPath(new URL("../test-output/", import.meta.url));
    mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: `${folder}notebook.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
