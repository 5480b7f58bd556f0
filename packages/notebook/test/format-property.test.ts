import { describe, expect, test } from "vitest";
import {
  createNotebook,
  type Notebook,
  NotebookParseError,
  parseNotebook,
  serializeNotebook,
  updateCell,
} from "../src/index.js";

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINES = [
  "Some prose about tensors.",
  "# Heading",
  "",
  "",
  "",
  "   ",
  "\t",
  "$$",
  "\\nabla_w L = 2x(wx - y)",
  "Inline $x^2$ math.",
  "- a list item",
  "  ```js",
  "    ```js",
  "> ```js",
  "---",
  "***",
  "<!-- a comment -->",
  "<!--",
  "-->",
  "text with `code`",
  "``` js `x`",
  "```",
  "```",
  "```",
  "```",
  "````",
  "~~~",
  "  ```",
  "```   ",
  "```python",
  "```js",
  "```js",
  "```js",
  "```javascript",
  "```js hidden exercise",
  '```JS check="loss below" solution',
  "~~~js collapsed",
  "````js",
  "const x = 1",
  "x + 1",
  "for (let i = 0; i < 3; i++) yield i",
  "const s = `",
  "`",
];

const FRONT_MATTER = [
  "",
  "---\ntitle: A lesson\ntags: [a, b]\n---\n",
  "---\n# comment\ndescription: >\n  folded\n...\n",
  "---\n---\n",
  "---\ntitle: unclosed\n",
  "---\ntitle: [bad\n---\n",
];

function generate(next: () => number, ids: { n: number }): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const eolStyle = pick(["\n", "\r\n", "mixed"] as const);
  const eol = () => (eolStyle === "mixed" ? pick(["\n", "\r\n"]) : eolStyle);
  let text = pick(FRONT_MATTER).replace(/\n/g, eol());
  const count = Math.floor(next() * 30);
  for (let i = 0; i < count; i++) {
    let line = pick(LINES);
    if (next() < 0.08) line = `\`\`\`js id=cell-${ids.n++}`;
    if (next() < 0.01) line = "```js bad=";
    text += line + (i === count - 1 && next() < 0.3 ? "" : eol());
  }
  return text;
}

const contentOf = (notebook: Notebook) =>
  notebook.cells.map(({ type, source, attrs }) => ({ type, source, attrs }));

describe("generated documents", () => {
  const next = random(20240611);
  const ids = { n: 0 };
  const documents = Array.from({ length: 3000 }, () => generate(next, ids));

  test("round trip byte for byte, or fail with a line number", () => {
    let parsed = 0;
    for (const text of documents) {
      let notebook: Notebook;
      try {
        notebook = parseNotebook(text);
      } catch (error) {
        expect(error).toBeInstanceOf(NotebookParseError);
        expect((error as NotebookParseError).line).toBeGreaterThan(0);
        continue;
      }
      parsed++;
      expect(serializeNotebook(notebook), JSON.stringify(text)).toBe(text);
    }
    expect(parsed).toBeGreaterThan(documents.length * 0.7);
  });

  test("editing one code cell changes only that cell, ids included", () => {
    let edits = 0;
    for (const [n, text] of documents.entries()) {
      let notebook: Notebook;
      try {
        notebook = parseNotebook(text);
      } catch {
        continue;
      }
      const code = notebook.cells.filter((cell) => cell.type === "code");
      if (code.length === 0) continue;
      const target = code[n % code.length];
      const source = `const edited${n} = 1`;
      const reread = parseNotebook(serializeNotebook(updateCell(notebook, target.id, { source })));
      const message = JSON.stringify(text);
      expect(reread.cells.length, message).toBe(notebook.cells.length);
      reread.cells.forEach((cell, i) => {
        const before = notebook.cells[i];
        if (before.id === target.id) {
          expect(cell.source, message).toBe(source);
          expect(cell.attrs, message).toEqual(target.attrs);
          return;
        }
        expect(cell.source, message).toBe(before.source);
        // Twins of the edited cell's old source may renumber; everything else keeps its id.
        if (before.source !== target.source) expect(cell.id, message).toBe(before.id);
      });
      edits++;
    }
    expect(edits).toBeGreaterThan(500);
  });

  test("the canonical form reads back to the same cells", () => {
    for (const text of documents) {
      let notebook: Notebook;
      try {
        notebook = parseNotebook(text);
      } catch {
        continue;
      }
      const rebuilt = createNotebook({
        frontMatter: notebook.frontMatter,
        cells: contentOf(notebook),
      });
      const written = serializeNotebook(rebuilt);
      const reread = parseNotebook(written);
      expect(contentOf(reread), JSON.stringify(text)).toEqual(contentOf(notebook));
      expect(reread.frontMatter).toEqual(notebook.frontMatter);
      expect(serializeNotebook(reread)).toBe(written);
    }
  });
});
