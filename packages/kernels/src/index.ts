export * from "./backend.js";
export { JsBackend, JsBuffer } from "./js/backend.js";
export { binaryFn, erf, unaryFn } from "./js/math.js";
export * from "./philox.js";
