import { RuntimeError } from "@observablehq/runtime";
import { CellSyntaxError } from "../compile.js";
import type { GraphError } from "../graph.js";
import type { ErrorLocation } from "../inspector/error.js";
import { locateError } from "./cell-function.js";
import type { CodeCell } from "./live-cell.js";
import type { CellErrorInfo } from "./status.js";

/** Two cells define the same name, or cells depend on each other in a circle. */
export class CellDefinitionError extends Error {
  override name = "DefinitionError";
  constructor(readonly errors: readonly GraphError[]) {
    super(errors.map((error) => error.message).join("; "));
  }
}

/** Why a cell has no value: a name it reads failed upstream, or its own error. */
export type Failure =
  | { readonly kind: "blocked"; readonly name: string; readonly error: CellErrorInfo }
  | { readonly kind: "error"; readonly shown: unknown; readonly location?: ErrorLocation };

/**
 * Tells a cell's own failure from one it inherits. The runtime rejects a cell whose input
 * failed with a RuntimeError naming that input, without running the cell's code; a name no
 * cell defines is the reading cell's own mistake.
 */
export function classifyFailure(
  cell: CodeCell,
  error: unknown,
  definitions: ReadonlyMap<string, readonly string[]>,
): Failure {
  const input = error instanceof RuntimeError ? error.input : undefined;
  if (!cell.started && input !== undefined && definitions.has(input)) {
    return { kind: "blocked", name: input, error: errorInfo(error) };
  }
  if (error instanceof CellSyntaxError) {
    return {
      kind: "error",
      shown: new SyntaxError(error.reason),
      location: { line: error.line, column: error.column },
    };
  }
  if (input !== undefined) {
    // The runtime's "x is not defined": a ReferenceError, as JavaScript would call it.
    return {
      kind: "error",
      shown: Object.assign(new ReferenceError((error as Error).message), { stack: "" }),
    };
  }
  const location = cell.compiled ? locateError(error, cell.id, cell.compiled) : undefined;
  return { kind: "error", shown: error, location };
}

export function errorInfo(error: unknown, location?: ErrorLocation): CellErrorInfo {
  return {
    name: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
    ...(location && { line: location.line, column: location.column }),
  };
}
