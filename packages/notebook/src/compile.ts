import type { AnyNode, Expression, Options, Program, Statement } from "acorn";
import { getLineInfo, parse, parseExpressionAt, tokenizer } from "acorn";
import { findNodeAt, make, simple } from "acorn-walk";
import { defaultGlobals } from "./globals.js";
import { analyzeScope, patternNames } from "./scope.js";

/**
 * The cell compiler. A cell is JavaScript with top-level `await` (and `yield`, which makes it a
 * generator cell). Its top-level declarations are its outputs, visible to other cells; the names
 * it reads but does not declare are its inputs. The compiled body is the source of a function
 * that the Observable runtime calls with the inputs, in order, as Notebook Kit 2.0 compiles cells:
 *
 * - expression cell `x * 2`:      `(x) => {\nreturn (\nx * 2\n);\n}`; its value is displayed.
 *   A trailing `;` makes it a statement, which is not displayed (as in Jupyter).
 * - statement cell `const y = x`: `(x) => {\nconst y = x\nreturn {y};\n}`
 * - generator cell:               `function* (x) {\n...\nreturn {y};\n}`: each yielded value is
 *   displayed as it comes, and the generator's return value holds the outputs.
 *
 * Any of them is `async` when the cell awaits at its top level.
 */

export interface CompiledCell {
  /** Names read from other cells or the notebook's built-ins, in order of first use. */
  readonly inputs: readonly string[];
  /** Names the cell declares at its top level, in order. */
  readonly outputs: readonly string[];
  /** Source of a function taking `inputs` and returning `{...outputs}` or the expression's value. */
  readonly body: string;
  /** Whether the cell's value (or, for a generator, each yielded value) is displayed. */
  readonly autodisplay: boolean;
  /** The cell is a single expression. */
  readonly expression: boolean;
  /** The cell uses `yield` at its top level. */
  readonly generator: boolean;
  /** The cell uses `await` (or `for await`, `await using`) at its top level. */
  readonly async: boolean;
}

export interface CompileOptions {
  /** Names that are never inputs; defaults to JavaScript's and the browser's globals. */
  readonly globals?: ReadonlySet<string>;
}

/** A cell that can't be compiled; `line` and `column` are 1-based, within the cell. */
export class CellSyntaxError extends SyntaxError {
  override name = "CellSyntaxError";
  constructor(
    /** The problem, without the location. */
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (${line}:${column})`);
  }
}

const OPTIONS: Options = { ecmaVersion: "latest", sourceType: "module" };

/**
 * Statement cells are parsed inside an async generator so that top-level `await`, `yield` and
 * function-scoped `var` parse as they will run. The prefix ends in a newline, so lines in the
 * cell are one less than lines in the wrapper and columns are the same.
 */
const PREFIX = "(async function* () {\n";
const SUFFIX = "\n})";

const DISPLAY_FUNCTIONS = ["display", "view"];

export function compileCell(source: string, options: CompileOptions = {}): CompiledCell {
  const cell = parseCell(source);
  const { async, generator } = topLevelFeatures(cell);
  const scope = analyzeScope(cell.root, options.globals ?? defaultGlobals);
  const misassigned = scope.assignments[0];
  if (misassigned) {
    throw errorAt(
      source,
      misassigned.start - cell.offset,
      `Assignment to undeclared variable "${misassigned.name}": declare it in this cell with let or const (a cell can read other cells' variables but not reassign them)`,
    );
  }
  const inputs = [...new Set(scope.references.map((id) => id.name))];
  const outputs = declaredNames(cell.statements);
  const expression = cell.root.type !== "Program";

  const params = `(${inputs.join(", ")})`;
  const head = `${async ? "async " : ""}${generator ? `function* ${params}` : `${params} =>`}`;
  const result = outputs.length > 0 ? `\nreturn {${outputs.join(", ")}};` : "";
  const body = expression
    ? `${head} {\nreturn (\n${source}\n);\n}`
    : `${head} {\n${source}${result}\n}`;
  const displays = inputs.some((name) => DISPLAY_FUNCTIONS.includes(name));
  const autodisplay = expression ? !displays : generator;
  return { inputs, outputs, body, autodisplay, expression, generator, async };
}

interface ParsedCell {
  readonly source: string;
  /** The expression, for an expression cell; else the program holding the wrapper. */
  readonly root: Expression | Program;
  /** The cell's top-level statements (none for an expression cell). */
  readonly statements: readonly Statement[];
  /** Where the cell starts in the parsed text. */
  readonly offset: number;
}

function parseCell(source: string): ParsedCell {
  const expression = parseAsExpression(source);
  if (expression) return { source, root: expression, statements: [], offset: 0 };
  const program = parseStatements(source);
  return {
    source,
    root: program,
    statements: topLevelStatements(program, source),
    offset: PREFIX.length,
  };
}

/**
 * The cell as one expression, or null if it is not one. Named function and class expressions
 * are declarations; `x;` (with the semicolon) is a statement.
 */
function parseAsExpression(source: string): Expression | null {
  let node: Expression;
  try {
    // Keeping parentheses makes `({ a: 1 })` end at its closing parenthesis, so it is one expression.
    node = parseExpressionAt(source, 0, { ...OPTIONS, preserveParens: true });
  } catch {
    return null;
  }
  if ((node.type === "FunctionExpression" || node.type === "ClassExpression") && node.id) {
    return null;
  }
  try {
    const rest = tokenizer(source.slice(node.end), OPTIONS).getToken();
    return rest.type.label === "eof" ? node : null;
  } catch {
    return null;
  }
}

function parseStatements(source: string): Program {
  try {
    return parse(PREFIX + source + SUFFIX, OPTIONS);
  } catch (error) {
    if (!(error instanceof SyntaxError) || !("pos" in error) || typeof error.pos !== "number") {
      throw error;
    }
    const pos = error.pos - PREFIX.length;
    const word = /^(import|export)\b(?!\s*[(.])/.exec(source.slice(pos))?.[1];
    const reason = word
      ? `${word} statements are not supported in cells: the notebook's built-ins are already in scope, and a cell's top-level declarations are shared with the other cells`
      : pos >= source.length
        ? "Unexpected end of cell: is a bracket, brace or string left open?"
        : error.message.replace(/\s*\(\d+:\d+\)$/, "");
    throw errorAt(source, pos, reason);
  }
}

/** The cell's statements, checking that the cell did not close the wrapper itself (`})`). */
function topLevelStatements(program: Program, source: string): Statement[] {
  const fn = findNodeAt(program, 1, undefined, "FunctionExpression")?.node;
  if (fn?.type !== "FunctionExpression")
    throw new Error("unreachable: the cell wrapper is missing");
  const end = PREFIX.length + source.length + SUFFIX.length - 1;
  if (fn.body.end !== end)
    throw errorAt(source, fn.body.end - 1 - PREFIX.length, "Unexpected token");
  return fn.body.body as Statement[];
}

/** Walks a cell's own code: nested functions have their own await, yield and return. */
const topLevelWalker = make<TopLevelFeatures>({ Function() {} });

interface TopLevelFeatures {
  async: boolean;
  generator: boolean;
}

function topLevelFeatures(cell: ParsedCell): TopLevelFeatures {
  const found: TopLevelFeatures = { async: false, generator: false };
  const nodes: readonly AnyNode[] = cell.root.type === "Program" ? cell.statements : [cell.root];
  for (const node of nodes) {
    simple(
      node,
      {
        AwaitExpression(_node, state) {
          state.async = true;
        },
        ForOfStatement(node, state) {
          if (node.await) state.async = true;
        },
        VariableDeclaration(node, state) {
          if (node.kind === "await using") state.async = true;
        },
        YieldExpression(_node, state) {
          state.generator = true;
        },
        ReturnStatement(node) {
          throw errorAt(cell.source, node.start - cell.offset, "'return' outside of function");
        },
      },
      topLevelWalker,
      found,
    );
  }
  return found;
}

function declaredNames(statements: readonly Statement[]): string[] {
  const names = statements.flatMap((statement) => {
    switch (statement.type) {
      case "VariableDeclaration":
        return statement.declarations.flatMap((declarator) => patternNames(declarator.id));
      case "FunctionDeclaration":
      case "ClassDeclaration":
        return [statement.id];
      default:
        return [];
    }
  });
  return [...new Set(names.map((id) => id.name))];
}

function errorAt(source: string, pos: number, reason: string): CellSyntaxError {
  return new CellSyntaxError(reason, ...lineColumn(source, pos));
}

/** 1-based line and column of a position, clamped to the cell. */
function lineColumn(source: string, pos: number): [number, number] {
  const { line, column } = getLineInfo(source, Math.max(0, Math.min(pos, source.length)));
  return [line, column + 1];
}
