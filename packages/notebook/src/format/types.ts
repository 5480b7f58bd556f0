/** A cell attribute: `hidden` is `true`, `check=loss-below` is `"loss-below"`. */
export type AttrValue = string | true;
export type CellAttrs = Readonly<Record<string, AttrValue>>;
export type CellType = "code" | "markdown";

/** YAML front matter. `title`, `description` and `tags` are checked; other keys are kept as written. */
export interface FrontMatter {
  readonly title?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}

export interface Cell {
  /** The `id=` attribute when present, else derived from the source (see `ids.ts`). */
  readonly id: string;
  readonly type: CellType;
  /** The cell's text with `\n` line endings; for code cells, the lines between the fences. */
  readonly source: string;
  /** Attributes from the fence line; always empty for markdown cells. */
  readonly attrs: CellAttrs;
  /** How the cell was written in the file; absent for cells made through the editing API. */
  readonly layout?: CellLayout;
}

/** Exactly how a cell was written, so that an unedited cell serializes byte for byte. */
export interface CellLayout {
  /** The blank lines before the cell; dropped when the cell's predecessor changes. */
  readonly gap?: string;
  /** The cell's text as written: first line through the last line's ending. */
  readonly text: string;
  /** What `text` parsed to: while the cell still matches, `text` is written back. */
  readonly type: CellType;
  readonly source: string;
  readonly attrs: CellAttrs;
  /** Code cells: the fence as written, so that an edit keeps its style. */
  readonly fence?: FenceLayout;
}

export interface FenceLayout {
  readonly char: "`" | "~";
  readonly length: number;
  /** The language word as written (`js`, `javascript`, `JS`). */
  readonly lang: string;
  /** The opening line without its line ending, reused while the attributes are unchanged. */
  readonly openLine: string;
  /** False for a fence left open at the end of the file. */
  readonly closed: boolean;
}

export interface NotebookLayout {
  /** A byte-order mark that preceded the text. */
  readonly bom: string;
  /** The file's line ending (its first one), used for the text of edited cells. */
  readonly eol: "\n" | "\r\n";
  readonly frontMatter?: FrontMatterLayout;
  /** Blank lines after the last cell (or after the front matter when there are no cells). */
  readonly trailing: string;
}

export interface FrontMatterLayout {
  /** The whole block as written: both `---` lines and the YAML between them. */
  readonly text: string;
  readonly openLine: string;
  readonly closeLine: string;
  /** The YAML between the delimiters. */
  readonly yaml: string;
  /** What `yaml` parsed to: while the front matter still equals it, `text` is written back. */
  readonly value: FrontMatter;
}

export interface ParseWarning {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface Notebook {
  readonly frontMatter: FrontMatter;
  readonly cells: readonly Cell[];
  /** Problems that parsing worked around; cleared by any edit. */
  readonly warnings: readonly ParseWarning[];
  readonly layout?: NotebookLayout;
}

/** Malformed notebook text: invalid front matter, bad attribute syntax, duplicate ids. */
export class NotebookParseError extends Error {
  override name = "NotebookParseError";
  constructor(
    /** The problem, without the location. */
    readonly reason: string,
    /** 1-based line in the file. */
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}
