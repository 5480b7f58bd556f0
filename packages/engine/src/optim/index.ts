/** `torch.optim`: optimizers and learning-rate schedulers with PyTorch's names and defaults. */

export { Adam, type AdamOptions, type AdamState, AdamW } from "./adam.js";
export * as lr_scheduler from "./lr_scheduler.js";
export {
  type Closure,
  type Hyperparameters,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
} from "./optimizer.js";
export { RMSprop, type RMSpropOptions, type RMSpropState } from "./rmsprop.js";
export { SGD, type SGDOptions, type SGDState } from "./sgd.js";
