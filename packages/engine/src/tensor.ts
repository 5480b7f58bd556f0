import {
  type AnyTypedArray,
  type Backend,
  type BackendBuffer,
  contiguousStrides,
  sizeOf,
  type View,
} from "@gradbook/kernels";
import { isOptions, type PyArgs, parseArgs } from "./args.js";
import { type AccumulateGrad, is_grad_enabled, Node, runBackward } from "./autograd.js";
import { getBackend } from "./device.js";
import { type DType, fromStorageDType, isFloating } from "./dtype.js";
import { formatTensor } from "./format.js";
import type { DimSelection, Scalar, TensorOrScalar } from "./ops.js";
import * as ops from "./ops.js";
import { randomLike } from "./random.js";
import { readbackPoint } from "./scheduler.js";
import {
  inferShape,
  normalizeDim,
  normalizeDims,
  type Shape,
  shapeStr,
  sizeArgs,
  viewStrides,
} from "./shape.js";
import { freeTemporaries, Storage } from "./storage.js";

export type Dims = number | number[];
export type NestedArray = number | boolean | NestedArray[];
/** One index of `x.index(...)`: an int, a slice string like "1:3" / ":" / "::2", "..." or null (new axis), or an int64 tensor. */
export type IndexSpec = number | string | null | Tensor;

interface DimOpts {
  dim?: Dims | null;
  keepdim?: boolean;
}

/**
 * A multi-dimensional array on a device, with PyTorch's API: `x.matmul(w).add(b).relu()`.
 * Shape and dtype are known at once; the numbers are read with `await x.tolist()`.
 */
export class Tensor {
  /** @internal */ _storage: Storage;
  /** @internal */ _strides: readonly number[];
  /** @internal */ _offset: number;
  /** @internal */ _accumulator: AccumulateGrad | null = null;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The gradient accumulated by `backward()` (leaves, and tensors that called `retain_grad()`). */
  grad: Tensor | null = null;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  /** For views: the tensor whose storage this one reads. */
  private _base: Tensor | null = null;

  /** @internal Use torch.tensor(), torch.zeros() and friends. */
  constructor(
    storage: Storage,
    shape: Shape,
    strides: readonly number[],
    offset: number,
    dtype: DType,
  ) {
    this._storage = storage;
    this.shape = Object.freeze([...shape]);
    this._strides = strides;
    this._offset = offset;
    this.dtype = dtype;
  }

  /** @internal A new tensor owning `buffer`. */
  static _fromBuffer(buffer: BackendBuffer, shape: Shape, dtype: DType, backend: Backend): Tensor {
    if (
      fromStorageDType(buffer.dtype) !== dtype &&
      !(dtype === "int64" && buffer.dtype === "int32")
    ) {
      throw new Error(`internal: buffer of ${buffer.dtype} for a ${dtype} tensor`);
    }
    return new Tensor(new Storage(backend, buffer), shape, contiguousStrides(shape), 0, dtype);
  }

  /** @internal A view of `base`'s storage (no gradient recorded; ops.view does that). */
  static _viewOf(base: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
    const t = new Tensor(base._storage, shape, strides, offset, base.dtype);
    t._base = base._base ?? base;
    return t;
  }

  // ------------------------------------------------------------ properties

  get ndim(): number {
    return this.shape.length;
  }

  get device(): string {
    return this._storage.backend.name;
  }

  /** @internal */
  get _backend(): Backend {
    return this._storage.backend;
  }

  /** @internal Bumped by in-place writes; autograd checks it. */
  get _version(): number {
    return this._storage.version;
  }

  get requires_grad(): boolean {
    return this._requiresGrad;
  }

  set requires_grad(value: boolean) {
    this.requires_grad_(value);
  }

  get grad_fn(): Node | null {
    return this._gradFn;
  }

  /** Leaves are tensors the user made (not results of recorded ops). */
  get is_leaf(): boolean {
    return this._gradFn === null;
  }

  /** @internal */
  _setGradFn(node: Node): void {
    this._gradFn = node;
    this._requiresGrad = true;
  }

  /** @internal The view of this tensor's storage. */
  _view(): View {
    return { shape: this.shape, strides: this._strides, offset: this._offset };
  }

  /** @internal The storage buffer, when this tensor is exactly all of it in row-major order. */
  _buffer(): BackendBuffer {
    const buf = this._storage.buffer;
    if (!this._isDense(buf)) throw new Error("internal: _buffer() of a non-dense tensor");
    return buf;
  }

  /** @internal Whether this tensor is exactly all of `buf` (its storage's) in row-major order. */
  _isDense(buf: BackendBuffer = this._storage.buffer): boolean {
    return this._offset === 0 && buf.size === this.numel() && this.is_contiguous();
  }

  numel(): number {
    return sizeOf(this.shape);
  }

  /** `x.size()` is the shape; `x.size(d)` one dim of it. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[normalizeDim(dim, this.ndim)];
  }

  dim(): number {
    return this.ndim;
  }

  element_size(): number {
    return this.dtype === "bool" ? 1 : this.dtype === "int64" ? 8 : 4;
  }

  is_contiguous(): boolean {
    let expected = 1;
    for (let i = this.ndim - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this._strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  is_floating_point(): boolean {
    return isFloating(this.dtype);
  }

  // ------------------------------------------------------------ autograd

  requires_grad_(requires_grad = true): this {
    if (!this.is_leaf) {
      if (requires_grad) return this; // a non-leaf already requires grad
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (requires_grad && !isFloating(this.dtype)) {
      throw new Error(
        `only Tensors of floating point and complex dtype can require gradients (this tensor is ${this.dtype}; convert it with .float() first)`,
      );
    }
    this._requiresGrad = requires_grad;
    return this;
  }

  /** Compute the gradient of this tensor with respect to the graph leaves. */
  backward(
    ...args: PyArgs<
      [gradient: Tensor | null, retain_graph: boolean],
      { gradient?: Tensor | null; retain_graph?: boolean }
    >
  ): void {
    const { gradient, retain_graph } = parseArgs("backward", args, ["gradient", "retain_graph"], {
      gradient: null as Tensor | null,
      retain_graph: false,
    });
    if (!this._requiresGrad) {
      throw new Error("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    if (!gradient && this.numel() !== 1) {
      throw new Error("grad can be implicitly created only for scalar outputs");
    }
    if (gradient && gradient.shape.join() !== this.shape.join()) {
      throw new Error(
        `Mismatch in shape: grad_output[0] has a shape of ${shapeStr(gradient.shape)} and output[0] has a shape of ${shapeStr(this.shape)}.`,
      );
    }
    // Every intermediate gradient is freed at the end; only the `.grad`s stored survive.
    freeTemporaries(
      () => {
        const g = gradient ?? ops.scalarTensor(1, "float32", this).expand(this.shape as number[]);
        return runBackward(ops.gradEdge(this), g, retain_graph);
      },
      (stored) => stored.flatMap((t) => (t.grad ? [t.grad._storage] : [])),
    );
  }

  /** Keep `.grad` for this non-leaf tensor after backward. */
  retain_grad(): void {
    if (this._gradFn) this._gradFn.retained = this;
  }

  /** The same data, cut off from the graph. */
  detach(): Tensor {
    // Shares memory (and its version counter) but is no autograd view: writes into it never
    // re-route the gradient of the tensor it came from.
    return new Tensor(this._storage, this.shape, this._strides, this._offset, this.dtype);
  }

  detach_(): this {
    this._gradFn = null;
    this._requiresGrad = false;
    return this;
  }

  // ------------------------------------------------------------ readback

  /** The elements, flat and row-major, as a typed array (int64 as Int32Array). */
  async data(): Promise<Float32Array | Int32Array | Uint8Array> {
    await readbackPoint();
    const c = this._denseTensor();
    return (await this._backend.read(c._storage.buffer)) as AnyTypedArray;
  }

  /** The elements synchronously, on backends that can (js, wasm); GPU backends say to await `data()`. */
  dataSync(): Float32Array | Int32Array | Uint8Array {
    if (!this._backend.syncReadback) {
      throw new Error(
        `dataSync(): the ${this.device} backend can only read asynchronously; use \`await x.data()\`, \`await x.tolist()\` or \`await x.item()\`.`,
      );
    }
    return this._backend.readSync(this._denseTensor()._storage.buffer);
  }

  private _denseTensor(): Tensor {
    return this._isDense(this._storage.buffer) ? this : ops.contiguousCopy(this.detach());
  }

  /** The value of a one-element tensor as a JavaScript number (or boolean). */
  async item(): Promise<number> {
    this._checkItem();
    return toScalar(this.dtype, (await this.data())[0]) as number;
  }

  itemSync(): number {
    this._checkItem();
    return toScalar(this.dtype, this.dataSync()[0]) as number;
  }

  private _checkItem(): void {
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
  }

  /** The elements as nested arrays, like PyTorch's `tolist()`. */
  async tolist(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  tolistSync(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** PyTorch's printed form, e.g. `tensor([[1., 2.]], requires_grad=True)` (sync backends). */
  toString(): string {
    return formatTensor(this);
  }

  /** `console.log(x)` in Node prints what PyTorch's `print(x)` does. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }

  // ------------------------------------------------------------ memory

  /** Free this tensor's memory now (experts: memory is otherwise freed automatically). */
  dispose(): void {
    this._storage.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ------------------------------------------------------------ conversion

  /** `x.to("float32")`, `x.to("wasm")`, `x.to({ dtype, device })`. */
  to(...args: PyArgs<[target: string], { dtype?: DType; device?: string }>): Tensor {
    const first = args[0];
    if (typeof first === "string") {
      if (first === "float32" || first === "int64" || first === "bool")
        return ops.toDType(this, first);
      return this._toDevice(first);
    }
    const { dtype, device } = parseArgs("to", args, ["dtype", "device"] as const, {
      dtype: undefined as DType | undefined,
      device: undefined as string | undefined,
    });
    let t: Tensor = this;
    if (dtype) t = ops.toDType(t, dtype);
    if (device) t = t._toDevice(device);
    return t;
  }

  private _toDevice(device: string): Tensor {
    const target = getBackend(device);
    if (target === this._backend) return this;
    if (!this._backend.syncReadback) {
      // A GPU answers later, and `to` must return now: the copy goes through the host.
      throw new Error(
        `x.to("${device}"): a tensor on ${this.device} can only be read asynchronously, so it can't move to another device synchronously; copy it through the host instead: \`torch.tensor(await x.tolist(), { device: "${device}" })\``,
      );
    }
    const src = this._denseTensor();
    const data = src._backend.readSync(src._storage.buffer);
    const out = Tensor._fromBuffer(target.upload(data), this.shape, this.dtype, target);
    const home = this.device;
    return ops.record(out, "ToCopyBackward0", [this], (g) => [g._toDevice(home)]);
  }

  float(): Tensor {
    return ops.toDType(this, "float32");
  }

  long(): Tensor {
    return ops.toDType(this, "int64");
  }

  int(): Tensor {
    return ops.toDType(this, "int64");
  }

  bool(): Tensor {
    return ops.toDType(this, "bool");
  }

  type_as(other: Tensor): Tensor {
    return ops.toDType(this, other.dtype);
  }

  clone(): Tensor {
    return ops.contiguousCopy(this);
  }

  /** This tensor if its elements are laid out in row-major order (a view may be), else a copy. */
  contiguous(): Tensor {
    return this.is_contiguous() ? this : ops.contiguousCopy(this, "CloneBackward0");
  }

  /**
   * @internal This tensor if it is exactly all of its storage in row-major order (what kernels
   * read), else a contiguous copy (recorded for autograd, like `contiguous()`).
   */
  _dense(): Tensor {
    return this._isDense(this._storage.buffer) ? this : ops.contiguousCopy(this, "CloneBackward0");
  }

  // ------------------------------------------------------------ elementwise

  add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor {
    const alpha = opts?.alpha ?? 1;
    return ops.binary("add", this, alpha === 1 ? other : ops.binary("mul", other, alpha));
  }
  sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor {
    const alpha = opts?.alpha ?? 1;
    return ops.binary("sub", this, alpha === 1 ? other : ops.binary("mul", other, alpha));
  }
  mul(other: TensorOrScalar): Tensor {
    return ops.binary("mul", this, other);
  }
  div(other: TensorOrScalar): Tensor {
    return ops.binary("div", this, other);
  }
  /** `x.pow(2)` or `x.pow(t)`. */
  pow(exponent: TensorOrScalar): Tensor {
    if (typeof exponent === "number" && isFloating(this.dtype))
      return ops.unary("pow_scalar", this, [exponent]);
    return ops.binary("pow", this, exponent);
  }
  maximum(other: Tensor): Tensor {
    return ops.binary("maximum", this, other);
  }
  minimum(other: Tensor): Tensor {
    return ops.binary("minimum", this, other);
  }
  eq(other: TensorOrScalar): Tensor {
    return ops.binary("eq", this, other);
  }
  ne(other: TensorOrScalar): Tensor {
    return ops.binary("ne", this, other);
  }
  lt(other: TensorOrScalar): Tensor {
    return ops.binary("lt", this, other);
  }
  le(other: TensorOrScalar): Tensor {
    return ops.binary("le", this, other);
  }
  gt(other: TensorOrScalar): Tensor {
    return ops.binary("gt", this, other);
  }
  ge(other: TensorOrScalar): Tensor {
    return ops.binary("ge", this, other);
  }
  logical_and(other: TensorOrScalar): Tensor {
    return ops.binary("logical_and", this, other);
  }
  logical_or(other: TensorOrScalar): Tensor {
    return ops.binary("logical_or", this, other);
  }
  logical_xor(other: TensorOrScalar): Tensor {
    return ops.binary("logical_xor", this, other);
  }
  logical_not(): Tensor {
    return ops.unary("logical_not", this);
  }

  neg(): Tensor {
    return ops.unary("neg", this);
  }
  exp(): Tensor {
    return ops.unary("exp", this.float());
  }
  log(): Tensor {
    return ops.unary("log", this.float());
  }
  sqrt(): Tensor {
    return ops.unary("sqrt", this.float());
  }
  rsqrt(): Tensor {
    return ops.unary("rsqrt", this.float());
  }
  abs(): Tensor {
    return ops.unary("abs", this);
  }
  sign(): Tensor {
    return ops.unary("sign", this);
  }
  square(): Tensor {
    return ops.unary("square", this);
  }
  reciprocal(): Tensor {
    return ops.unary("reciprocal", this.float());
  }
  sin(): Tensor {
    return ops.unary("sin", this.float());
  }
  cos(): Tensor {
    return ops.unary("cos", this.float());
  }
  floor(): Tensor {
    return ops.unary("floor", this);
  }
  ceil(): Tensor {
    return ops.unary("ceil", this);
  }
  round(): Tensor {
    return ops.unary("round", this);
  }
  tanh(): Tensor {
    return ops.unary("tanh", this.float());
  }
  sigmoid(): Tensor {
    return ops.unary("sigmoid", this.float());
  }
  relu(): Tensor {
    return ops.unary("relu", this);
  }
  erf(): Tensor {
    return ops.unary("erf", this.float());
  }
  /** `x.clamp(min, max)`, `x.clamp({ min: 0 })`. */
  clamp(
    ...args: PyArgs<
      [min: number | null, max: number | null],
      { min?: number | null; max?: number | null }
    >
  ): Tensor {
    const { min, max } = parseArgs("clamp", args, ["min", "max"], {
      min: null as number | null,
      max: null as number | null,
    });
    if (min === null && max === null)
      throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
    return ops.unary("clamp", this, [min ?? Number.NaN, max ?? Number.NaN]);
  }
  clip(
    ...args: PyArgs<
      [min: number | null, max: number | null],
      { min?: number | null; max?: number | null }
    >
  ): Tensor {
    return this.clamp(...args);
  }
  /** `cond.where(x, y)` is not PyTorch's order; PyTorch's `x.where(cond, y)` is. */
  where(condition: Tensor, other: TensorOrScalar): Tensor {
    return ops.where(condition, this, other);
  }
  /** `value` where `mask` is true (broadcast), this tensor elsewhere; keeps this dtype. */
  masked_fill(mask: Tensor, value: number | boolean): Tensor {
    if (mask.dtype !== "bool") {
      throw new TypeError(
        `masked_fill only supports boolean masks, but got mask with dtype ${mask.dtype}`,
      );
    }
    const out = ops.where(mask, ops.scalarTensor(value, this.dtype, this), this);
    return out.dtype === this.dtype ? out : out.to(this.dtype);
  }
  lerp(end: Tensor, weight: TensorOrScalar): Tensor {
    return this.add(end.sub(this).mul(weight));
  }

  // ------------------------------------------------------------ matmul

  /** Matrix product with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
  matmul(other: Tensor): Tensor {
    return ops.matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    if (this.ndim !== 2 || other.ndim !== 2) {
      throw new Error(
        `mm: both arguments must be 2-D matrices, but got shapes ${shapeStr(this.shape)} and ${shapeStr(other.shape)}`,
      );
    }
    return this.matmul(other);
  }
  bmm(other: Tensor): Tensor {
    if (this.ndim !== 3 || other.ndim !== 3 || this.shape[0] !== other.shape[0]) {
      throw new Error(
        `bmm: expected two 3-D tensors with the same batch size, but got shapes ${shapeStr(this.shape)} and ${shapeStr(other.shape)}`,
      );
    }
    return this.matmul(other);
  }
  dot(other: Tensor): Tensor {
    if (this.ndim !== 1 || other.ndim !== 1) {
      throw new Error(`1D tensors expected, but got ${this.ndim}D and ${other.ndim}D tensors`);
    }
    return this.matmul(other);
  }

  // ------------------------------------------------------------ reductions

  sum(...args: PyArgs<[dim: Dims | null, keepdim: boolean], DimOpts>): Tensor {
    const { dim, keepdim } = dimArgs("sum", args);
    const dims = normalizeDims(dim, this.ndim);
    return ops.reduce("sum", this, dims, keepdim, dim == null ? "SumBackward0" : "SumBackward1");
  }
  mean(...args: PyArgs<[dim: Dims | null, keepdim: boolean], DimOpts>): Tensor {
    const { dim, keepdim } = dimArgs("mean", args);
    if (!isFloating(this.dtype)) {
      throw new Error(
        `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${this.dtype} (convert with .float() first)`,
      );
    }
    const dims = normalizeDims(dim, this.ndim);
    return ops.mean(this, dims, keepdim, dim == null ? "MeanBackward0" : "MeanBackward1");
  }
  /** Variance with Bessel's correction by default (`unbiased: true`, or `correction: 1`). */
  var(...args: VarArgs): Tensor {
    const { dims, correction, keepdim } = varArgs("var", this, args);
    const n = dims.reduce((p, d) => p * this.shape[d], 1);
    const centered = this.sub(this.mean(dims, true));
    return centered
      .square()
      .sum(dims, keepdim)
      .div(Math.max(0, n - correction));
  }
  std(...args: VarArgs): Tensor {
    return this.var(...args).sqrt();
  }
  amax(...args: PyArgs<[dim: Dims | null, keepdim: boolean], DimOpts>): Tensor {
    const { dim, keepdim } = dimArgs("amax", args);
    return ops.reduce("max", this, normalizeDims(dim, this.ndim), keepdim);
  }
  amin(...args: PyArgs<[dim: Dims | null, keepdim: boolean], DimOpts>): Tensor {
    const { dim, keepdim } = dimArgs("amin", args);
    return ops.reduce("min", this, normalizeDims(dim, this.ndim), keepdim);
  }
  prod(
    ...args: PyArgs<
      [dim: number | null, keepdim: boolean],
      { dim?: number | null; keepdim?: boolean }
    >
  ): Tensor {
    const { dim, keepdim } = dimArgs("prod", args);
    const name = dim == null ? "ProdBackward0" : "ProdBackward1";
    return ops.reduce("prod", this, normalizeDims(dim, this.ndim), keepdim, name);
  }
  argmax(
    ...args: PyArgs<
      [dim: number | null, keepdim: boolean],
      { dim?: number | null; keepdim?: boolean }
    >
  ): Tensor {
    return this._argExtreme("argmax", args);
  }
  argmin(
    ...args: PyArgs<
      [dim: number | null, keepdim: boolean],
      { dim?: number | null; keepdim?: boolean }
    >
  ): Tensor {
    return this._argExtreme("argmin", args);
  }
  private _argExtreme(op: "argmax" | "argmin", args: unknown[]): Tensor {
    const { dim, keepdim } = dimArgs(op, args);
    if (dim === null || dim === undefined) {
      const flat = ops.reduce(op, this.reshape(-1), [0], false);
      return keepdim ? flat.reshape(this.shape.map(() => 1)) : flat;
    }
    if (Array.isArray(dim)) throw new TypeError(`${op}(): dim must be a single int`);
    return ops.reduce(op, this, [normalizeDim(dim, this.ndim)], keepdim);
  }
  /** `x.max()` is the largest element; `x.max(dim)` gives `{ values, indices }` as PyTorch. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean | { keepdim?: boolean }): { values: Tensor; indices: Tensor };
  max(opts: { dim: number; keepdim?: boolean }): { values: Tensor; indices: Tensor };
  max(other: Tensor): Tensor;
  max(
    arg?: number | Tensor | { dim: number; keepdim?: boolean },
    keepdim?: boolean | { keepdim?: boolean },
  ): Tensor | { values: Tensor; indices: Tensor } {
    return this._extreme("max", arg, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean | { keepdim?: boolean }): { values: Tensor; indices: Tensor };
  min(opts: { dim: number; keepdim?: boolean }): { values: Tensor; indices: Tensor };
  min(other: Tensor): Tensor;
  min(
    arg?: number | Tensor | { dim: number; keepdim?: boolean },
    keepdim?: boolean | { keepdim?: boolean },
  ): Tensor | { values: Tensor; indices: Tensor } {
    return this._extreme("min", arg, keepdim);
  }
  private _extreme(
    op: "max" | "min",
    arg: number | Tensor | { dim: number; keepdim?: boolean } | undefined,
    keepdimArg: boolean | { keepdim?: boolean } | undefined,
  ): Tensor | { values: Tensor; indices: Tensor } {
    if (arg instanceof Tensor) return op === "max" ? this.maximum(arg) : this.minimum(arg);
    if (isOptions(arg)) {
      const o = parseArgs(op, [arg], ["dim", "keepdim"], {
        dim: undefined as number | undefined,
        keepdim: false,
      });
      if (o.dim === undefined) return this._extreme(op, undefined, undefined);
      return ops.reduceWithIndices(op, this, o.dim, o.keepdim);
    }
    if (arg === undefined) {
      if (this.numel() === 0) {
        throw new Error(
          `${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
        );
      }
      const name = op === "max" ? "MaxBackward1" : "MinBackward1";
      return ops.reduce(op, this, normalizeDims(null, this.ndim), false, name);
    }
    const keepdim =
      typeof keepdimArg === "object" ? (keepdimArg.keepdim ?? false) : (keepdimArg ?? false);
    return ops.reduceWithIndices(op, this, arg, keepdim);
  }
  /** log(sum(exp(x))) over dim, computed stably. */
  logsumexp(...args: PyArgs<[dim: Dims, keepdim: boolean], DimOpts>): Tensor {
    const { dim, keepdim } = dimArgs("logsumexp", args);
    const dims = normalizeDims(dim, this.ndim);
    const m = this.amax(dims, true).detach();
    const finite = ops.where(m.abs().eq(Number.POSITIVE_INFINITY), 0, m);
    const out = this.sub(finite).exp().sum(dims, true).log().add(finite);
    return keepdim ? out : out.squeeze(dims);
  }
  all(): Tensor {
    return this.bool().logical_not().sum().eq(0);
  }
  any(): Tensor {
    return this.bool().sum().gt(0);
  }
  softmax(dim: number | { dim: number }): Tensor {
    return ops.softmax(this, typeof dim === "number" ? dim : dim.dim, false);
  }
  log_softmax(dim: number | { dim: number }): Tensor {
    return ops.softmax(this, typeof dim === "number" ? dim : dim.dim, true);
  }

  // ------------------------------------------------------------ shapes

  /** `x.reshape(2, 3)` or `x.reshape([2, -1])`. */
  reshape(...shape: SizeArgs<"shape">): Tensor {
    const target = inferShape(sizesArg("reshape", "shape", shape), this.numel());
    return ops.reshapeView(this, target);
  }
  /** Like reshape, but (as in PyTorch) only for tensors whose memory allows a view. */
  view(...shape: SizeArgs<"size">): Tensor {
    const target = inferShape(sizesArg("view", "size", shape), this.numel());
    if (!viewStrides(this.shape, this._strides, target)) {
      throw new Error(
        `view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead. (view of shape ${shapeStr(this.shape)} as ${shapeStr(target)})`,
      );
    }
    return ops.reshapeView(this, target);
  }
  view_as(other: Tensor): Tensor {
    return this.view(other.shape as number[]);
  }
  reshape_as(other: Tensor): Tensor {
    return this.reshape(other.shape as number[]);
  }
  flatten(
    ...args: PyArgs<[start_dim: number, end_dim: number], { start_dim?: number; end_dim?: number }>
  ): Tensor {
    const { start_dim, end_dim } = parseArgs("flatten", args, ["start_dim", "end_dim"], {
      start_dim: 0,
      end_dim: -1,
    });
    if (this.ndim === 0) return this.reshape(1);
    const s = normalizeDim(start_dim, this.ndim);
    const e = normalizeDim(end_dim, this.ndim);
    const shape = [
      ...this.shape.slice(0, s),
      sizeOf(this.shape.slice(s, e + 1)),
      ...this.shape.slice(e + 1),
    ];
    return this.reshape(shape);
  }
  unflatten(
    ...args: PyArgs<
      [dim: number, sizes: readonly number[]],
      { dim?: number; sizes?: readonly number[] }
    >
  ): Tensor {
    const o = parseArgs("unflatten", args, ["dim", "sizes"], {
      dim: undefined as number | undefined,
      sizes: undefined as readonly number[] | undefined,
    });
    const dim = required("unflatten", "dim", o.dim);
    const sizes = required("unflatten", "sizes", o.sizes);
    const d = normalizeDim(dim, this.ndim);
    const inner = inferShape(sizes, this.shape[d]);
    return this.reshape([...this.shape.slice(0, d), ...inner, ...this.shape.slice(d + 1)]);
  }
  /** Remove size-1 dims (all of them, or those given). */
  squeeze(...args: PyArgs<[dim: Dims], { dim?: Dims }>): Tensor {
    const { dim } = parseArgs("squeeze", args, ["dim"], { dim: undefined as Dims | undefined });
    const dims = dim === undefined ? null : normalizeDims(dim, this.ndim);
    const shape = this.shape.filter((s, i) => s !== 1 || (dims !== null && !dims.includes(i)));
    const name =
      dim === undefined
        ? "SqueezeBackward0"
        : Array.isArray(dim)
          ? "SqueezeBackward2"
          : "SqueezeBackward1";
    return ops.reshapeView(this, shape, name);
  }
  unsqueeze(...args: PyArgs<[dim: number], { dim?: number }>): Tensor {
    const o = parseArgs("unsqueeze", args, ["dim"], { dim: undefined as number | undefined });
    const d = normalizeDim(required("unsqueeze", "dim", o.dim), this.ndim + 1);
    const shape = [...this.shape];
    shape.splice(d, 0, 1);
    return ops.reshapeView(this, shape, "UnsqueezeBackward0");
  }
  transpose(...args: DimPairArgs): Tensor {
    const [dim0, dim1] = dimPair("transpose", args);
    return this._transpose(dim0, dim1, "TransposeBackward0");
  }
  private _transpose(dim0: number, dim1: number, name: string): Tensor {
    const perm = [...this.shape.keys()];
    const a = normalizeDim(dim0, this.ndim);
    const b = normalizeDim(dim1, this.ndim);
    [perm[a], perm[b]] = [perm[b], perm[a]];
    return ops.permute(this, perm, name);
  }
  swapaxes(...args: DimPairArgs): Tensor {
    const [dim0, dim1] = dimPair("swapaxes", args);
    return this.transpose(dim0, dim1);
  }
  /** `x.permute(2, 0, 1)` or `x.permute([2, 0, 1])`. */
  permute(...dims: SizeArgs<"dims">): Tensor {
    return ops.permute(this, sizesArg("permute", "dims", dims));
  }
  /** The transpose of a matrix (a vector stays as is), as PyTorch's `t()`. */
  t(): Tensor {
    if (this.ndim > 2)
      throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${this.ndim}D`);
    return this.ndim < 2 ? this : this._transpose(0, 1, "TBackward0");
  }
  get T(): Tensor {
    return this.permute([...this.shape.keys()].reverse());
  }
  /** The transpose of the last two dims. */
  get mT(): Tensor {
    return this.transpose(-2, -1);
  }
  /** `x.expand(3, 4)`; -1 keeps a dim. Broadcasts without copying. */
  expand(...sizes: SizeArgs<"size">): Tensor {
    return ops.expand(this, sizesArg("expand", "size", sizes));
  }
  expand_as(other: Tensor): Tensor {
    return ops.expand(this, other.shape);
  }
  /** Tile the tensor: `x.repeat(2, 1)`. */
  repeat(...sizes: SizeArgs<"repeats">): Tensor {
    const reps = sizesArg("repeat", "repeats", sizes);
    if (reps.length < this.ndim) {
      throw new Error(
        "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
      );
    }
    const x = this.reshape([...reps.slice(0, reps.length - this.ndim).map(() => 1), ...this.shape]);
    const interleaved: number[] = [];
    const flat: number[] = [];
    x.shape.forEach((s, i) => {
      interleaved.push(1, s);
      flat.push(reps[i], s);
    });
    return x
      .reshape(interleaved)
      .expand(flat)
      .reshape(x.shape.map((s, i) => s * reps[i]));
  }

  // ------------------------------------------------------------ indexing

  /**
   * PyTorch's `x[...]`: `x.index(0)`, `x.index(":", 1)`, `x.index("1:3")`, `x.index("...", -1)`,
   * `x.index(null)` (new axis), and `x.index(idx)` with an int64 tensor (a batch of rows).
   */
  index(...specs: IndexSpec[]): Tensor {
    const ellipsis = specs.indexOf("...");
    const consumed = specs.filter((s) => s !== null && s !== "...").length;
    if (consumed > this.ndim) {
      throw new RangeError(`too many indices for tensor of dimension ${this.ndim}`);
    }
    const expanded =
      ellipsis >= 0
        ? [
            ...specs.slice(0, ellipsis),
            ...Array<string>(this.ndim - consumed).fill(":"),
            ...specs.slice(ellipsis + 1),
          ]
        : specs;
    const sels: DimSelection[] = [];
    const newAxes: number[] = [];
    const tensorIndex: { dim: number; index: Tensor; inputDim: number }[] = [];
    let d = 0;
    let outDim = 0;
    for (const spec of expanded) {
      if (spec === null) {
        newAxes.push(outDim++);
        continue;
      }
      if (spec === "...") throw new Error("an index can only have a single ellipsis ('...')");
      const size = this.shape[d];
      if (typeof spec === "number") {
        if (!Number.isInteger(spec) || spec < -size || spec >= size) {
          throw new RangeError(
            `index ${spec} is out of bounds for dimension ${d} with size ${size}`,
          );
        }
        sels[d] = { index: spec < 0 ? spec + size : spec };
      } else if (typeof spec === "string") {
        sels[d] = parseSlice(spec, size);
        outDim++;
      } else {
        tensorIndex.push({ dim: outDim, index: spec, inputDim: d });
        sels[d] = { start: 0, stop: size, step: 1 };
        outDim++;
      }
      d++;
    }
    let out = ops.select(
      this,
      sels,
      sels.some((s) => s && "index" in s) ? "SelectBackward0" : "SliceBackward0",
    );
    for (const axis of newAxes) out = out.unsqueeze(axis);
    if (tensorIndex.length > 1) throw new Error("index(): only one tensor index is supported");
    // `dim` counts every output dim before the tensor index (slices and new axes alike), so it
    // is the tensor index's position in `out` once the new axes are in.
    for (const { dim, index, inputDim } of tensorIndex) {
      const picked = ops.indexSelect(out, dim, normalizeIndex(index, out.shape[dim], inputDim));
      out = index.ndim === 1 ? picked : picked.unflatten(dim, index.shape as number[]);
    }
    return out;
  }
  /** x.select(dim, i): the slice at index i along dim (the dim disappears). */
  select(...args: PyArgs<[dim: number, index: number], { dim?: number; index?: number }>): Tensor {
    const o = parseArgs("select", args, ["dim", "index"], {
      dim: undefined as number | undefined,
      index: undefined as number | undefined,
    });
    const [dim, index] = [required("select", "dim", o.dim), required("select", "index", o.index)];
    const d = normalizeDim(dim, this.ndim);
    const specs: IndexSpec[] = this.shape.map(() => ":");
    specs[d] = index;
    return this.index(...specs);
  }
  /** x.narrow(dim, start, length): a view of `length` elements along dim. */
  narrow(
    ...args: PyArgs<
      [dim: number, start: number, length: number],
      { dim?: number; start?: number; length?: number }
    >
  ): Tensor {
    const o = parseArgs("narrow", args, ["dim", "start", "length"], {
      dim: undefined as number | undefined,
      start: undefined as number | undefined,
      length: undefined as number | undefined,
    });
    const dim = required("narrow", "dim", o.dim);
    const start = required("narrow", "start", o.start);
    const length = required("narrow", "length", o.length);
    const d = normalizeDim(dim, this.ndim);
    const size = this.shape[d];
    const s = start < 0 ? start + size : start;
    if (s < 0 || length < 0 || s + length > size) {
      throw new RangeError(
        `start (${start}) + length (${length}) exceeds dimension size (${size}).`,
      );
    }
    const sels: DimSelection[] = [];
    sels[d] = { start: s, stop: s + length, step: 1 };
    return ops.select(this, sels, "NarrowBackward0");
  }
  /**
   * Split along dim into chunks of `split_size` (the last may be smaller), or into pieces of the
   * given sizes: `x.split([2, 3])`.
   */
  split(
    ...args: PyArgs<
      [split_size: number | readonly number[], dim: number],
      { split_size?: number | readonly number[]; dim?: number }
    >
  ): Tensor[] {
    const o = parseArgs("split", args, ["split_size", "dim"], {
      split_size: undefined as number | readonly number[] | undefined,
      dim: 0,
    });
    const split_size = required("split", "split_size", o.split_size);
    const dim = o.dim;
    const d = normalizeDim(dim, this.ndim);
    if (typeof split_size !== "number") {
      const total = split_size.reduce((a, b) => a + b, 0);
      if (total !== this.shape[d] || split_size.some((n) => !Number.isInteger(n) || n < 0)) {
        throw new RangeError(
          `split_with_sizes expects split_sizes to sum exactly to ${this.shape[d]} (input tensor's size at dimension ${d}), but got split_sizes=[${split_size.join(", ")}]`,
        );
      }
      let start = 0;
      return split_size.map((n) => {
        const piece = this.narrow(d, start, n);
        start += n;
        return piece;
      });
    }
    if (
      !Number.isInteger(split_size) ||
      split_size < 0 ||
      (split_size === 0 && this.shape[d] > 0)
    ) {
      throw new RangeError(
        `split_size can only be 0 if dimension size is 0, but got split_size ${split_size} for a dimension of size ${this.shape[d]}`,
      );
    }
    if (this.shape[d] === 0) return [this.narrow(d, 0, 0)];
    const out: Tensor[] = [];
    for (let s = 0; s < this.shape[d]; s += split_size) {
      out.push(this.narrow(d, s, Math.min(split_size, this.shape[d] - s)));
    }
    return out;
  }
  chunk(
    ...args: PyArgs<[chunks: number, dim: number], { chunks?: number; dim?: number }>
  ): Tensor[] {
    const o = parseArgs("chunk", args, ["chunks", "dim"], {
      chunks: undefined as number | undefined,
      dim: 0,
    });
    const [chunks, dim] = [required("chunk", "chunks", o.chunks), o.dim];
    const d = normalizeDim(dim, this.ndim);
    if (!Number.isInteger(chunks) || chunks <= 0) {
      throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
    }
    return this.split(Math.ceil(this.shape[d] / chunks), d);
  }
  unbind(...args: PyArgs<[dim: number], { dim?: number }>): Tensor[] {
    const { dim } = parseArgs("unbind", args, ["dim"], { dim: 0 });
    const d = normalizeDim(dim, this.ndim);
    return [...Array(this.shape[d]).keys()].map((i) => this.select(d, i));
  }
  index_select(...args: DimIndexArgs): Tensor {
    const [dim, index] = dimIndex("index_select", args);
    const d = normalizeDim(dim, this.ndim);
    if (index.ndim > 1) {
      throw new Error(
        `index_select(): Index is supposed to be a vector, but got shape ${shapeStr(index.shape)}`,
      );
    }
    return ops.indexSelect(this, d, normalizeIndex(index, this.ndim === 0 ? 1 : this.shape[d], d));
  }
  gather(...args: DimIndexArgs): Tensor {
    const [dim, index] = dimIndex("gather", args);
    return ops.gather(this, dim, index);
  }

  // ------------------------------------------------------------ in place

  /** Write `src` (broadcast, cast) into this tensor's memory. */
  copy_(src: TensorOrScalar): this {
    this._checkInPlace();
    return this._write(src instanceof Tensor ? src : ops.scalarTensor(src, this.dtype, this));
  }

  /**
   * PyTorch's rules for in-place ops while autograd records: a leaf that requires grad (or a
   * view of one) can't be overwritten, since its gradient would lose its meaning.
   */
  private _checkInPlace(): void {
    if (!is_grad_enabled()) return;
    if (this.requires_grad && this.is_leaf) {
      throw new Error(
        "a leaf Variable that requires grad is being used in an in-place operation. Update parameters inside torch.no_grad(() => ...), or use the out-of-place op.",
      );
    }
    const base = this._base;
    if (base?.requires_grad && base.is_leaf) {
      throw new Error(
        "a view of a leaf Variable that requires grad is being used in an in-place operation. Update parameters inside torch.no_grad(() => ...), or use the out-of-place op.",
      );
    }
  }

  /**
   * Store `value` (broadcast to this shape, cast to this dtype) in this tensor's memory. While
   * autograd records and a gradient is involved, the write joins the graph as in PyTorch: the
   * tensor takes the node that computed `value` (`y.add_(1)` gives AddBackward0), and a write
   * through a view re-routes its base's gradient (CopySlices).
   */
  private _write(value: Tensor, temporary = false): this {
    if (value._backend !== this._backend) return this._write(value.to(this.device));
    const cast = ops.toDType(value, this.dtype);
    const tracked =
      is_grad_enabled() && isFloating(this.dtype) && (this.requires_grad || cast.requires_grad);
    if (temporary && !tracked && cast === value && this._canAdopt(value)) {
      // `x.add_(y)` computed x + y into a tensor no one else holds: take its memory, don't copy.
      this._storage.adopt(value._storage);
      return this;
    }
    const backend = this._backend;
    const fresh = backend.copy(cast._storage.buffer, ops.broadcastView(cast, this.shape));
    if (this._isDense(this._storage.buffer)) {
      this._storage.replace(fresh);
    } else {
      backend.writeView(this._storage.buffer, fresh, this._view());
      backend.free(fresh);
      this._storage.version++;
    }
    if (tracked) this._recordWrite(cast);
    return this;
  }

  /** Whether this tensor can take `value`'s storage whole: both dense, same shape, distinct. */
  private _canAdopt(value: Tensor): boolean {
    return (
      value._storage !== this._storage &&
      ops.sameShape(value.shape, this.shape) &&
      this._isDense(this._storage.buffer) &&
      value._isDense(value._storage.buffer)
    );
  }

  private _recordWrite(src: Tensor): void {
    const srcEdge = src.requires_grad ? ops.gradEdge(src) : null;
    const srcShape = src.shape;
    const base = this._base;
    if (!base) {
      if (src.grad_fn && ops.sameShape(src.shape, this.shape)) {
        this._setGradFn(src.grad_fn);
      } else {
        this._setGradFn(
          new Node("CopyBackwards", [srcEdge], (g) => [ops.sumToShape(g, srcShape)], []),
        );
      }
      return;
    }
    // A write through a view: the base's new value is its old value outside the view's region
    // and `src` inside it.
    if (!base._isDense(base._storage.buffer)) {
      throw new Error(
        "in-place writes through a view need a base tensor that owns all of its memory; clone() the tensor first.",
      );
    }
    const region = this._view();
    const baseShape = base.shape;
    const baseEdge = base.requires_grad ? ops.gradEdge(base) : null;
    const copySlices = new Node(
      "CopySlices",
      [baseEdge, srcEdge],
      (g) => [
        baseEdge ? ops.zeroRegion(g, region) : null,
        srcEdge ? ops.sumToShape(ops.readRegion(g, region), srcShape) : null,
      ],
      [],
    );
    base._setGradFn(copySlices);
    this._setGradFn(
      new Node(
        "AsStridedBackward0",
        [copySlices],
        (g) => [ops.scatterIntoZeros(g, baseShape, region)],
        [],
      ),
    );
  }

  zero_(): this {
    return this.fill_(0);
  }
  fill_(value: number | boolean): this {
    return this.copy_(value);
  }
  add_(other: TensorOrScalar, opts?: { alpha?: number }): this {
    this._checkInPlace();
    return this._write(this.add(other, opts), true);
  }
  sub_(other: TensorOrScalar, opts?: { alpha?: number }): this {
    this._checkInPlace();
    return this._write(this.sub(other, opts), true);
  }
  mul_(other: TensorOrScalar): this {
    this._checkInPlace();
    return this._write(this.mul(other), true);
  }
  div_(other: TensorOrScalar): this {
    this._checkInPlace();
    return this._write(this.div(other), true);
  }
  clamp_(
    ...args: PyArgs<
      [min: number | null, max: number | null],
      { min?: number | null; max?: number | null }
    >
  ): this {
    this._checkInPlace();
    return this._write(this.clamp(...args), true);
  }
  /** Fill with uniform random numbers in [from, to) from the global generator. */
  uniform_(from = 0, to = 1): this {
    this._checkInPlace();
    return this._write(
      randomLike("uniform", this)
        .mul(to - from)
        .add(from),
    );
  }
  normal_(mean = 0, std = 1): this {
    this._checkInPlace();
    return this._write(randomLike("normal", this).mul(std).add(mean));
  }

  // ------------------------------------------------------------ activations as methods

  leaky_relu(negative_slope = 0.01): Tensor {
    return ops.unary("leaky_relu", this, [negative_slope]);
  }
  gelu(): Tensor {
    return ops.unary("gelu", this.float());
  }

  // ------------------------------------------------------------ comparison helpers

  /** True when all elements are within `atol + rtol * |other|` (sync backends). */
  allclose(other: Tensor, opts: { rtol?: number; atol?: number } = {}): boolean {
    const rtol = opts.rtol ?? 1e-5;
    const atol = opts.atol ?? 1e-8;
    return Boolean(this.sub(other).abs().le(other.abs().mul(rtol).add(atol)).all().itemSync());
  }
  equal(other: Tensor): boolean {
    return this.shape.join() === other.shape.join() && Boolean(this.eq(other).all().itemSync());
  }
}

// ---------------------------------------------------------------- helpers

type VarOpts = { dim?: Dims | null; unbiased?: boolean; correction?: number; keepdim?: boolean };
/** `x.var(dim, unbiased, keepdim)` and PyTorch's `x.var(unbiased)` overload. */
type VarArgs =
  | PyArgs<[dim: Dims | null, unbiased: boolean, keepdim: boolean], VarOpts>
  | [unbiased: boolean]
  | [unbiased: boolean, opts: VarOpts];

function dimArgs(
  fn: string,
  args: readonly unknown[],
): { dim: Dims | null | undefined; keepdim: boolean } {
  return parseArgs(fn, args, ["dim", "keepdim"], {
    dim: null as Dims | null | undefined,
    keepdim: false,
  });
}

function varArgs(
  fn: string,
  x: Tensor,
  args: readonly unknown[],
): { dims: number[]; correction: number; keepdim: boolean } {
  // `x.var(false)` is PyTorch's var(unbiased) overload.
  if (typeof args[0] === "boolean") args = [null, ...args];
  const o = parseArgs(fn, args, ["dim", "unbiased", "keepdim", "correction"], {
    dim: null as Dims | null,
    unbiased: true,
    keepdim: false,
    correction: undefined as number | undefined,
  });
  return {
    dims: normalizeDims(o.dim, x.ndim),
    correction: o.correction ?? (o.unbiased ? 1 : 0),
    keepdim: o.keepdim,
  };
}

/** `f(2, 3)`, `f([2, 3])` or `f({ name: [2, 3] })` (PyTorch's keyword name for the sizes). */
type SizeArgs<N extends string> = (number | readonly number[])[] | [Record<N, readonly number[]>];

function sizesArg(fn: string, name: string, args: readonly unknown[]): number[] {
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    if (args.length > 1) {
      throw new TypeError(`${fn}() takes the sizes by position or as '${name}', not both`);
    }
    const o = parseArgs<Record<string, readonly number[] | undefined>>(fn, args, [name], {
      [name]: undefined,
    });
    return [...required(fn, name, o[name])];
  }
  return sizeArgs(args as (number | readonly number[])[]);
}

function required<T>(fn: string, name: string, value: T | undefined): T {
  if (value === undefined || value === null) {
    throw new TypeError(`${fn}() missing required argument '${name}'`);
  }
  return value;
}

type DimPairArgs = PyArgs<[dim0: number, dim1: number], { dim0?: number; dim1?: number }>;

function dimPair(fn: string, args: readonly unknown[]): [number, number] {
  const o = parseArgs(fn, args, ["dim0", "dim1"], {
    dim0: undefined as number | undefined,
    dim1: undefined as number | undefined,
  });
  return [required(fn, "dim0", o.dim0), required(fn, "dim1", o.dim1)];
}

type DimIndexArgs = PyArgs<[dim: number, index: Tensor], { dim?: number; index?: Tensor }>;

function dimIndex(fn: string, args: readonly unknown[]): [number, Tensor] {
  const o = parseArgs(fn, args, ["dim", "index"], {
    dim: undefined as number | undefined,
    index: undefined as Tensor | undefined,
  });
  return [required(fn, "dim", o.dim), required(fn, "index", o.index)];
}

/** "1:3", ":", "::2", "-2:" as a selection of a dim of `size`. */
function parseSlice(spec: string, size: number): DimSelection {
  const parts = spec.split(":");
  if (
    parts.length < 2 ||
    parts.length > 3 ||
    parts.some((p) => p.trim() !== "" && !/^-?\d+$/.test(p.trim()))
  ) {
    throw new SyntaxError(`invalid slice '${spec}': use forms like "1:3", ":", "::2" or "-2:"`);
  }
  const num = (p: string | undefined) =>
    p === undefined || p.trim() === "" ? undefined : Number(p);
  const step = num(parts[2]) ?? 1;
  if (step === 0) throw new Error("slice step cannot be zero");
  if (step < 0) throw new Error(`step must be greater than zero (got '${spec}')`);
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const start = clampIdx(num(parts[0]) ?? 0);
  const stop = Math.max(start, clampIdx(num(parts[1]) ?? size));
  return { start, stop, step };
}

/** Negative indices count from the end, as in PyTorch (kernels take non-negative ones). */
function normalizeIndex(index: Tensor, size: number, dim: number): Tensor {
  if (index.dtype !== "int64") {
    throw new TypeError(
      `tensors used as indices must be long (int64) tensors, but got ${index.dtype}; convert with .long()`,
    );
  }
  ops.checkIndexBounds(index, size, dim, true);
  return ops.where(index.lt(0), index.add(size), index);
}

function toScalar(dtype: DType, v: number): number | boolean {
  return dtype === "bool" ? v !== 0 : v;
}

function nest(data: ArrayLike<number>, shape: Shape, dtype: DType): NestedArray {
  if (shape.length === 0) return toScalar(dtype, data[0]);
  let i = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let k = 0; k < shape[d]; k++) {
      out.push(d === shape.length - 1 ? toScalar(dtype, data[i++]) : build(d + 1));
    }
    return out;
  };
  return build(0);
}

export type { Scalar, TensorOrScalar };
