import type { YAMLError } from "yaml";
import { isMap, isScalar, parseDocument, stringify } from "yaml";
import type { Line } from "./lines.js";
import { joinLines } from "./lines.js";
import type { FrontMatter, FrontMatterLayout, ParseWarning } from "./types.js";
import { NotebookParseError } from "./types.js";

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

export interface FrontMatterResult {
  readonly layout: FrontMatterLayout;
  /** How many lines the block takes, delimiters included. */
  readonly lineCount: number;
}

/**
 * Reads the YAML front matter at the top of the file: a `---` line, YAML, and a `---` (or `...`)
 * line. A `---` first line with no closing line is a thematic break, not front matter: it stays
 * prose, with a warning.
 */
export function readFrontMatter(
  lines: readonly Line[],
  warnings: ParseWarning[],
): FrontMatterResult | null {
  if (lines.length === 0 || !OPEN.test(lines[0].text)) return null;
  const close = lines.findIndex((line, i) => i > 0 && CLOSE.test(line.text));
  if (close < 0) {
    warnings.push({
      line: 1,
      message:
        "the `---` on line 1 has no closing `---`, so it is read as Markdown, not front matter",
    });
    return null;
  }
  const yaml = joinLines(lines.slice(1, close));
  const value = parseYaml(yaml, warnings);
  return {
    layout: {
      text: joinLines(lines.slice(0, close + 1)),
      openLine: lines[0].text,
      closeLine: lines[close].text,
      yaml,
      value,
    },
    lineCount: close + 1,
  };
}

/** Line numbers in the YAML are one past the opening `---`. */
const YAML_LINE_OFFSET = 1;

function parseYaml(yaml: string, warnings: ParseWarning[]): FrontMatter {
  // Plain YAML 1.2 values only: `!!binary` and friends stay strings (with a warning).
  const doc = parseDocument(yaml, {
    prettyErrors: true,
    resolveKnownTags: false,
    logLevel: "error",
  });
  const lineOf = (problem: YAMLError) => (problem.linePos?.[0].line ?? 1) + YAML_LINE_OFFSET;
  const error = doc.errors[0];
  if (error) {
    throw new NotebookParseError(`invalid YAML front matter: ${firstLine(error)}`, lineOf(error));
  }
  for (const warning of doc.warnings) {
    warnings.push({ line: lineOf(warning), message: `front matter: ${firstLine(warning)}` });
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    throw new NotebookParseError(
      "front matter must be a YAML mapping (key: value lines)",
      YAML_LINE_OFFSET + 1,
    );
  }
  let frontMatter: Record<string, unknown>;
  try {
    frontMatter = doc.toJS() as Record<string, unknown>;
  } catch (error) {
    // yaml refuses alias bombs (a resource exhaustion attack) here.
    throw new NotebookParseError(`invalid YAML front matter: ${(error as Error).message}`, 2);
  }
  const problem = frontMatterProblem(frontMatter);
  if (problem) {
    const contents = doc.contents;
    const pair = contents.items.find(
      (item) => isScalar(item.key) && item.key.value === problem.key,
    );
    const offset = isScalar(pair?.key) ? (pair.key.range?.[0] ?? 0) : 0;
    throw new NotebookParseError(problem.message, lineAt(yaml, offset) + YAML_LINE_OFFSET);
  }
  return frontMatter;
}

/** The message without yaml's location suffix and source excerpt (we give our own line). */
function firstLine(problem: YAMLError): string {
  return problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/** What is wrong with the keys the app relies on, if anything. */
export function frontMatterProblem(
  frontMatter: Record<string, unknown>,
): { key: string; message: string } | null {
  for (const key of ["title", "description"]) {
    const value = frontMatter[key];
    if (value !== undefined && typeof value !== "string") {
      return { key, message: `front matter "${key}" must be a string` };
    }
  }
  const tags = frontMatter.tags;
  if (
    tags !== undefined &&
    !(Array.isArray(tags) && tags.every((tag) => typeof tag === "string"))
  ) {
    return { key: "tags", message: 'front matter "tags" must be a list of strings' };
  }
  return null;
}

/**
 * The YAML for an edited front matter. Starting from the YAML as written keeps the comments and
 * layout of the keys that did not change.
 */
export function updateYaml(previous: FrontMatterLayout | undefined, next: FrontMatter): string {
  const doc = previous ? parseDocument(previous.yaml) : null;
  if (!previous || !doc || !isMap(doc.contents)) return stringify(next);
  for (const key of Object.keys(previous.value)) if (!Object.hasOwn(next, key)) doc.delete(key);
  for (const [key, value] of Object.entries(next)) {
    if (!deepEqual(previous.value[key], value)) doc.set(key, value);
  }
  return doc.toString({ flowCollectionPadding: false });
}

/** Equality of JSON-like values, as YAML front matter parses to. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const keys = Object.keys(aRecord);
  if (keys.length !== Object.keys(bRecord).length) return false;
  return keys.every((key) => Object.hasOwn(bRecord, key) && deepEqual(aRecord[key], bRecord[key]));
}
