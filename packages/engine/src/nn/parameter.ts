/** `nn.Parameter`: the tensors a module learns. */

import { type PyArgs, parseArgs } from "../args.js";
import { empty } from "../creation.js";
import { Tensor } from "../tensor.js";

/**
 * A tensor that is a module's learnable weight: `named_parameters()` finds it and optimizers
 * update it. `new nn.Parameter(torch.randn(3, 4))` shares the tensor's memory, as in PyTorch.
 */
export class Parameter extends Tensor {
  constructor(
    ...args: PyArgs<
      [data: Tensor | null, requires_grad: boolean],
      { data?: Tensor | null; requires_grad?: boolean }
    >
  ) {
    const { data, requires_grad } = parseArgs("Parameter", args, ["data", "requires_grad"], {
      data: null as Tensor | null,
      requires_grad: true,
    });
    const src = data ?? empty(0);
    if (!(src instanceof Tensor)) {
      throw new TypeError(
        `Parameter(): data must be a Tensor, got ${src === null ? "None" : typeof src}`,
      );
    }
    super(src._storage, src.shape, src._strides, src._offset, src.dtype);
    if (requires_grad) this.requires_grad_(true);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
