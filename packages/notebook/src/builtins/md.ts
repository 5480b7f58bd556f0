import { Marked } from "marked";
import markedKatex from "marked-katex-extension";

/**
 * Markdown to DOM, with KaTeX math: `$...$` inline, `$$...$$` displayed. A malformed formula
 * shows in red where it is rather than failing the cell. The CSS and fonts KaTeX needs are in
 * the package's stylesheet (`@gradbook/notebook/styles.css`).
 */
const marked = new Marked(
  { gfm: true, async: false },
  markedKatex({ throwOnError: false, nonStandard: true, output: "htmlAndMathml" }),
);

export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

/**
 * `md\`# Title $x^2$\`` (a tagged template, as in Observable) or `md("...")`. Interpolated DOM
 * nodes are inserted where they appear; other values are written as text.
 */
export function md(strings: TemplateStringsArray | string, ...values: unknown[]): HTMLElement {
  const parts = typeof strings === "string" ? [strings] : [...strings];
  const nodes = new Map<string, Node>();
  let source = parts[0];
  values.forEach((value, i) => {
    if (value instanceof Node) {
      const key = `gb-md-slot-${i}`;
      nodes.set(key, value);
      source += `<span data-slot="${key}"></span>`;
    } else {
      source += String(value);
    }
    source += parts[i + 1];
  });
  const root = document.createElement("div");
  root.className = "gb-markdown";
  root.innerHTML = markdownToHtml(source);
  for (const [key, node] of nodes) {
    root.querySelector(`[data-slot="${key}"]`)?.replaceWith(node);
  }
  return root;
}
