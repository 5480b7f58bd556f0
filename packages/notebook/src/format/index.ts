export { formatAttrs, parseAttrs } from "./attrs.js";
export type { CellInit, CellPatch } from "./edit.js";
export {
  cellIndex,
  createNotebook,
  deleteCell,
  insertCell,
  moveCell,
  setFrontMatter,
  updateCell,
} from "./edit.js";
export { derivedId } from "./ids.js";
export { parseNotebook } from "./parse.js";
export { serializeNotebook } from "./serialize.js";
export type {
  AttrValue,
  Cell,
  CellAttrs,
  CellLayout,
  CellType,
  FenceLayout,
  FrontMatter,
  FrontMatterLayout,
  Notebook,
  NotebookLayout,
  ParseWarning,
} from "./types.js";
export { NotebookParseError } from "./types.js";
