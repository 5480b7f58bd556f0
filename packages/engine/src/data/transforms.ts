/**
 * `torchvision.transforms` for tensors: `Compose`, `Normalize`, `Lambda`. Each transform is a
 * callable object, `new transforms.Normalize([0.5], [0.5])(x)`, as in torchvision.
 */

import { tensor } from "../creation.js";
import { Tensor } from "../tensor.js";

/** A callable object: `t(x)` runs `t.__call__(x)`. */
export interface Transform<I = Tensor, O = Tensor> {
  (x: I): O;
  __call__(x: I): O;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface adds the call signature.
export class Transform<I = Tensor, O = Tensor> {
  constructor() {
    const call = (x: I): O => (call as unknown as Transform<I, O>).__call__(x);
    Object.setPrototypeOf(call, new.target.prototype);
    // biome-ignore lint/correctness/noConstructorReturn: makes the instance callable, as torchvision's.
    return call as unknown as Transform<I, O>;
  }

  __call__(_x: I): O {
    throw new Error(`${this.constructor.name} must implement __call__(x)`);
  }

  /** torchvision's repr (not the source of the function behind the instance). */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}
// Instances are functions, so keep Function.prototype's call/apply/bind on the chain.
Object.setPrototypeOf(Transform.prototype, Function.prototype);

/** Any one-argument function or transform; `Compose` checks nothing about the types between them. */
type AnyTransform = (x: never) => unknown;

/** Apply transforms in order: `new Compose([t1, t2])(x)` is `t2(t1(x))`. */
export class Compose<I = Tensor, O = Tensor> extends Transform<I, O> {
  readonly transforms: AnyTransform[];

  constructor(transforms: readonly AnyTransform[]) {
    super();
    if (!Array.isArray(transforms)) throw new TypeError("Compose expects an array of transforms");
    this.transforms = [...transforms];
  }

  override __call__(x: I): O {
    let out: unknown = x;
    for (const t of this.transforms) out = (t as (v: unknown) => unknown)(out);
    return out as O;
  }

  override toString(): string {
    return `Compose(\n${this.transforms.map((t) => `    ${String(t)}`).join("\n")}\n)`;
  }
}

/** Wrap a function as a transform: `new Lambda((x) => x.flatten())`. */
export class Lambda<I = Tensor, O = Tensor> extends Transform<I, O> {
  readonly lambd: (x: I) => O;

  constructor(lambd: (x: I) => O) {
    super();
    if (typeof lambd !== "function") {
      throw new TypeError(`Argument lambd should be callable, got '${typeof lambd}'`);
    }
    this.lambd = lambd;
  }

  override __call__(x: I): O {
    return this.lambd(x);
  }

  override toString(): string {
    return "Lambda()";
  }
}

type Stats = number | readonly number[] | Tensor;

/**
 * `(x - mean) / std` per channel. Images `[C, H, W]` and batches `[N, C, H, W]` (anything with
 * 3 or more dims) are normalized along dim -3, as torchvision does. Tabular data, a vector `[F]`
 * or a batch `[N, F]`, is normalized per feature along the last dim. A single mean/std value
 * applies to every channel.
 */
export class Normalize extends Transform {
  readonly mean: number[];
  readonly std: number[];
  readonly inplace: boolean;

  constructor(mean: Stats, std: Stats, inplace: boolean | { inplace?: boolean } = false) {
    super();
    this.mean = statsValues(mean);
    this.std = statsValues(std);
    this.inplace = typeof inplace === "object" ? (inplace.inplace ?? false) : inplace;
  }

  override __call__(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) {
      throw new TypeError(`img should be Tensor. Got ${typeof x}`);
    }
    if (!x.is_floating_point()) {
      throw new TypeError(`Input tensor should be a float tensor. Got ${x.dtype}.`);
    }
    if (x.ndim === 0) {
      throw new RangeError(
        "Expected tensor to be a tensor image of size (..., C, H, W) or features (..., F). Got tensor.size() = []",
      );
    }
    if (this.std.some((s) => Math.fround(s) === 0)) {
      throw new RangeError(
        "std evaluated to zero after conversion to float32, leading to division by zero.",
      );
    }
    const image = x.ndim >= 3;
    const dim = image ? x.ndim - 3 : x.ndim - 1;
    const channels = x.shape[dim];
    for (const [name, v] of [
      ["mean", this.mean],
      ["std", this.std],
    ] as const) {
      if (v.length !== 1 && v.length !== channels) {
        throw new RangeError(
          `Normalize: ${name} has ${v.length} values but the input [${x.shape.join(", ")}] has ${channels} ${image ? "channels (dim -3)" : "features (last dim)"}`,
        );
      }
    }
    const shape = image ? [-1, 1, 1] : [-1];
    const mean = tensor(this.mean, { device: x.device }).reshape(shape);
    const std = tensor(this.std, { device: x.device }).reshape(shape);
    return this.inplace ? x.sub_(mean).div_(std) : x.sub(mean).div(std);
  }

  override toString(): string {
    return `Normalize(mean=[${this.mean.join(", ")}], std=[${this.std.join(", ")}])`;
  }
}

function statsValues(v: Stats): number[] {
  if (typeof v === "number") return [v];
  if (v instanceof Tensor) return Array.from(v.detach().float().reshape(-1).dataSync());
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
    throw new TypeError("Normalize: mean and std must be numbers or arrays of numbers");
  }
  return [...v];
}
