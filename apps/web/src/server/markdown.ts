import { type Cell, NotebookParseError, parseNotebook } from "@gradbook/notebook";
import { Marked, type Tokens } from "marked";
import markedKatex from "marked-katex-extension";

/**
 * Markdown to HTML for pages the app renders itself, with KaTeX math. These pages have the
 * viewer's cookies, and a shared notebook's Markdown is untrusted, so raw HTML is shown as text
 * and links may only be http(s), mailto or relative. (Inside the sandbox, the runtime renders
 * Markdown with HTML allowed: there it can do no harm.)
 */
const marked = new Marked(
  { gfm: true, async: false },
  markedKatex({ throwOnError: false, nonStandard: true, output: "htmlAndMathml" }),
  {
    renderer: { html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text) },
    walkTokens(token) {
      if (token.type === "link" || token.type === "image") token.href = safeHref(token.href);
    },
  },
);

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}

function safeHref(href: string): string {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // Relative: no scheme before the first /, ? or #.
  if (!/^[^/?#]*:/.test(trimmed)) return trimmed;
  return "#";
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** A cell as the static view shows it: prose as HTML, code as its text. */
export type StaticCell =
  | { readonly id: string; readonly type: "markdown"; readonly html: string }
  | {
      readonly id: string;
      readonly type: "code";
      readonly source: string;
      readonly hidden: boolean;
    };

export interface StaticNotebook {
  readonly title: string | null;
  readonly cells: readonly StaticCell[];
  /** Whether the first cell opens with a top-level heading (then the page needs no title of its own). */
  readonly startsWithHeading: boolean;
  /** Why the text could not be read, if it could not. */
  readonly error: string | null;
}

export function staticNotebook(content: string): StaticNotebook {
  try {
    const notebook = parseNotebook(content);
    return {
      title: notebook.frontMatter.title ?? null,
      cells: notebook.cells.map(staticCell),
      startsWithHeading:
        notebook.cells[0]?.type === "markdown" && /^#[ \t]/.test(notebook.cells[0].source),
      error: null,
    };
  } catch (error) {
    if (!(error instanceof NotebookParseError)) throw error;
    return { title: null, cells: [], startsWithHeading: false, error: error.message };
  }
}

function staticCell(cell: Cell): StaticCell {
  if (cell.type === "markdown") {
    return { id: cell.id, type: "markdown", html: renderMarkdown(cell.source) };
  }
  return { id: cell.id, type: "code", source: cell.source, hidden: cell.attrs.hidden === true };
}
