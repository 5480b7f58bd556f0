import { attrsEqual, checkAttrs } from "./format/attrs.js";
import type { CellInit } from "./format/edit.js";
import { createNotebook } from "./format/edit.js";
import { claimId } from "./format/ids.js";
import type { CellAttrs, FrontMatter, Notebook } from "./format/types.js";

/**
 * Jupyter notebooks (nbformat 4). Import keeps the cells and drops outputs; JavaScript code
 * cells become code cells, code in any other language is kept, not run, as a fenced block of
 * that language in prose (with a warning). Export writes nbformat 4.5 for a JavaScript kernel,
 * with Gradbook's front matter and cell attributes in `metadata.gradbook` so that a notebook
 * survives export and import.
 */

export interface IpynbCell {
  readonly cell_type: "code" | "markdown" | "raw";
  readonly id: string;
  readonly metadata: Record<string, unknown>;
  readonly source: string[];
  readonly execution_count?: null;
  readonly outputs?: [];
}

export interface Ipynb {
  readonly cells: IpynbCell[];
  readonly metadata: Record<string, unknown>;
  readonly nbformat: 4;
  readonly nbformat_minor: 5;
}

export interface IpynbWarning {
  /** 1-based position of the cell in the .ipynb file. */
  readonly cell: number;
  readonly message: string;
}

export class IpynbError extends Error {
  override name = "IpynbError";
}

const KERNELSPEC = { display_name: "JavaScript", language: "javascript", name: "javascript" };
const LANGUAGE_INFO = { file_extension: ".js", mimetype: "text/javascript", name: "javascript" };
const JAVASCRIPT = /^(javascript|js|node(\.?js)?)$/i;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function importIpynb(text: string): { notebook: Notebook; warnings: IpynbWarning[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new IpynbError(`not a Jupyter notebook: invalid JSON (${(error as Error).message})`);
  }
  if (!isRecord(data) || !Array.isArray(data.cells) || typeof data.nbformat !== "number") {
    throw new IpynbError(
      'not a Jupyter notebook: expected a JSON object with "cells" and "nbformat"',
    );
  }
  if (data.nbformat !== 4) {
    throw new IpynbError(
      `nbformat ${data.nbformat} is not supported: save the notebook as nbformat 4`,
    );
  }
  const metadata = record(data.metadata);
  const language = notebookLanguage(metadata);
  const warnings: IpynbWarning[] = [];
  const cells: CellInit[] = [];
  data.cells.forEach((raw: unknown, i) => {
    const warn = (message: string) => warnings.push({ cell: i + 1, message });
    const cell = importCell(raw, i + 1, language, warn);
    if (cell) cells.push(cell);
  });
  try {
    return {
      notebook: createNotebook({ frontMatter: importFrontMatter(metadata), cells }),
      warnings,
    };
  } catch (error) {
    // Bad front matter or cell ids saved in metadata.gradbook.
    throw new IpynbError(`not a valid Gradbook notebook: ${(error as Error).message}`);
  }
}

function notebookLanguage(metadata: Json): string {
  const kernelLanguage = record(metadata.kernelspec).language;
  const infoName = record(metadata.language_info).name;
  if (typeof kernelLanguage === "string") return kernelLanguage;
  if (typeof infoName === "string") return infoName;
  return "javascript";
}

function importCell(
  raw: unknown,
  number: number,
  notebookLanguage: string,
  warn: (message: string) => void,
): CellInit | null {
  if (!isRecord(raw)) throw new IpynbError(`cell ${number} is not an object`);
  const source = sourceText(raw.source, number);
  const metadata = record(raw.metadata);
  switch (raw.cell_type) {
    case "markdown":
      if (isRecord(raw.attachments) && Object.keys(raw.attachments).length > 0) {
        warn("attachments (pasted images) are not imported");
      }
      return source.trim() === "" ? null : { type: "markdown", source };
    case "raw":
      if (source.trim() === "") return null;
      warn("raw cell imported as Markdown");
      return { type: "markdown", source };
    case "code": {
      const cellLanguage = record(metadata.vscode).languageId;
      const language = typeof cellLanguage === "string" ? cellLanguage : notebookLanguage;
      if (!JAVASCRIPT.test(language)) {
        warn(
          `${language} code is kept as a ${language} code block in the prose; rewrite it in JavaScript to run it`,
        );
        return { type: "markdown", source: fenced(source, language.toLowerCase()) };
      }
      return { type: "code", source, attrs: importAttrs(metadata, warn) };
    }
    default:
      throw new IpynbError(
        `cell ${number} has an unknown cell_type ${JSON.stringify(raw.cell_type)}`,
      );
  }
}

function sourceText(source: unknown, number: number): string {
  if (typeof source === "string") return source;
  if (Array.isArray(source) && source.every((line) => typeof line === "string"))
    return source.join("");
  throw new IpynbError(`cell ${number}: "source" must be a string or a list of strings`);
}

function fenced(source: string, language: string): string {
  const longest = Math.max(
    0,
    ...[...source.matchAll(/^ {0,3}(`+)/gm)].map((match) => match[1].length),
  );
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language.replace(/[\s`]/g, "")}\n${source.replace(/\n$/, "")}\n${fence}`;
}

function importAttrs(metadata: Json, warn: (message: string) => void): CellAttrs {
  const attrs: Record<string, string | true> = {};
  const saved = record(metadata.gradbook).attrs;
  if (saved !== undefined) {
    try {
      checkAttrs(saved as CellAttrs);
      Object.assign(attrs, saved);
    } catch (error) {
      warn(`metadata.gradbook.attrs ignored: ${(error as Error).message}`);
    }
  }
  if (record(metadata.jupyter).source_hidden === true && attrs.hidden === undefined)
    attrs.hidden = true;
  return attrs;
}

function importFrontMatter(metadata: Json): FrontMatter {
  const saved = record(metadata.gradbook).frontMatter;
  if (isRecord(saved)) return saved;
  return typeof metadata.title === "string" ? { title: metadata.title } : {};
}

/** The notebook as nbformat 4.5 JSON, formatted as Jupyter writes it. */
export function exportIpynb(notebook: Notebook): string {
  return `${JSON.stringify(toIpynb(notebook), null, 1)}\n`;
}

export function toIpynb(notebook: Notebook): Ipynb {
  const taken = new Set<string>();
  const cells = notebook.cells.map((cell): IpynbCell => {
    const id = claimId(jupyterId(cell.id), taken);
    const source = sourceLines(cell.source);
    if (cell.type === "markdown") return { cell_type: "markdown", id, metadata: {}, source };
    const metadata: Json = {};
    if (cell.attrs.hidden === true) metadata.jupyter = { source_hidden: true };
    if (!attrsEqual(cell.attrs, {})) metadata.gradbook = { attrs: { ...cell.attrs } };
    return { cell_type: "code", execution_count: null, id, metadata, outputs: [], source };
  });
  const metadata: Json = { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO };
  const { title } = notebook.frontMatter;
  if (typeof title === "string") metadata.title = title;
  if (Object.keys(notebook.frontMatter).length > 0) {
    metadata.gradbook = { frontMatter: notebook.frontMatter };
  }
  return { cells, metadata, nbformat: 4, nbformat_minor: 5 };
}

/** nbformat 4.5 ids: 1-64 characters from [a-zA-Z0-9-_]; the suffix `claimId` adds fits. */
function jupyterId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, 56) || "cell";
}

/** Jupyter's list form: every line keeps its "\n" except the last. */
function sourceLines(source: string): string[] {
  return source === "" ? [] : source.split(/(?<=\n)/);
}
