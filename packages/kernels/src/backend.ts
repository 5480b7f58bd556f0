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
  /** a op s (or s op a when `scalarFirst`) for a contiguous a. */
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
