/**
 * Gradbook's tensor engine: `import * as torch from "@gradbook/engine"` and write PyTorch.
 */

export { isOptions, type PyArgs, parseArgs } from "./args.js";
export {
  type AccumulateGrad,
  enable_grad,
  is_grad_enabled,
  Node,
  no_grad,
  set_grad_enabled,
} from "./autograd.js";
export * from "./creation.js";
export {
  get_default_device,
  init,
  registerBackend,
  registerBackendLoader,
  set_default_device,
} from "./device.js";
export { bool, type DType, float32, int64, long } from "./dtype.js";
export { formatValues } from "./format.js";
export * from "./functions.js";
export { var_ as var } from "./functions.js";
export { default_generator, Generator, initial_seed, manual_seed } from "./random.js";
export { _setInterruptCheck } from "./scheduler.js";
export { type Dims, type IndexSpec, type NestedArray, Tensor } from "./tensor.js";

export const float = "float32" as const;
export const float64 = "float32" as const; // computed in float32: our engines are float32 throughout

export { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./io/safetensors.js";
export { load, load_metadata, load_state_dict, type StateDict, save } from "./io/serialize.js";
export * as F from "./nn/functional.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";

import * as data from "./data/index.js";
/** `torch.utils.data.DataLoader`, as in PyTorch. */
export const utils = { data };
export { transforms } from "./data/index.js";
