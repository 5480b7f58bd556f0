export * from "./backend.js";
export { JsBackend, JsBuffer } from "./js/backend.js";
export { binaryFn, erf, unaryFn } from "./js/math.js";
export * from "./philox.js";
export {
  canUseThreads,
  createWasmBackend,
  hasRelaxedSimd,
  WasmBackend,
  type WasmBackendOptions,
} from "./wasm/index.js";
export { WebGpuBackend, type WebGpuInfo, type WebGpuOptions } from "./webgpu/backend.js";
