export { CellDefinitionError } from "./failure.js";
export { Interrupted, isInterrupted } from "./interrupted.js";
export type { CellSource } from "./live-cell.js";
export { NotebookRuntime, type NotebookRuntimeOptions } from "./notebook-runtime.js";
export type { CellErrorInfo, CellStatus, CellStatusEvent } from "./status.js";
