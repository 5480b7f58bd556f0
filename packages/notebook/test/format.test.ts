import { describe, expect, test } from "vitest";
import {
  createNotebook,
  deleteCell,
  insertCell,
  moveCell,
  NotebookParseError,
  parseAttrs,
  parseNotebook,
  serializeNotebook,
  setFrontMatter,
  updateCell,
} from "../src/index.js";

/** YAML whose aliases expand to 10^12 values. */
function aliasBomb(): string {
  let yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 12; i++)
    yaml += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(", ")}]\n`;
  return yaml;
}

const roundTrip = (text: string) => serializeNotebook(parseNotebook(text));
const summary = (text: string) =>
  parseNotebook(text).cells.map(({ type, source, attrs }) => ({ type, source, attrs }));

describe("round trip", () => {
  const cases: Record<string, string> = {
    empty: "",
    "only a newline": "\n",
    "only blank lines": "\n  \n\t\n",
    "prose only": "# Title\n\nSome *prose*.\n",
    "no trailing newline": "# Title\n\n```js\nx\n```",
    "no trailing newline after prose": "```js\nx\n```\nlast line",
    "front matter only": "---\ntitle: T\n---\n",
    "front matter only, no newline": "---\ntitle: T\n---",
    "empty front matter": "---\n---\nbody\n",
    "front matter with comments and dots":
      "---\n# a comment\ntitle:   'Spaced'   # keep\ntags: [a, b]\n...\n\nText\n",
    "CRLF line endings":
      "---\r\ntitle: T\r\n---\r\n\r\nProse\r\n\r\n```js id=a\r\nconst x = 1\r\n```\r\n",
    "mixed line endings": "a\r\nb\n\n```js\r\nx\n```\r\n\n",
    "byte order mark": "\uFEFF---\ntitle: T\n---\nText\n",
    "empty cell": "```js\n```\n",
    "cell with one blank line": "```js\n\n```\n",
    "cell with blank lines around": "```js\n\n\nx\n\n```\n",
    "adjacent cells": "```js\na\n```\n```js\nb\n```\n",
    "many blank lines between": "Text\n\n\n\n```js\na\n```\n\n\n\nMore\n\n\n",
    "whitespace-only lines": "Text\n   \n\t\n```js\na\n```\n  ",
    math: "Loss:\n\n$$\nL = \\frac{1}{n}\\sum_i (y_i - \\hat y_i)^2\n$$\n\nand $x^2$ inline.\n",
    "nested fence": "````js\nconst md = `\n```js\ninner\n```\n`\n````\n",
    "tilde fence": '~~~js\nconst s = "```"\n~~~\n',
    "tilde fence holding backticks": "~~~~markdown\n```js\nnot a cell\n```\n~~~~\n",
    "python block stays prose":
      "Compare:\n\n```python\nx = torch.ones(3)\n```\n\n```js\nconst x = torch.ones([3])\n```\n",
    "indented fence stays prose": "- item\n\n  ```js\n  not a cell\n  ```\n",
    "four-space indent is not a fence": "    ```js\n    code\n",
    attributes:
      '```js id=train-loop exercise check="loss below" hidden collapsed solution\nx\n```\n',
    "javascript language": "```javascript id=a\nx\n```\n",
    "longer closing fence": "```js\nx\n`````\n",
    "closing fence with spaces": "```js\nx\n  ```   \n",
    "unclosed js fence": "Text\n\n```js\nconst x = 1\n\n",
    "unclosed python fence": "```python\nprint(1)\n```js\nx\n",
    "unclosed front matter": "---\ntitle: x\n\nText\n",
    "html comment hides a cell": "<!--\n```js\nold\n```\n-->\n\n```js\nnew\n```\n",
    "unclosed html comment": "<!-- todo\n```js\nx\n```\n",
    "backtick in info string is not a fence": "``` js `x`\nstill prose\n",
    "fence with no language": "```\nplain\n```\n",
    "thematic breaks": "Text\n\n---\n\nMore\n\n***\n",
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      expect(roundTrip(text)).toBe(text);
    });
  }
});

describe("parse", () => {
  test("splits prose and code cells and trims blank lines around prose", () => {
    const text =
      "---\ntitle: Intro\ndescription: First steps\ntags: [tensors, basics]\nlevel: 1\n---\n\n# Tensors\n\nA tensor.\n\n```js id=make\nconst t = torch.ones([2, 2])\n```\n\nNext.\n";
    const notebook = parseNotebook(text);
    expect(notebook.frontMatter).toEqual({
      title: "Intro",
      description: "First steps",
      tags: ["tensors", "basics"],
      level: 1,
    });
    expect(summary(text)).toEqual([
      { type: "markdown", source: "# Tensors\n\nA tensor.", attrs: {} },
      { type: "code", source: "const t = torch.ones([2, 2])", attrs: { id: "make" } },
      { type: "markdown", source: "Next.", attrs: {} },
    ]);
    expect(notebook.cells[1].id).toBe("make");
    expect(notebook.warnings).toEqual([]);
  });

  test("normalizes CRLF in sources", () => {
    expect(summary("A\r\nB\r\n\r\n```js\r\nx\r\ny\r\n```\r\n").map((c) => c.source)).toEqual([
      "A\nB",
      "x\ny",
    ]);
  });

  test("non-js fences, indented fences and commented-out cells are prose", () => {
    const cells = summary(
      "```python\nx = 1\n```\n\n  ```js\n  y\n  ```\n\n<!--\n```js\nz\n```\n-->\n\n````md\n```js\nw\n```\n````\n",
    );
    expect(cells).toHaveLength(1);
    expect(cells[0].type).toBe("markdown");
  });

  test("an inner fence is part of the cell's source", () => {
    expect(summary("````js\na\n```\nb\n```\n````\n")).toEqual([
      { type: "code", source: "a\n```\nb\n```", attrs: {} },
    ]);
  });

  test("empty cells", () => {
    expect(summary("```js\n```\n\n```js\n\n```\n").map((c) => c.source)).toEqual(["", ""]);
  });

  test("an unclosed code fence runs to the end of the file, with a warning", () => {
    const notebook = parseNotebook("Intro\n\n```js\nconst a = 1\n\nmore code\n");
    expect(notebook.cells.map((c) => c.source)).toEqual(["Intro", "const a = 1\n\nmore code"]);
    expect(notebook.warnings).toEqual([
      { line: 3, message: expect.stringContaining("never closed") },
    ]);
  });

  test("front matter keeps to plain YAML values", () => {
    const notebook = parseNotebook("---\nbinary: !!binary aGk=\ndate: 2001-01-01\n---\n");
    expect(notebook.frontMatter).toEqual({ binary: "aGk=", date: "2001-01-01" });
    expect(notebook.warnings).toEqual([{ line: 2, message: expect.stringContaining("binary") }]);
  });

  test("an unclosed --- is a thematic break, with a warning", () => {
    const notebook = parseNotebook("---\ntitle: x\n");
    expect(notebook.frontMatter).toEqual({});
    expect(notebook.cells.map((c) => c.source)).toEqual(["---\ntitle: x"]);
    expect(notebook.warnings[0].line).toBe(1);
  });

  const errorCases: [string, string, number, RegExp][] = [
    [
      "invalid YAML",
      "---\ntitle: x\nbad: b: c\n---\n",
      3,
      /invalid YAML front matter: Nested mappings/,
    ],
    ["YAML that is not a mapping", "---\n- a\n- b\n---\n", 2, /must be a YAML mapping/],
    ["duplicate YAML key", "---\ntitle: a\ntitle: b\n---\n", 3, /invalid YAML/],
    ["non-string title", "---\ndescription: d\ntitle: [1]\n---\n", 3, /"title" must be a string/],
    ["tags not a list", "---\ntags: 3\n---\n", 2, /"tags" must be a list of strings/],
    ["YAML alias bomb", `---\n${aliasBomb()}---\n`, 2, /Excessive alias count/],
    ["unclosed quote", 'Text\n\n```js check="a b\nx\n```\n', 3, /unclosed "/],
    ["value missing", "```js id=\nx\n```\n", 1, /needs a value/],
    ["bad name", "Text\n```js =x\n```\n", 2, /expected an attribute name/],
    ["junk after a quoted value", '```js a="b"c\n```\n', 1, /unexpected "c"/],
    ["duplicate attribute", "```js hidden hidden\n```\n", 1, /given twice/],
    ["id without a value", "```js id\n```\n", 1, /"id" attribute needs a value/],
    [
      "duplicate ids",
      "```js id=a\n```\n\n```js id=a\n```\n",
      4,
      /duplicate cell id "a" \(also on line 1\)/,
    ],
  ];
  for (const [name, text, line, message] of errorCases) {
    test(`error: ${name}`, () => {
      let caught: unknown;
      try {
        parseNotebook(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NotebookParseError);
      expect((caught as NotebookParseError).line).toBe(line);
      expect((caught as NotebookParseError).message).toMatch(message);
      expect((caught as NotebookParseError).message).toMatch(`line ${line}:`);
    });
  }
});

describe("attributes", () => {
  test("flags, bare values and quoted values", () => {
    expect(
      parseAttrs(
        ` id=train-loop exercise check="loss below" alt='it s' esc="a \\"q\\" \\\\ b" empty=""`,
      ),
    ).toEqual({
      id: "train-loop",
      exercise: true,
      check: "loss below",
      alt: "it s",
      esc: 'a "q" \\ b',
      empty: "",
    });
  });

  test("a quoted value must be followed by a space", () => {
    expect(() => parseAttrs(`alt='it''s'`)).toThrow(/unexpected "'" after attribute "alt"/);
  });

  test("names may contain dots, colons and dashes", () => {
    expect(parseAttrs("data.x=1 ns:y check-fn=a")).toEqual({
      "data.x": "1",
      "ns:y": true,
      "check-fn": "a",
    });
  });
});

describe("cell ids", () => {
  const text =
    "Intro\n\n```js\nconst a = 1\n```\n\n```js\nconst b = a\n```\n\n```js id=named\nc\n```\n";

  test("are the id attribute or derived from the source", () => {
    const ids = parseNotebook(text).cells.map((c) => c.id);
    expect(ids[0]).toMatch(/^md-[0-9a-z]+$/);
    expect(ids[1]).toMatch(/^js-[0-9a-z]+$/);
    expect(ids[3]).toBe("named");
    expect(new Set(ids).size).toBe(4);
  });

  test("are deterministic", () => {
    expect(parseNotebook(text).cells.map((c) => c.id)).toEqual(
      parseNotebook(text).cells.map((c) => c.id),
    );
  });

  test("don't change when another cell is edited, inserted, removed or moved", () => {
    const before = parseNotebook(text).cells.map((c) => c.id);
    const edited = parseNotebook(text.replace("const b = a", "const b = a * 2"));
    expect(edited.cells.map((c) => c.id)).toEqual([
      before[0],
      before[1],
      expect.any(String),
      before[3],
    ]);
    expect(edited.cells[2].id).not.toBe(before[2]);
    const inserted = parseNotebook(`\`\`\`js\nnew\n\`\`\`\n\n${text}`);
    expect(inserted.cells.slice(1).map((c) => c.id)).toEqual(before);
    const removed = parseNotebook(text.replace("```js\nconst a = 1\n```\n\n", ""));
    expect(removed.cells.map((c) => c.id)).toEqual([before[0], before[2], before[3]]);
  });

  test("duplicate sources get a counter", () => {
    const ids = parseNotebook("```js\nx\n```\n\n```js\nx\n```\n\n```js\nx\n```\n").cells.map(
      (c) => c.id,
    );
    expect(ids[1]).toBe(`${ids[0]}-2`);
    expect(ids[2]).toBe(`${ids[0]}-3`);
  });

  test("a derived id never takes an explicit one", () => {
    const derived = parseNotebook("```js\nx\n```\n").cells[0].id;
    const ids = parseNotebook(
      `\`\`\`js\nx\n\`\`\`\n\n\`\`\`js id=${derived}\ny\n\`\`\`\n`,
    ).cells.map((c) => c.id);
    expect(ids).toEqual([`${derived}-2`, derived]);
  });

  test("CRLF and LF files give the same ids", () => {
    expect(parseNotebook("a\r\n\r\n```js\r\nx\r\n```\r\n").cells.map((c) => c.id)).toEqual(
      parseNotebook("a\n\n```js\nx\n```\n").cells.map((c) => c.id),
    );
  });
});

describe("editing", () => {
  const text =
    "---\n# course settings\ntitle: Autograd\ntags: [grad]\n---\n\nIntro   \n\n\n```js   id=a  hidden\nconst a = 1\n```\n\n```js\nconst b = a + 1\n```\n\nOutro\n";

  test("creates canonical Markdown", () => {
    const notebook = createNotebook({
      frontMatter: { title: "New", tags: ["x"] },
      cells: [
        { type: "markdown", source: "# New\n\nHello." },
        { source: "const x = 1", attrs: { id: "x", exercise: true, check: "x is one" } },
        { source: "x + 1" },
        { source: "const s = `\n```\n`" },
        { source: "" },
      ],
    });
    expect(serializeNotebook(notebook)).toBe(
      '---\ntitle: New\ntags:\n  - x\n---\n\n# New\n\nHello.\n\n```js id=x exercise check="x is one"\nconst x = 1\n```\n\n```js\nx + 1\n```\n\n````js\nconst s = `\n```\n`\n````\n\n```js\n```\n',
    );
    expect(summary(serializeNotebook(notebook))).toEqual(
      notebook.cells.map(({ type, source, attrs }) => ({ type, source, attrs })),
    );
  });

  test("an empty notebook is empty text", () => {
    expect(serializeNotebook(createNotebook())).toBe("");
  });

  test("updating a cell rewrites only that cell and keeps its id", () => {
    const notebook = parseNotebook(text);
    const id = notebook.cells[2].id;
    const updated = updateCell(notebook, id, { source: "const b = a + 2" });
    expect(updated.cells[2].id).toBe(id);
    expect(serializeNotebook(updated)).toBe(text.replace("a + 1", "a + 2"));
  });

  test("changing attributes rewrites the fence line canonically", () => {
    const notebook = parseNotebook(text);
    const updated = updateCell(notebook, "a", { attrs: { id: "a", check: "a b" } });
    expect(serializeNotebook(updated)).toBe(
      text.replace("```js   id=a  hidden", '```js id=a check="a b"'),
    );
  });

  test("renaming a cell's id attribute renames the cell", () => {
    const updated = updateCell(parseNotebook(text), "a", { attrs: { id: "first" } });
    expect(updated.cells[1].id).toBe("first");
  });

  test("a source that contains the fence gets a longer fence", () => {
    const updated = updateCell(parseNotebook(text), "a", { source: "```\n````" });
    expect(serializeNotebook(updated)).toContain("\n`````js id=a hidden\n```\n````\n`````\n");
  });

  test("edited cells use the file's line endings", () => {
    const crlf = text.replace(/\n/g, "\r\n");
    const updated = updateCell(parseNotebook(crlf), "a", { source: "one\ntwo" });
    expect(serializeNotebook(updated)).toBe(crlf.replace("const a = 1", "one\r\ntwo"));
  });

  test("insert, move and delete keep untouched text", () => {
    let notebook = parseNotebook(text);
    notebook = insertCell(notebook, 3, { source: "b * 2" });
    expect(serializeNotebook(notebook)).toBe(
      text.replace("\n\nOutro", "\n\n```js\nb * 2\n```\n\nOutro"),
    );
    const inserted = notebook.cells[3].id;
    notebook = deleteCell(notebook, inserted);
    expect(serializeNotebook(notebook)).toBe(text);
    const b = notebook.cells[2].id;
    notebook = moveCell(notebook, b, 1);
    expect(summary(serializeNotebook(notebook)).map((c) => c.source)).toEqual([
      "Intro   ",
      "const b = a + 1",
      "const a = 1",
      "Outro",
    ]);
    expect(serializeNotebook(notebook)).toContain("```\n\n```js   id=a  hidden\n");
  });

  test("moving the last cell of a file without a final newline", () => {
    const notebook = parseNotebook("```js\na\n```\n\nlast");
    const moved = moveCell(notebook, notebook.cells[1].id, 0);
    expect(serializeNotebook(moved)).toBe("last\n\n```js\na\n```\n");
  });

  test("a cell left open at the end is closed when another cell follows it", () => {
    const notebook = parseNotebook("```js\nopen");
    const appended = insertCell(notebook, 1, { type: "markdown", source: "after" });
    expect(summary(serializeNotebook(appended))).toEqual([
      { type: "code", source: "open", attrs: {} },
      { type: "markdown", source: "after", attrs: {} },
    ]);
    const prose = parseNotebook("Text\n```python\nopen");
    const withCell = insertCell(prose, 1, { source: "x" });
    expect(summary(serializeNotebook(withCell)).map((c) => c.type)).toEqual(["markdown", "code"]);
  });

  test("front matter edits keep comments and untouched keys", () => {
    const notebook = parseNotebook(text);
    const updated = setFrontMatter(notebook, {
      ...notebook.frontMatter,
      title: "Backprop",
      level: 2,
    });
    const written = serializeNotebook(updated);
    expect(
      written.startsWith("---\n# course settings\ntitle: Backprop\ntags: [grad]\nlevel: 2\n---\n"),
    ).toBe(true);
    expect(parseNotebook(written).frontMatter).toEqual({
      title: "Backprop",
      tags: ["grad"],
      level: 2,
    });
    const removed = setFrontMatter(notebook, {});
    expect(serializeNotebook(removed).startsWith("\nIntro")).toBe(true);
  });

  test("a markdown cell that starts with --- is not read back as front matter", () => {
    const notebook = createNotebook({
      cells: [{ type: "markdown", source: "---\ntitle: no\n---" }],
    });
    expect(parseNotebook(serializeNotebook(notebook)).frontMatter).toEqual({});
  });

  test("bad edits throw", () => {
    const notebook = parseNotebook(text);
    expect(() => updateCell(notebook, "nope", { source: "" })).toThrow(RangeError);
    expect(() => insertCell(notebook, 9, {})).toThrow(RangeError);
    expect(() => insertCell(notebook, 0, { attrs: { id: "a" } })).toThrow(/already used/);
    expect(() => insertCell(notebook, 0, { type: "markdown", attrs: { x: true } })).toThrow(
      TypeError,
    );
    expect(() => insertCell(notebook, 0, { attrs: { "bad name": true } })).toThrow(TypeError);
    expect(() => insertCell(notebook, 0, { attrs: { x: "a\nb" } })).toThrow(TypeError);
    expect(() => setFrontMatter(notebook, { title: 3 as unknown as string })).toThrow(TypeError);
  });

  test("new cells get unique ids", () => {
    let notebook = createNotebook();
    notebook = insertCell(notebook, 0, {});
    notebook = insertCell(notebook, 1, {});
    expect(new Set(notebook.cells.map((c) => c.id)).size).toBe(2);
  });

  test("values with backticks use a tilde fence", () => {
    const notebook = createNotebook({ cells: [{ source: "x", attrs: { note: "use `x`" } }] });
    const written = serializeNotebook(notebook);
    expect(written).toBe('~~~js note="use `x`"\nx\n~~~\n');
    expect(summary(written)[0].attrs).toEqual({ note: "use `x`" });
  });
});
