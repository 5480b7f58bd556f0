/**
 * `torch.nn.functional` (also `torch.F`): the formulas behind the layers and losses, as
 * functions. Each nn module calls the function here, so every formula lives in one place.
 */

export {
  dropout,
  type GeluApproximate,
  gelu,
  leaky_relu,
  log_softmax,
  relu,
  sigmoid,
  softmax,
  tanh,
} from "./functional/activations.js";
export { conv2d, type IntOrPair, max_pool2d } from "./functional/conv.js";
export { linear, one_hot } from "./functional/linear.js";
export {
  binary_cross_entropy,
  binary_cross_entropy_with_logits,
  cross_entropy,
  l1_loss,
  mse_loss,
  nll_loss,
  type Reduction,
} from "./functional/loss.js";
export { batch_norm, layer_norm } from "./functional/normalization.js";
