/**
 * `torch.add(a, b)` and friends: PyTorch's free functions, each the method of its first argument.
 */

import { type PyArgs, parseArgs } from "./args.js";
import { getBackend } from "./device.js";
import { scalarResultType } from "./dtype.js";
import type { TensorOrScalar } from "./ops.js";
import * as ops from "./ops.js";
import { normalizeDim } from "./shape.js";
import { liveStorageCount } from "./storage.js";
import { Tensor } from "./tensor.js";

type ReduceArgs = Parameters<Tensor["sum"]>;

/** A scalar first argument as a 0-d tensor, with the dtype PyTorch gives it next to `like`. */
function asTensor(x: TensorOrScalar, like: TensorOrScalar): Tensor {
  if (x instanceof Tensor) return x;
  if (like instanceof Tensor) return ops.scalarTensor(x, scalarResultType(like.dtype, x), like);
  throw new TypeError("expected a tensor argument");
}

/** `2 - x`: a number first stays a number, for the ops' scalar kernel (null: not that case). */
function scalarFirst(
  op: "add" | "sub" | "mul" | "div",
  input: TensorOrScalar,
  other: TensorOrScalar,
  alpha = 1,
): Tensor | null {
  if (input instanceof Tensor || !(other instanceof Tensor) || alpha !== 1) return null;
  return ops.binary(op, input, other);
}

export const add = (input: TensorOrScalar, other: TensorOrScalar, opts?: { alpha?: number }) =>
  scalarFirst("add", input, other, opts?.alpha) ?? asTensor(input, other).add(other, opts);
export const sub = (input: TensorOrScalar, other: TensorOrScalar, opts?: { alpha?: number }) =>
  scalarFirst("sub", input, other, opts?.alpha) ?? asTensor(input, other).sub(other, opts);
export const mul = (input: TensorOrScalar, other: TensorOrScalar) =>
  scalarFirst("mul", input, other) ?? asTensor(input, other).mul(other);
export const div = (input: TensorOrScalar, other: TensorOrScalar) =>
  scalarFirst("div", input, other) ?? asTensor(input, other).div(other);
export const pow = (input: TensorOrScalar, exponent: TensorOrScalar) =>
  asTensor(input, exponent).pow(exponent);
export const maximum = (input: Tensor, other: Tensor) => input.maximum(other);
export const minimum = (input: Tensor, other: Tensor) => input.minimum(other);
export const eq = (input: Tensor, other: TensorOrScalar) => input.eq(other);
export const ne = (input: Tensor, other: TensorOrScalar) => input.ne(other);
export const lt = (input: Tensor, other: TensorOrScalar) => input.lt(other);
export const le = (input: Tensor, other: TensorOrScalar) => input.le(other);
export const gt = (input: Tensor, other: TensorOrScalar) => input.gt(other);
export const ge = (input: Tensor, other: TensorOrScalar) => input.ge(other);
export const logical_and = (input: Tensor, other: TensorOrScalar) => input.logical_and(other);
export const logical_or = (input: Tensor, other: TensorOrScalar) => input.logical_or(other);
export const logical_not = (input: Tensor) => input.logical_not();

export const neg = (x: Tensor) => x.neg();
export const exp = (x: Tensor) => x.exp();
export const log = (x: Tensor) => x.log();
export const sqrt = (x: Tensor) => x.sqrt();
export const rsqrt = (x: Tensor) => x.rsqrt();
export const abs = (x: Tensor) => x.abs();
export const sign = (x: Tensor) => x.sign();
export const square = (x: Tensor) => x.square();
export const sin = (x: Tensor) => x.sin();
export const cos = (x: Tensor) => x.cos();
export const floor = (x: Tensor) => x.floor();
export const ceil = (x: Tensor) => x.ceil();
export const round = (x: Tensor) => x.round();
export const tanh = (x: Tensor) => x.tanh();
export const sigmoid = (x: Tensor) => x.sigmoid();
export const relu = (x: Tensor) => x.relu();
export const erf = (x: Tensor) => x.erf();
export const clamp = (x: Tensor, ...args: Parameters<Tensor["clamp"]>) => x.clamp(...args);
export const clip = clamp;

/** `torch.where(condition, input, other)`. */
export const where = (condition: Tensor, input: TensorOrScalar, other: TensorOrScalar) =>
  ops.where(condition, input, other);

export const matmul = (input: Tensor, other: Tensor) => input.matmul(other);
export const mm = (input: Tensor, other: Tensor) => input.mm(other);
export const bmm = (input: Tensor, other: Tensor) => input.bmm(other);
export const dot = (input: Tensor, other: Tensor) => input.dot(other);

export const sum = (x: Tensor, ...args: ReduceArgs) => x.sum(...args);
export const mean = (x: Tensor, ...args: ReduceArgs) => x.mean(...args);
export const amax = (x: Tensor, ...args: ReduceArgs) => x.amax(...args);
export const amin = (x: Tensor, ...args: ReduceArgs) => x.amin(...args);
export const logsumexp = (x: Tensor, ...args: Parameters<Tensor["logsumexp"]>) =>
  x.logsumexp(...args);
export const var_ = (x: Tensor, ...args: Parameters<Tensor["var"]>) => x.var(...args);
export const std = (x: Tensor, ...args: Parameters<Tensor["std"]>) => x.std(...args);
export const prod = (x: Tensor, ...args: Parameters<Tensor["prod"]>) => x.prod(...args);
export const argmax = (x: Tensor, ...args: Parameters<Tensor["argmax"]>) => x.argmax(...args);
export const argmin = (x: Tensor, ...args: Parameters<Tensor["argmin"]>) => x.argmin(...args);
export function max(x: Tensor): Tensor;
export function max(
  x: Tensor,
  dim: number | { dim: number; keepdim?: boolean },
  keepdim?: boolean,
): { values: Tensor; indices: Tensor };
export function max(x: Tensor, other: Tensor): Tensor;
export function max(
  x: Tensor,
  arg?: number | Tensor | { dim: number; keepdim?: boolean },
  keepdim?: boolean,
) {
  if (arg === undefined) return x.max();
  if (arg instanceof Tensor) return x.max(arg);
  return typeof arg === "number" ? x.max(arg, keepdim) : x.max(arg);
}
export function min(x: Tensor): Tensor;
export function min(
  x: Tensor,
  dim: number | { dim: number; keepdim?: boolean },
  keepdim?: boolean,
): { values: Tensor; indices: Tensor };
export function min(x: Tensor, other: Tensor): Tensor;
export function min(
  x: Tensor,
  arg?: number | Tensor | { dim: number; keepdim?: boolean },
  keepdim?: boolean,
) {
  if (arg === undefined) return x.min();
  if (arg instanceof Tensor) return x.min(arg);
  return typeof arg === "number" ? x.min(arg, keepdim) : x.min(arg);
}
export const all = (x: Tensor) => x.all();
export const any = (x: Tensor) => x.any();
export const softmax = (x: Tensor, dim: number | { dim: number }) => x.softmax(dim);
export const log_softmax = (x: Tensor, dim: number | { dim: number }) => x.log_softmax(dim);

export const reshape = (x: Tensor, ...args: Parameters<Tensor["reshape"]>) => x.reshape(...args);
export const flatten = (x: Tensor, ...args: Parameters<Tensor["flatten"]>) => x.flatten(...args);
export const unflatten = (x: Tensor, ...args: Parameters<Tensor["unflatten"]>) =>
  x.unflatten(...args);
export const squeeze = (x: Tensor, ...args: Parameters<Tensor["squeeze"]>) => x.squeeze(...args);
export const unsqueeze = (x: Tensor, ...args: Parameters<Tensor["unsqueeze"]>) =>
  x.unsqueeze(...args);
export const transpose = (x: Tensor, ...args: Parameters<Tensor["transpose"]>) =>
  x.transpose(...args);
export const swapaxes = (x: Tensor, ...args: Parameters<Tensor["swapaxes"]>) => x.swapaxes(...args);
export const permute = (x: Tensor, ...args: Parameters<Tensor["permute"]>) => x.permute(...args);
export const t = (x: Tensor) => x.t();
export const gather = (x: Tensor, ...args: Parameters<Tensor["gather"]>) => x.gather(...args);
export const index_select = (x: Tensor, ...args: Parameters<Tensor["index_select"]>) =>
  x.index_select(...args);
export const narrow = (x: Tensor, ...args: Parameters<Tensor["narrow"]>) => x.narrow(...args);
export const select = (x: Tensor, ...args: Parameters<Tensor["select"]>) => x.select(...args);
/** `torch.split(x, split_size_or_sections, dim)`: chunks of one size, or pieces of given sizes. */
export function split(
  x: Tensor,
  ...args: PyArgs<
    [split_size_or_sections: number | readonly number[], dim: number],
    { split_size_or_sections?: number | readonly number[]; dim?: number }
  >
): Tensor[] {
  const o = parseArgs("split", args, ["split_size_or_sections", "dim"], {
    split_size_or_sections: undefined as number | readonly number[] | undefined,
    dim: 0,
  });
  if (o.split_size_or_sections === undefined) {
    throw new TypeError("split() missing required argument 'split_size_or_sections'");
  }
  return x.split(o.split_size_or_sections, o.dim);
}
export const chunk = (x: Tensor, ...args: Parameters<Tensor["chunk"]>) => x.chunk(...args);
export const unbind = (x: Tensor, ...args: Parameters<Tensor["unbind"]>) => x.unbind(...args);
export const clone = (x: Tensor) => x.clone();
export const detach = (x: Tensor) => x.detach();
export const numel = (x: Tensor) => x.numel();
export const is_tensor = (x: unknown): x is Tensor => x instanceof Tensor;
export const allclose = (a: Tensor, b: Tensor, opts?: { rtol?: number; atol?: number }) =>
  a.allclose(b, opts);
export const equal = (a: Tensor, b: Tensor) => a.equal(b);

/** Join tensors along an existing dim. */
export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return ops.cat(tensors, typeof dim === "number" ? dim : (dim.dim ?? 0));
}
export const concat = cat;

/** Join tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  const d = typeof dim === "number" ? dim : (dim.dim ?? 0);
  if (tensors.length === 0) throw new Error("stack expects a non-empty TensorList");
  tensors.forEach((x, i) => {
    if (x.shape.join() !== tensors[0].shape.join()) {
      throw new Error(
        `stack expects each tensor to be equal size, but got [${tensors[0].shape.join(", ")}] at entry 0 and [${x.shape.join(", ")}] at entry ${i}`,
      );
    }
  });
  const at = normalizeDim(d, tensors[0].ndim + 1);
  return ops.cat(
    tensors.map((x) => x.unsqueeze(at)),
    at,
    "StackBackward0",
  );
}

/** Live tensors' memory on a device: `{ tensors, bytes }`. Freed memory returns as soon as the program drops a tensor. */
export function memory(device?: string): { tensors: number; buffers: number; bytes: number } {
  const m = getBackend(device).memory();
  return { tensors: liveStorageCount(), buffers: m.buffers, bytes: m.bytes };
}

/**
 * Release the memory a device keeps for reuse, as `torch.cuda.empty_cache()` does: the GPU's
 * idle buffer pool goes back to the driver. Live tensors are untouched.
 */
export function empty_cache(device?: string): void {
  getBackend(device).emptyCache?.();
}
