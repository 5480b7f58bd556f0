/**
 * The contract every compute backend (js, wasm, webgpu) fulfils.
 *
 * Buffers are flat, contiguous and typed; all shape logic (broadcasting, views, autograd) lives
 * in the engine, which describes each kernel launch with plain numbers: sizes and strides.
 * Kernels return new buffers, so a backend may queue the work and run it later (lazy
 * dispatch); only `read` forces results, and it is async because a GPU can only answer later.
 */

/** Storage dtypes. The engine's int64 is stored as int32; bool as one byte per element. */
export type DType = "float32" | "int32" | "bool";

export type TypedArrayOf<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "int32"
    ? Int32Array
    : Uint8Array;

export type AnyTypedArray = Float32Array | Int32Array | Uint8Array;

/** An opaque handle to device memory; each backend has its own implementation. */
export interface BackendBuffer {
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
}

export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "abs"
  | "sign"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "erf"
  | "sin"
  | "cos"
  | "floor"
  | "ceil"
  | "round"
  | "square"
  | "reciprocal"
  | "logical_not"
  /** params: [negative_slope] */
  | "leaky_relu"
  /** params: [min, max] (NaN means unbounded) */
  | "clamp"
  /** params: [exponent] */
  | "pow_scalar"
  | "gelu";

export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "logical_and"
  | "logical_or"
  | "logical_xor";

/** Comparisons and logical ops produce `bool`; the others keep the (common) input dtype. */
export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "logical_and",
  "logical_or",
  "logical_xor",
]);

export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/** A strided view of a buffer: element [i0, i1, ...] lives at offset + sum(ik * strides[k]). */
export interface View {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}

export interface MatmulParams {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** Elements between consecutive batch matrices; 0 broadcasts one matrix over the batch. */
  aBatchStride: number;
  bBatchStride: number;
  /** Read A as its transpose (stored k x m) / B as its transpose (stored n x k). */
  transA: boolean;
  transB: boolean;
}

export interface Conv2dGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  /** Value read outside the image (0 for convolution, -Infinity for max pooling). */
  padValue: number;
}

export function convOutputSize(g: Conv2dGeometry): [number, number] {
  const oh = Math.floor((g.h + 2 * g.padH - g.dilationH * (g.kh - 1) - 1) / g.strideH) + 1;
  const ow = Math.floor((g.w + 2 * g.padW - g.dilationW * (g.kw - 1) - 1) / g.strideW) + 1;
  return [oh, ow];
}

export type RandomDistribution = "uniform" | "normal";

/**
 * One Adam/AdamW step of one parameter, as PyTorch's single-tensor `adam`/`adamw` (1.13, the
 * golden programs' version) compute it in float32: for each element, in this order, with `p`
 * the parameter and `g` its gradient,
 *
 *     g = maximize ? -g : g
 *     decoupled ? p = p * (1 - lr * weightDecay)  :  g = g + weightDecay * p   (weightDecay != 0)
 *     m = m * beta1 + (1 - beta1) * g               (exp_avg.mul_(beta1).add_(g, alpha=...))
 *     v = v * beta2 + (1 - beta2) * g * g           (exp_avg_sq.mul_(beta2).addcmul_(g, g, ...))
 *     vmax = max(vmax, v), read instead of v        (amsgrad only)
 *     p = p + -stepSize * m / (sqrt(v) / bc2Sqrt + eps)     (param.addcdiv_(m, denom, ...))
 *
 * with stepSize = lr / (1 - beta1^step) and bc2Sqrt = sqrt(1 - beta2^step); products and
 * quotients group left to right, as in PyTorch's CPU kernels (addcdiv is `p + value * m / d`).
 */
export interface AdamStepParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the weights directly instead of adding weight decay to the gradient. */
  decoupled: boolean;
  maximize: boolean;
  /** The step being taken, from 1. */
  step: number;
}

/**
 * One SGD step of one parameter (PyTorch's single-tensor `sgd`, in float32):
 *
 *     g = maximize ? -g : g
 *     g = g + weightDecay * p                             (weightDecay != 0)
 *     b = first ? g : b * momentum + (1 - dampening) * g  (with a momentum buffer)
 *     g = nesterov ? g + momentum * b : b                 (with a momentum buffer)
 *     p = p + -lr * g
 */
export interface SgdStepParams {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** The momentum buffer's first step: it becomes a copy of the gradient. */
  first: boolean;
}

/**
 * One RMSprop step of one parameter (PyTorch's single-tensor `rmsprop`, in float32):
 *
 *     g = maximize ? -g : g
 *     g = g + weightDecay * p                          (weightDecay != 0)
 *     s = s * alpha + (1 - alpha) * g * g              (square_avg)
 *     a = a * alpha + (1 - alpha) * g                  (grad_avg, centered only)
 *     avg = sqrt(centered ? s - a * a : s) + eps
 *     b = b * momentum + g / avg;  p = p + -lr * b     (with a momentum buffer)
 *     p = p + -lr * g / avg                            (without)
 */
export interface RmspropStepParams {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/**
 * The scalars of a fused update, in the order kernels read them: each is what PyTorch's Python
 * code computes in float64 and its kernels then use as a float32. Flags are 0 or 1.
 */
export function adamScalars(p: AdamStepParams): number[] {
  const decay = p.decoupled ? 1 - p.lr * p.weightDecay : 1;
  const addDecay = !p.decoupled && p.weightDecay !== 0 ? 1 : 0;
  const stepSize = p.lr / (1 - p.beta1 ** p.step);
  const bc2Sqrt = Math.sqrt(1 - p.beta2 ** p.step);
  return [
    p.maximize ? -1 : 1,
    addDecay,
    p.weightDecay,
    decay,
    p.beta1,
    1 - p.beta1,
    p.beta2,
    1 - p.beta2,
    bc2Sqrt,
    p.eps,
    -stepSize,
  ];
}

/** RMSprop's scalars (see `adamScalars`). */
export function rmspropScalars(p: RmspropStepParams): number[] {
  return [
    p.maximize ? -1 : 1,
    p.weightDecay !== 0 ? 1 : 0,
    p.weightDecay,
    p.alpha,
    1 - p.alpha,
    p.eps,
    p.momentum,
    -p.lr,
  ];
}

/** SGD's scalars (see `adamScalars`). */
export function sgdScalars(p: SgdStepParams): number[] {
  return [
    p.maximize ? -1 : 1,
    p.weightDecay !== 0 ? 1 : 0,
    p.weightDecay,
    p.first ? 1 : 0,
    p.momentum,
    1 - p.dampening,
    p.nesterov ? 1 : 0,
    -p.lr,
  ];
}

export interface MemoryInfo {
  /** Buffers currently allocated (not freed). */
  buffers: number;
  /** Bytes held by those buffers. */
  bytes: number;
}

export interface Backend {
  readonly name: string;
  /** True when `readSync` works (CPU backends); a GPU can only answer asynchronously. */
  readonly syncReadback: boolean;

  // ---- memory
  alloc(dtype: DType, size: number): BackendBuffer;
  upload(data: AnyTypedArray): BackendBuffer;
  read(buf: BackendBuffer): Promise<AnyTypedArray>;
  /** Throws a clear error on backends without synchronous readback. */
  readSync(buf: BackendBuffer): AnyTypedArray;
  /** Return a buffer; it must not be used afterwards. */
  free(buf: BackendBuffer): void;
  memory(): MemoryInfo;
  /** Give back memory held for reuse (a GPU's idle buffer pool); live buffers stay. */
  emptyCache?(): void;

  // ---- kernels (each returns a new buffer)
  fill(dtype: DType, size: number, value: number): BackendBuffer;
  cast(x: BackendBuffer, dtype: DType): BackendBuffer;
  /** Materialize a strided view of x as a contiguous buffer. */
  copy(x: BackendBuffer, view: View): BackendBuffer;
  /** Copy `src` (contiguous, shape `view.shape`) into `dst` at `view`, in place. */
  writeView(dst: BackendBuffer, src: BackendBuffer, view: View): void;
  unary(op: UnaryOp, x: BackendBuffer, params?: readonly number[]): BackendBuffer;
  /** Elementwise a op b over `shape`, each input read through its (broadcast) view. */
  binary(op: BinaryOp, a: BackendBuffer, av: View, b: BackendBuffer, bv: View): BackendBuffer;
  /**
   * a op s (or s op a when `scalarFirst`) for a contiguous a, with the exact scalar (the js
   * backend computes with it in float64; float32 kernels read it rounded).
   */
  binaryScalar(op: BinaryOp, a: BackendBuffer, s: number, scalarFirst: boolean): BackendBuffer;
  where(
    cond: BackendBuffer,
    cv: View,
    a: BackendBuffer,
    av: View,
    b: BackendBuffer,
    bv: View,
  ): BackendBuffer;
  /** Reduce the middle axis of x viewed as [outer, size, inner]; argmax/argmin give int32. */
  reduce(op: ReduceOp, x: BackendBuffer, outer: number, size: number, inner: number): BackendBuffer;
  /** Softmax (or log-softmax) along the middle axis of [outer, size, inner]. */
  softmax(
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): BackendBuffer;
  matmul(a: BackendBuffer, b: BackendBuffer, p: MatmulParams): BackendBuffer;
  /** out[o, j, i] = x[o, index[o, j, i], i] with x as [outer, xSize, inner]. */
  gather(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer;
  /** The adjoint of gather: out (zeros, [outer, outSize, inner]) += src at index. */
  scatterAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer;
  /** out[o, j, i] = x[o, index[j], i]: whole slices picked by a 1-D index. */
  indexSelect(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    inner: number,
  ): BackendBuffer;
  /** The adjoint of indexSelect: out (zeros, [outer, outSize, inner]) += src slices at index. */
  indexAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    inner: number,
  ): BackendBuffer;
  /** Patches of an NCHW image as columns: [n, c*kh*kw, oh*ow]. */
  im2col(x: BackendBuffer, g: Conv2dGeometry): BackendBuffer;
  /** The adjoint of im2col: columns summed back into an NCHW image. */
  col2im(cols: BackendBuffer, g: Conv2dGeometry): BackendBuffer;
  // ---- fused optimizer updates: every buffer float32 of one size, updated in place
  /** Adam/AdamW: `param`, `expAvg`, `expAvgSq` (and `maxExpAvgSq`, amsgrad) take their next values. */
  adamStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    expAvg: BackendBuffer,
    expAvgSq: BackendBuffer,
    maxExpAvgSq: BackendBuffer | null,
    p: AdamStepParams,
  ): void;
  /** SGD: `param` (and `momentumBuffer`, when momentum != 0) take their next values. */
  sgdStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    momentumBuffer: BackendBuffer | null,
    p: SgdStepParams,
  ): void;
  /**
   * RMSprop: `param` and `squareAvg` (and `gradAvg` when centered, `momentumBuffer` with
   * momentum) take their next values.
   */
  rmspropStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    squareAvg: BackendBuffer,
    gradAvg: BackendBuffer | null,
    momentumBuffer: BackendBuffer | null,
    p: RmspropStepParams,
  ): void;
  /** Counter-based random numbers: element i uses Philox counter `offset + i` under `key`. */
  random(
    dist: RandomDistribution,
    size: number,
    key: readonly [number, number],
    offset: number,
  ): BackendBuffer;
}

export const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

export function typedArrayFor(dtype: DType, size: number): AnyTypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

export function dtypeOfArray(a: AnyTypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Int32Array) return "int32";
  return "bool";
}

/** Row-major strides of a contiguous shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
