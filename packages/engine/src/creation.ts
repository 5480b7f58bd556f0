/** Making tensors: torch.tensor, zeros, ones, full, arange, linspace, eye, rand, randn, ... */

import { sizeOf } from "@gradbook/kernels";
import { isOptions } from "./args.js";
import { getBackend } from "./device.js";
import { type DType, storageDType } from "./dtype.js";
import { default_generator, type Generator, randomTensor, randpermData } from "./random.js";
import { inferShape, type Shape } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";

export interface TensorOptions {
  dtype?: DType;
  device?: string;
  requires_grad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

type Data = NestedArray | bigint | readonly Data[] | ArrayLike<number> | BigInt64Array;
type SizeAndOptions<O> = (number | readonly number[] | O)[];

function finish(t: Tensor, opts: TensorOptions): Tensor {
  return opts.requires_grad ? t.requires_grad_(true) : t;
}

function fromArray(
  data: Float32Array | Int32Array | Uint8Array,
  shape: Shape,
  dtype: DType,
  device?: string,
): Tensor {
  const backend = getBackend(device);
  return Tensor._fromBuffer(backend.upload(data), shape, dtype, backend);
}

function arrayFor(dtype: DType, values: ArrayLike<number>): Float32Array | Int32Array | Uint8Array {
  const sd = storageDType(dtype);
  if (sd === "float32") return Float32Array.from(values);
  if (sd === "int32") {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) throw new RangeError(`cannot convert ${v} to int64`);
      out[i] = Math.trunc(v);
    }
    return out;
  }
  return Uint8Array.from(values, (v) => (v ? 1 : 0));
}

/**
 * `torch.tensor(data, { dtype, requires_grad, device })` from nested arrays, typed arrays or a
 * number. JavaScript has one number type, so numbers make float32 tensors (PyTorch's `1.`);
 * integer labels come from `{ dtype: torch.int64 }`, bigints (`[1n, 2n]`), or an Int32Array.
 */
export function tensor(data: Data | Tensor, opts: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) {
    return finish(
      data
        .detach()
        .to({ dtype: opts.dtype ?? data.dtype, device: opts.device ?? data.device })
        .clone(),
      opts,
    );
  }
  const flat: (number | boolean | bigint)[] = [];
  const shape: number[] = [];
  // The dtype each kind of leaf asks for; the result is the highest (bool < int64 < float32).
  let sawBool = false;
  let sawInt = false;
  let sawFloat = false;
  /** The depth at which scalars sit (all of them must sit at the same depth). */
  let leafDepth = -1;
  const leaf = (x: unknown, depth: number, kind: "float" | "int" | null): void => {
    if (depth < shape.length || (leafDepth >= 0 && depth !== leafDepth)) {
      throw new Error(`expected a sequence at dim ${depth} (got ${String(x)})`);
    }
    leafDepth = depth;
    if (kind === "float" || (kind === null && typeof x === "number")) sawFloat = true;
    else if (kind === "int" || typeof x === "bigint") sawInt = true;
    else if (typeof x === "boolean") sawBool = true;
    else throw new TypeError(`Could not infer dtype of ${x === null ? "null" : typeof x}`);
    flat.push(x as number | boolean | bigint);
  };
  const visit = (x: unknown, depth: number): void => {
    if (!Array.isArray(x) && !ArrayBuffer.isView(x)) {
      leaf(x, depth, null);
      return;
    }
    if (leafDepth >= 0 && depth >= leafDepth) {
      throw new Error(`expected a number at dim ${depth} (got a sequence)`);
    }
    const arr = x as ArrayLike<unknown>;
    if (depth === shape.length) shape.push(arr.length);
    else if (shape[depth] !== arr.length) {
      throw new Error(
        `expected sequence of length ${shape[depth]} at dim ${depth} (got ${arr.length})`,
      );
    }
    if (ArrayBuffer.isView(x)) {
      // A typed array's elements are all of its own kind (Int32Array, Uint8Array: integers).
      const kind = x instanceof Float32Array || x instanceof Float64Array ? "float" : "int";
      for (let i = 0; i < arr.length; i++) leaf(arr[i], depth + 1, kind);
      return;
    }
    for (let i = 0; i < arr.length; i++) visit(arr[i], depth + 1);
  };
  visit(data, 0);
  if (flat.length !== shape.reduce((p, d) => p * d, 1)) {
    throw new Error(`expected a sequence of shape [${shape.join(", ")}] (got ragged nesting)`);
  }
  const inferred: DType = sawFloat ? "float32" : sawInt ? "int64" : sawBool ? "bool" : "float32";
  const dtype = opts.dtype ?? inferred;
  const values = flat.map((v) => Number(v));
  return finish(fromArray(arrayFor(dtype, values), shape, dtype, opts.device), opts);
}

/** Split `f(2, 3, { dtype })` / `f([2, 3], { dtype })` into a shape and options. */
function sizeAndOptions<O extends object>(args: SizeAndOptions<O>): [number[], O] {
  const last = args[args.length - 1];
  const opts = (isOptions(last) ? last : {}) as O;
  const dims = (isOptions(last) ? args.slice(0, -1) : args) as (number | readonly number[])[];
  const shape =
    dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as number[])] : (dims as number[]);
  shape.forEach((d) => {
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`Trying to create tensor with invalid size ${d}`);
  });
  return [shape, opts];
}

export function full(
  size: readonly number[],
  fill_value: number | boolean,
  opts: TensorOptions = {},
): Tensor {
  const dtype = opts.dtype ?? (typeof fill_value === "boolean" ? "bool" : "float32");
  const backend = getBackend(opts.device);
  const buf = backend.fill(storageDType(dtype), sizeOf(size), Number(fill_value));
  return finish(Tensor._fromBuffer(buf, size, dtype, backend), opts);
}

/** `torch.zeros(2, 3)`, `torch.zeros([2, 3], { dtype: torch.int64 })`. */
export function zeros(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = sizeAndOptions(args);
  return full(shape, 0, opts);
}

export function ones(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = sizeAndOptions(args);
  return full(shape, 1, opts);
}

export function empty(...args: SizeAndOptions<TensorOptions>): Tensor {
  return zeros(...args);
}

/** Uniform random numbers in [0, 1). */
export function rand(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [shape, opts] = sizeAndOptions(args);
  const t = randomTensor("uniform", shape, opts.generator, opts.device);
  return finish(opts.dtype && opts.dtype !== "float32" ? t.to(opts.dtype) : t, opts);
}

/** Standard normal random numbers. */
export function randn(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [shape, opts] = sizeAndOptions(args);
  return finish(randomTensor("normal", shape, opts.generator, opts.device), opts);
}

/** `torch.randint(high, size)` or `torch.randint(low, high, size)`: int64 in [low, high). */
export function randint(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const last = args[args.length - 1];
  const opts = (isOptions(last) ? last : {}) as RandomOptions;
  const pos = (isOptions(last) ? args.slice(0, -1) : args) as (number | number[])[];
  const [low, high, size] =
    pos.length === 2
      ? [0, pos[0] as number, pos[1] as number[]]
      : (pos as [number, number, number[]]);
  if (!(high > low))
    throw new RangeError(
      `random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`,
    );
  if (!Array.isArray(size))
    throw new TypeError("randint(): size must be an array, e.g. torch.randint(0, 10, [5])");
  const u = randomTensor("uniform", size, opts.generator, opts.device);
  return finish(
    u
      .mul(high - low)
      .floor()
      .add(low)
      .to(opts.dtype ?? "int64"),
    opts,
  );
}

/** A random permutation of 0..n-1 (int64). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  const perm = randpermData(n, opts.generator ?? default_generator);
  return fromArray(perm, [n], "int64", opts.device);
}

/**
 * `torch.arange(end)`, `arange(start, end)`, `arange(start, end, step)`. Integer arguments give
 * int64 (as in PyTorch); any fractional one gives float32.
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  const last = args[args.length - 1];
  const opts = (isOptions(last) ? last : {}) as TensorOptions;
  const nums = (isOptions(last) ? args.slice(0, -1) : args) as number[];
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RangeError("step must be nonzero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? (nums.every(Number.isInteger) ? "int64" : "float32");
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return finish(fromArray(arrayFor(dtype, values), [n], dtype, opts.device), opts);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(
  start: number,
  end: number,
  steps: number,
  opts: TensorOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError("number of steps must be non-negative");
  const dtype = opts.dtype ?? "float32";
  // As PyTorch's kernel: in the output's precision (float32, or double for integers), with the
  // second half filled from the end so that the last value is exactly `end`.
  const r = dtype === "float32" ? Math.fround : (v: number) => v;
  const s0 = r(start);
  const e0 = r(end);
  const step = steps > 1 ? r(r(e0 - s0) / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  const values =
    steps === 1
      ? [s0]
      : Array.from({ length: steps }, (_, i) =>
          i < half ? r(s0 + r(step * i)) : r(e0 - r(step * (steps - 1 - i))),
        );
  return finish(fromArray(arrayFor(dtype, values), [steps], dtype, opts.device), opts);
}

/** The identity matrix (n x m). */
export function eye(n: number, m: number | TensorOptions = n, opts: TensorOptions = {}): Tensor {
  const cols = typeof m === "number" ? m : n;
  const o = typeof m === "number" ? opts : m;
  const values = new Float32Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
  const dtype = o.dtype ?? "float32";
  return finish(fromArray(arrayFor(dtype, values), [n, cols], dtype, o.device), o);
}

function likeOpts(t: Tensor, opts: TensorOptions): TensorOptions {
  return { dtype: t.dtype, device: t.device, ...opts };
}

export function zeros_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 0, likeOpts(t, opts));
}
export function ones_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 1, likeOpts(t, opts));
}
export function empty_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros_like(t, opts);
}
export function full_like(t: Tensor, fill_value: number, opts: TensorOptions = {}): Tensor {
  return full(t.shape, fill_value, likeOpts(t, opts));
}
export function rand_like(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand([...t.shape], { device: t.device, ...opts });
}
export function randn_like(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn([...t.shape], { device: t.device, ...opts });
}

/** @internal A tensor over existing typed data (used by io and data loading). */
export function fromTypedArray(
  data: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  dtype: DType,
  device?: string,
): Tensor {
  inferShape(shape, data.length);
  return fromArray(data, shape, dtype, device);
}
