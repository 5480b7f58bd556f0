export type { CompiledCell, CompileOptions } from "./compile.js";
export { CellSyntaxError, compileCell } from "./compile.js";
export * from "./format/index.js";
export { defaultGlobals } from "./globals.js";
export type { GraphCell, GraphError } from "./graph.js";
export { buildGraph, CellGraph } from "./graph.js";
export type { Ipynb, IpynbCell, IpynbWarning } from "./ipynb.js";
export { exportIpynb, IpynbError, importIpynb, toIpynb } from "./ipynb.js";
