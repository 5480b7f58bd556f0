import { describe, expect, test } from "vitest";
import {
  createNotebook,
  exportIpynb,
  IpynbError,
  importIpynb,
  type Notebook,
  parseNotebook,
  serializeNotebook,
  toIpynb,
} from "../src/index.js";

const contentOf = (notebook: Notebook) =>
  notebook.cells.map(({ id, type, source, attrs }) => ({ id, type, source, attrs }));

const lesson = parseNotebook(
  '---\ntitle: Gradients\ntags: [autograd]\nlevel: 2\n---\n\n# Gradients\n\n$$\n\\frac{dy}{dx}\n$$\n\n```js id=setup hidden\nconst x = torch.tensor([1, 2], { requires_grad: true })\n```\n\n```js exercise check="grad is 2x"\nconst y = x.pow(2).sum()\nawait y.backward()\n```\n\n```js\n\n```\n',
);

describe("export", () => {
  const ipynb = toIpynb(lesson);

  test("writes nbformat 4.5 for a JavaScript kernel", () => {
    expect(ipynb.nbformat).toBe(4);
    expect(ipynb.nbformat_minor).toBe(5);
    expect(ipynb.metadata.kernelspec).toEqual({
      display_name: "JavaScript",
      language: "javascript",
      name: "javascript",
    });
    expect(ipynb.metadata.title).toBe("Gradients");
  });

  test("cells have valid unique ids, list sources and empty outputs", () => {
    const ids = ipynb.cells.map((cell) => cell.id);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const code = ipynb.cells[2];
    expect(code).toEqual({
      cell_type: "code",
      execution_count: null,
      id: expect.stringMatching(/^js-[0-9a-z]+$/),
      metadata: { gradbook: { attrs: { exercise: true, check: "grad is 2x" } } },
      outputs: [],
      source: ["const y = x.pow(2).sum()\n", "await y.backward()"],
    });
    expect(ipynb.cells[1].metadata).toEqual({
      jupyter: { source_hidden: true },
      gradbook: { attrs: { id: "setup", hidden: true } },
    });
    expect(ipynb.cells[0]).toMatchObject({ cell_type: "markdown", metadata: {} });
    expect(ipynb.cells[0]).not.toHaveProperty("outputs");
  });

  test("ids are made valid and unique", () => {
    const notebook = createNotebook({
      cells: [
        { source: "a", attrs: { id: "train loop" } },
        { source: "b", attrs: { id: "train-loop" } },
      ],
    });
    expect(toIpynb(notebook).cells.map((cell) => cell.id)).toEqual(["train-loop", "train-loop-2"]);
  });

  test("is JSON formatted as Jupyter writes it", () => {
    const text = exportIpynb(lesson);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n "nbformat": 4,');
  });
});

describe("import", () => {
  test("import(export(notebook)) keeps the cells, their ids and the front matter", () => {
    const { notebook, warnings } = importIpynb(exportIpynb(lesson));
    expect(warnings).toEqual([]);
    expect(contentOf(notebook)).toEqual(contentOf(lesson));
    expect(notebook.frontMatter).toEqual(lesson.frontMatter);
    expect(serializeNotebook(notebook)).toBe(
      serializeNotebook(createNotebook({ frontMatter: lesson.frontMatter, cells: lesson.cells })),
    );
  });

  test("a Jupyter notebook from elsewhere", () => {
    const { notebook, warnings } = importIpynb(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 2,
        metadata: {
          title: "From Jupyter",
          kernelspec: { name: "javascript", language: "javascript" },
        },
        cells: [
          { cell_type: "markdown", metadata: {}, source: ["# Title\n", "\n", "Text"] },
          {
            cell_type: "code",
            metadata: { jupyter: { source_hidden: true } },
            execution_count: 3,
            outputs: [{ output_type: "stream", text: "hi" }],
            source: "const a = 1\r\n",
          },
          { cell_type: "raw", metadata: {}, source: "\\LaTeX" },
          { cell_type: "markdown", metadata: {}, source: "" },
        ],
      }),
    );
    expect(notebook.frontMatter).toEqual({ title: "From Jupyter" });
    expect(notebook.cells.map(({ type, source, attrs }) => ({ type, source, attrs }))).toEqual([
      { type: "markdown", source: "# Title\n\nText", attrs: {} },
      { type: "code", source: "const a = 1\n", attrs: { hidden: true } },
      { type: "markdown", source: "\\LaTeX", attrs: {} },
    ]);
    expect(warnings).toEqual([{ cell: 3, message: "raw cell imported as Markdown" }]);
  });

  test("code in another language is kept as a fenced block in the prose", () => {
    const { notebook, warnings } = importIpynb(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "python3", language: "python" } },
        cells: [
          {
            cell_type: "code",
            id: "a",
            metadata: {},
            outputs: [],
            source: ["import torch\n", "x = torch.ones(3)"],
          },
        ],
      }),
    );
    expect(notebook.cells).toHaveLength(1);
    expect(notebook.cells[0]).toMatchObject({
      type: "markdown",
      source: "```python\nimport torch\nx = torch.ones(3)\n```",
    });
    expect(warnings[0]).toMatchObject({
      cell: 1,
      message: expect.stringMatching(/python code is kept/),
    });
    const reread = parseNotebook(serializeNotebook(notebook));
    expect(reread.cells.map((cell) => cell.type)).toEqual(["markdown"]);
  });

  const errors: [string, string, RegExp][] = [
    ["invalid JSON", "{ not json", /invalid JSON/],
    ["not an object", "[1, 2]", /expected a JSON object with "cells" and "nbformat"/],
    ["no cells", '{"nbformat": 4}', /expected a JSON object/],
    ["nbformat 3", '{"nbformat": 3, "cells": []}', /nbformat 3 is not supported/],
    ["bad cell", '{"nbformat": 4, "cells": [1]}', /cell 1 is not an object/],
    [
      "bad source",
      '{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}',
      /cell 1: "source" must be/,
    ],
    [
      "unknown cell type",
      '{"nbformat": 4, "cells": [{"cell_type": "widget", "source": ""}]}',
      /unknown cell_type "widget"/,
    ],
  ];
  for (const [name, text, message] of errors) {
    test(`error: ${name}`, () => {
      expect(() => importIpynb(text)).toThrow(IpynbError);
      expect(() => importIpynb(text)).toThrow(message);
    });
  }
});
