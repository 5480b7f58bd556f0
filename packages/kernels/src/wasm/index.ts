export { createWasmBackend, WasmBackend, WasmBuffer } from "./backend.js";
export { hasRelaxedSimd } from "./module.js";
export type { WasmBackendOptions } from "./runtime.js";
export { canUseThreads } from "./threads.js";
