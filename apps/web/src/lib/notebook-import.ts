import {
  IpynbError,
  importIpynb,
  NotebookParseError,
  parseNotebook,
  serializeNotebook,
  setFrontMatter,
} from "@gradbook/notebook";
import { formatBytes } from "@/server/limits";

/**
 * A file chosen for "Import", checked before anything is created: a notebook's Markdown (kept
 * byte for byte, so a lesson file round-trips through Download) or a Jupyter notebook
 * (converted to Markdown). Each refusal says what is wrong and what to do.
 */

export type ImportedFile =
  | { readonly ok: true; readonly content: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

export function readNotebookFile(
  fileName: string,
  bytes: Uint8Array,
  limitBytes: number,
): ImportedFile {
  const kind = /\.(md|markdown)$/i.test(fileName)
    ? "markdown"
    : /\.ipynb$/i.test(fileName)
      ? "ipynb"
      : null;
  if (!kind) {
    return {
      ok: false,
      error: `"${fileName}" is not a notebook file: choose a .md or .ipynb file.`,
    };
  }
  const tooBig = sizeProblem(fileName, bytes.byteLength, limitBytes);
  if (tooBig) return { ok: false, error: tooBig };
  let text: string;
  try {
    // Keep a byte-order mark in the text: the notebook format writes it back.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      error: `"${fileName}" is not UTF-8 text: save it as UTF-8 in your editor and import it again.`,
    };
  }
  return kind === "markdown" ? markdown(fileName, text) : ipynb(fileName, text, limitBytes);
}

/** Why a file of `size` bytes can't be imported, or null: checked before reading it. */
export function sizeProblem(fileName: string, size: number, limitBytes: number): string | null {
  if (size <= limitBytes) return null;
  return `"${fileName}" is ${formatBytes(size)}; a notebook can be at most ${formatBytes(limitBytes)}. Move large data out of it.`;
}

function markdown(fileName: string, text: string): ImportedFile {
  try {
    parseNotebook(text);
  } catch (error) {
    if (!(error instanceof NotebookParseError)) throw error;
    return { ok: false, error: `"${fileName}" could not be read as a notebook: ${error.message}.` };
  }
  return { ok: true, content: text, warnings: [] };
}

function ipynb(fileName: string, text: string, limitBytes: number): ImportedFile {
  let imported: ReturnType<typeof importIpynb>;
  try {
    imported = importIpynb(text);
  } catch (error) {
    if (!(error instanceof IpynbError || error instanceof NotebookParseError)) throw error;
    return { ok: false, error: `"${fileName}" could not be imported: ${error.message}.` };
  }
  let { notebook } = imported;
  if (!notebook.frontMatter.title) {
    // A Jupyter notebook's name is its file name.
    const title = fileName.replace(/\.ipynb$/i, "").trim();
    if (title) notebook = setFrontMatter(notebook, { ...notebook.frontMatter, title });
  }
  const content = serializeNotebook(notebook);
  const bytes = new TextEncoder().encode(content).byteLength;
  if (bytes > limitBytes) {
    return {
      ok: false,
      error: `"${fileName}" makes a notebook of ${formatBytes(bytes)}; the limit is ${formatBytes(limitBytes)}. Move large data out of it.`,
    };
  }
  const warnings = imported.warnings.map((w) => `Cell ${w.cell}: ${w.message}`);
  return { ok: true, content, warnings };
}
