/**
 * `torch.nn`: modules, losses, `nn.init` and `nn.functional`, with PyTorch's names, defaults
 * and printed forms.
 */

export { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
export { build, describe, type ModuleSpec } from "./architecture.js";
export { ModuleList, Sequential } from "./containers.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export { Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d } from "./layers.js";
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  L1Loss,
  MSELoss,
  NLLLoss,
  type Reduction,
  type WeightInput,
} from "./loss.js";
export {
  type AnyModule,
  type ConfigValue,
  type ForwardHook,
  type ForwardPreHook,
  type LoadStateDictResult,
  Module,
  type ModuleConfig,
  type RemovableHandle,
} from "./module.js";
export { BatchNorm1d, BatchNorm2d, LayerNorm } from "./normalization.js";
export { Parameter } from "./parameter.js";
