/**
 * The WebAssembly backend: buffers live in one linear memory, kernels are AssemblyScript
 * compiled with SIMD (assembly/), big kernels are split over worker threads. Every kernel
 * matches the js backend (the oracle) within float32 rounding.
 */

import {
  type AdamStepParams,
  type AnyTypedArray,
  adamScalars,
  type Backend,
  type BackendBuffer,
  type BinaryOp,
  BYTES_PER_ELEMENT,
  COMPARISON_OPS,
  type Conv2dGeometry,
  convOutputSize,
  type DType,
  dtypeOfArray,
  type MatmulParams,
  type MemoryInfo,
  type RandomDistribution,
  type ReduceOp,
  type RmspropStepParams,
  rmspropScalars,
  type SgdStepParams,
  sgdScalars,
  sizeOf,
  type UnaryOp,
  type View,
} from "../backend.js";
import {
  checkExtent,
  checkSameShape,
  checkScalar,
  checkSize,
  checkUpdateBuffers,
  checkView,
} from "../checks.js";
import { BINARY_CODES, DTYPE_CODES, REDUCE_CODES, UNARY_CODES } from "./codes.js";
import {
  K_ADAM,
  K_BINARY,
  K_BINARY_SCALAR,
  K_CAST,
  K_COL2IM,
  K_COPY,
  K_FILL,
  K_FIRST_BAD_INDEX,
  K_GATHER,
  K_IM2COL,
  K_INDEX_ADD,
  K_INDEX_SELECT,
  K_MATMUL,
  K_RANDOM,
  K_REDUCE,
  K_RMSPROP,
  K_SCATTER_ADD,
  K_SGD,
  K_SOFTMAX,
  K_UNARY,
  K_WHERE,
  K_WRITE_VIEW,
} from "./protocol.js";
import { type WasmBackendOptions, WasmRuntime } from "./runtime.js";
import { mergeViews } from "./views.js";

/** A buffer in linear memory; the handle outlives `free`, which only marks it. */
export class WasmBuffer implements BackendBuffer {
  freed = false;

  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly address: number,
    readonly owner: WasmBackend,
  ) {}

  get bytes(): number {
    return this.size * BYTES_PER_ELEMENT[this.dtype];
  }
}

export class WasmBackend implements Backend {
  readonly name = "wasm";
  readonly syncReadback = true;
  readonly runtime: WasmRuntime;
  #buffers = 0;
  #bytes = 0;

  constructor(runtime: WasmRuntime) {
    this.runtime = runtime;
  }

  /** Worker threads in use, counting the calling thread. */
  get threads(): number {
    return this.runtime.threads;
  }

  /** Stop the worker threads; buffers stay readable, parallel kernels run on one thread. */
  dispose(): void {
    this.runtime.dispose();
  }

  // ---------------------------------------------------------------- memory

  alloc(dtype: DType, size: number): BackendBuffer {
    checkSize(size, "alloc");
    const b = this.#new(dtype, size);
    new Uint8Array(this.runtime.buffer, b.address, b.bytes).fill(0);
    return b;
  }

  upload(data: AnyTypedArray): BackendBuffer {
    const b = this.#new(dtypeOfArray(data), data.length);
    new Uint8Array(this.runtime.buffer, b.address, b.bytes).set(
      new Uint8Array(data.buffer, data.byteOffset, b.bytes),
    );
    return b;
  }

  read(buf: BackendBuffer): Promise<AnyTypedArray> {
    try {
      return Promise.resolve(this.readSync(buf));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(buf: BackendBuffer): AnyTypedArray {
    const b = this.#own(buf);
    const mem = this.runtime.buffer;
    switch (b.dtype) {
      case "float32":
        return new Float32Array(mem, b.address, b.size).slice();
      case "int32":
        return new Int32Array(mem, b.address, b.size).slice();
      case "bool":
        return new Uint8Array(mem, b.address, b.size).slice();
    }
  }

  /** Freeing an already-freed buffer is a no-op, so counts can never go negative. */
  free(buf: BackendBuffer): void {
    if (!(buf instanceof WasmBuffer) || buf.owner !== this) {
      throw new Error("wasm backend: buffer belongs to another backend");
    }
    if (buf.freed) return;
    buf.freed = true;
    this.runtime.allocator.free(buf.address, buf.bytes);
    this.#buffers--;
    this.#bytes -= buf.bytes;
  }

  memory(): MemoryInfo {
    return { buffers: this.#buffers, bytes: this.#bytes };
  }

  #new(dtype: DType, size: number): WasmBuffer {
    const bytes = size * BYTES_PER_ELEMENT[dtype];
    const b = new WasmBuffer(dtype, size, this.runtime.allocator.alloc(bytes), this);
    this.#buffers++;
    this.#bytes += bytes;
    return b;
  }

  #own(buf: BackendBuffer): WasmBuffer {
    if (!(buf instanceof WasmBuffer) || buf.owner !== this) {
      throw new Error("wasm backend: buffer belongs to another backend");
    }
    if (buf.freed) throw new Error(`wasm backend: ${buf.dtype} buffer used after free`);
    return buf;
  }

  // ---------------------------------------------------------------- elementwise

  fill(dtype: DType, size: number, value: number): BackendBuffer {
    checkSize(size, "fill");
    const out = this.#new(dtype, size);
    this.runtime.run(K_FILL, [out.address, DTYPE_CODES[dtype], size, value], size);
    return out;
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    const xb = this.#own(x);
    const out = this.#new(dtype, xb.size);
    const params = [xb.address, DTYPE_CODES[xb.dtype], out.address, DTYPE_CODES[dtype], xb.size];
    this.runtime.run(K_CAST, params, xb.size);
    return out;
  }

  copy(x: BackendBuffer, view: View): BackendBuffer {
    const xb = this.#own(x);
    checkView(view, xb.size, "copy");
    const n = sizeOf(view.shape);
    const out = this.#new(xb.dtype, n);
    if (n === 0) return out;
    const table = mergeViews(view.shape, [view]);
    this.runtime.run(K_COPY, [xb.address, out.address, DTYPE_CODES[xb.dtype]], n, table);
    return out;
  }

  writeView(dst: BackendBuffer, src: BackendBuffer, view: View): void {
    const db = this.#own(dst);
    const sb = this.#own(src);
    checkView(view, db.size, "writeView");
    const n = sizeOf(view.shape);
    if (sb.size !== n) {
      throw new Error(`writeView: src has ${sb.size} elements, view shape needs ${n}`);
    }
    if (n === 0) return;
    const table = mergeViews(view.shape, [view]);
    const params = [db.address, sb.address, DTYPE_CODES[db.dtype], DTYPE_CODES[sb.dtype]];
    this.runtime.run(K_WRITE_VIEW, params, n, table);
  }

  unary(op: UnaryOp, x: BackendBuffer, params: readonly number[] = []): BackendBuffer {
    const xb = this.#own(x);
    const out = this.#new(op === "logical_not" ? "bool" : xb.dtype, xb.size);
    const p0 = params[0] ?? 0;
    const p1 = params[1] ?? 0;
    const args = [
      xb.address,
      DTYPE_CODES[xb.dtype],
      out.address,
      DTYPE_CODES[out.dtype],
      xb.size,
      UNARY_CODES[op],
      p0,
      p1,
    ];
    this.runtime.run(K_UNARY, args, xb.size);
    return out;
  }

  binary(op: BinaryOp, a: BackendBuffer, av: View, b: BackendBuffer, bv: View): BackendBuffer {
    const ab = this.#own(a);
    const bb = this.#own(b);
    checkView(av, ab.size, "binary a");
    checkView(bv, bb.size, "binary b");
    checkSameShape(av.shape, bv.shape, "binary");
    sameDType(ab, bb, "binary");
    const n = sizeOf(av.shape);
    const out = this.#new(COMPARISON_OPS.has(op) ? "bool" : ab.dtype, n);
    if (n === 0) return out;
    const table = mergeViews(av.shape, [av, bv]);
    const params = [
      ab.address,
      bb.address,
      out.address,
      DTYPE_CODES[ab.dtype],
      DTYPE_CODES[out.dtype],
      BINARY_CODES[op],
    ];
    this.runtime.run(K_BINARY, params, n, table);
    return out;
  }

  binaryScalar(op: BinaryOp, a: BackendBuffer, s: number, scalarFirst: boolean): BackendBuffer {
    const ab = this.#own(a);
    checkScalar(s, "binaryScalar");
    const out = this.#new(COMPARISON_OPS.has(op) ? "bool" : ab.dtype, ab.size);
    const params = [
      ab.address,
      out.address,
      DTYPE_CODES[ab.dtype],
      DTYPE_CODES[out.dtype],
      BINARY_CODES[op],
      ab.size,
      s,
      scalarFirst ? 1 : 0,
    ];
    this.runtime.run(K_BINARY_SCALAR, params, ab.size);
    return out;
  }

  where(
    cond: BackendBuffer,
    cv: View,
    a: BackendBuffer,
    av: View,
    b: BackendBuffer,
    bv: View,
  ): BackendBuffer {
    const cb = this.#own(cond);
    const ab = this.#own(a);
    const bb = this.#own(b);
    checkView(cv, cb.size, "where cond");
    checkView(av, ab.size, "where a");
    checkView(bv, bb.size, "where b");
    checkSameShape(cv.shape, av.shape, "where");
    checkSameShape(cv.shape, bv.shape, "where");
    sameDType(ab, bb, "where");
    const n = sizeOf(cv.shape);
    const out = this.#new(ab.dtype, n);
    if (n === 0) return out;
    // The kernel reads conditions as bytes; others are converted first (nonzero is true).
    const c = cb.dtype === "bool" ? cb : (this.cast(cb, "bool") as WasmBuffer);
    try {
      const table = mergeViews(cv.shape, [cv, av, bv]);
      const params = [c.address, ab.address, bb.address, out.address, DTYPE_CODES[ab.dtype]];
      this.runtime.run(K_WHERE, params, n, table);
    } finally {
      if (c !== cb) this.free(c);
    }
    return out;
  }

  // ---------------------------------------------------------------- fused optimizer updates

  adamStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    expAvg: BackendBuffer,
    expAvgSq: BackendBuffer,
    maxExpAvgSq: BackendBuffer | null,
    p: AdamStepParams,
  ): void {
    const [pb, gb, mb, vb] = [param, grad, expAvg, expAvgSq].map((b) => this.#own(b));
    const xb = maxExpAvgSq ? this.#own(maxExpAvgSq) : null;
    checkUpdateBuffers("adamStep", [pb, gb, mb, vb, xb]);
    const addresses = [pb.address, gb.address, mb.address, vb.address, xb?.address ?? 0];
    this.runtime.run(K_ADAM, [...addresses, pb.size, ...adamScalars(p)], pb.size);
  }

  sgdStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    momentumBuffer: BackendBuffer | null,
    p: SgdStepParams,
  ): void {
    const [pb, gb] = [this.#own(param), this.#own(grad)];
    const bb = momentumBuffer ? this.#own(momentumBuffer) : null;
    checkUpdateBuffers("sgdStep", [pb, gb, bb]);
    const params = [pb.address, gb.address, bb?.address ?? 0, pb.size, ...sgdScalars(p)];
    this.runtime.run(K_SGD, params, pb.size);
  }

  rmspropStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    squareAvg: BackendBuffer,
    gradAvg: BackendBuffer | null,
    momentumBuffer: BackendBuffer | null,
    p: RmspropStepParams,
  ): void {
    const [pb, gb, sb] = [param, grad, squareAvg].map((b) => this.#own(b));
    const [ab, bb] = [gradAvg, momentumBuffer].map((b) => (b ? this.#own(b) : null));
    checkUpdateBuffers("rmspropStep", [pb, gb, sb, ab, bb]);
    const addresses = [pb.address, gb.address, sb.address, ab?.address ?? 0, bb?.address ?? 0];
    this.runtime.run(K_RMSPROP, [...addresses, pb.size, ...rmspropScalars(p)], pb.size);
  }

  // ---------------------------------------------------------------- reductions

  reduce(
    op: ReduceOp,
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
  ): BackendBuffer {
    const xb = this.#own(x);
    checkExtent(xb.size, outer * size * inner, "reduce");
    if (size === 0 && op !== "sum" && op !== "prod") {
      throw new Error(`reduce: ${op} of an empty dimension (size 0) has no identity`);
    }
    const isArg = op === "argmax" || op === "argmin";
    const out = this.#new(isArg ? "int32" : xb.dtype, outer * inner);
    const params = [
      xb.address,
      DTYPE_CODES[xb.dtype],
      out.address,
      DTYPE_CODES[out.dtype],
      REDUCE_CODES[op],
      outer,
      size,
      inner,
    ];
    this.runtime.run(K_REDUCE, params, outer * size * inner);
    return out;
  }

  softmax(
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): BackendBuffer {
    const xb = this.#own(x);
    checkExtent(xb.size, outer * size * inner, "softmax");
    const input = xb.dtype === "float32" ? xb : (this.cast(xb, "float32") as WasmBuffer);
    const out = this.#new("float32", outer * size * inner);
    try {
      const params = [input.address, out.address, outer, size, inner, log ? 1 : 0];
      this.runtime.run(K_SOFTMAX, params, 8 * outer * size * inner);
    } finally {
      if (input !== xb) this.free(input);
    }
    return out;
  }

  // ---------------------------------------------------------------- matmul

  matmul(a: BackendBuffer, b: BackendBuffer, p: MatmulParams): BackendBuffer {
    const ab = this.#own(a);
    const bb = this.#own(b);
    const { batch, m, k, n, aBatchStride, bBatchStride, transA, transB } = p;
    if (batch > 0) {
      checkExtent(ab.size, (batch - 1) * aBatchStride + m * k, "matmul A");
      checkExtent(bb.size, (batch - 1) * bBatchStride + k * n, "matmul B");
    }
    if (ab.dtype !== "float32" || bb.dtype !== "float32") {
      throw new TypeError(
        `matmul: the wasm backend multiplies float32 matrices, got ${ab.dtype} and ${bb.dtype}`,
      );
    }
    const out = this.#new("float32", batch * m * n);
    if (batch * m * n === 0) return out;
    const params = [
      ab.address,
      bb.address,
      out.address,
      batch,
      m,
      k,
      n,
      aBatchStride,
      bBatchStride,
      transA ? 1 : 0,
      transB ? 1 : 0,
    ];
    this.runtime.run(K_MATMUL, params, (batch * m * n * Math.max(k, 1)) / 4);
    return out;
  }

  // ---------------------------------------------------------------- indexing

  gather(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer {
    const xb = this.#own(x);
    const ib = this.#index(index, "gather");
    checkExtent(xb.size, outer * xSize * inner, "gather x");
    checkExtent(ib.size, outer * indexSize * inner, "gather index");
    const n = outer * indexSize * inner;
    this.#checkIndices(ib, n, xSize, "gather");
    const out = this.#new(xb.dtype, n);
    const params = [
      xb.address,
      ib.address,
      out.address,
      DTYPE_CODES[xb.dtype],
      outer,
      xSize,
      indexSize,
      inner,
    ];
    this.runtime.run(K_GATHER, params, n);
    return out;
  }

  scatterAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer {
    const sb = this.#own(src);
    const ib = this.#index(index, "scatterAdd");
    checkExtent(sb.size, outer * indexSize * inner, "scatterAdd src");
    checkExtent(ib.size, outer * indexSize * inner, "scatterAdd index");
    this.#checkIndices(ib, outer * indexSize * inner, outSize, "scatterAdd");
    const out = this.#new(sb.dtype, outer * outSize * inner);
    const params = [
      sb.address,
      ib.address,
      out.address,
      DTYPE_CODES[sb.dtype],
      outer,
      outSize,
      indexSize,
      inner,
    ];
    this.runtime.run(K_SCATTER_ADD, params);
    return out;
  }

  indexSelect(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    inner: number,
  ): BackendBuffer {
    const xb = this.#own(x);
    const ib = this.#index(index, "indexSelect");
    checkExtent(xb.size, outer * xSize * inner, "indexSelect x");
    this.#checkIndices(ib, ib.size, xSize, "indexSelect");
    const len = ib.size;
    const out = this.#new(xb.dtype, outer * len * inner);
    const params = [
      xb.address,
      ib.address,
      out.address,
      DTYPE_CODES[xb.dtype],
      outer,
      xSize,
      inner,
      len,
    ];
    this.runtime.run(K_INDEX_SELECT, params, outer * len * inner);
    return out;
  }

  indexAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    inner: number,
  ): BackendBuffer {
    const sb = this.#own(src);
    const ib = this.#index(index, "indexAdd");
    const len = ib.size;
    checkExtent(sb.size, outer * len * inner, "indexAdd src");
    this.#checkIndices(ib, len, outSize, "indexAdd");
    const out = this.#new(sb.dtype, outer * outSize * inner);
    const params = [
      sb.address,
      ib.address,
      out.address,
      DTYPE_CODES[sb.dtype],
      outer,
      outSize,
      inner,
      len,
    ];
    this.runtime.run(K_INDEX_ADD, params);
    return out;
  }

  #index(buf: BackendBuffer, what: string): WasmBuffer {
    const b = this.#own(buf);
    if (b.dtype !== "int32") throw new TypeError(`${what}: index must be int32, got ${b.dtype}`);
    return b;
  }

  /** Throw the js backend's RangeError for the first index outside [0, size). */
  #checkIndices(index: WasmBuffer, n: number, size: number, what: string): void {
    if (n === 0) return;
    const bad = this.runtime.run(K_FIRST_BAD_INDEX, [index.address, n, size]);
    if (bad >= 0) {
      const ix = new Int32Array(this.runtime.buffer, index.address, n)[bad];
      throw new RangeError(`${what}: index ${ix} is out of range for a dimension of size ${size}`);
    }
  }

  // ---------------------------------------------------------------- convolution helpers

  im2col(x: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    const xb = this.#own(x);
    checkExtent(xb.size, g.n * g.c * g.h * g.w, "im2col");
    const [oh, ow] = convOutputSize(g);
    const out = this.#new(xb.dtype, g.n * g.c * g.kh * g.kw * oh * ow);
    this.runtime.run(
      K_IM2COL,
      [xb.address, out.address, DTYPE_CODES[xb.dtype], ...geometry(g, oh, ow)],
      out.size,
    );
    return out;
  }

  col2im(cols: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    const cb = this.#own(cols);
    const [oh, ow] = convOutputSize(g);
    checkExtent(cb.size, g.n * g.c * g.kh * g.kw * oh * ow, "col2im");
    const out = this.#new(cb.dtype, g.n * g.c * g.h * g.w);
    this.runtime.run(
      K_COL2IM,
      [cb.address, out.address, DTYPE_CODES[cb.dtype], ...geometry(g, oh, ow)],
      cb.size,
    );
    return out;
  }

  // ---------------------------------------------------------------- random

  random(
    dist: RandomDistribution,
    size: number,
    key: readonly [number, number],
    offset: number,
  ): BackendBuffer {
    checkSize(size, "random");
    if (!Number.isInteger(offset) || offset < 0 || offset + size > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`random: offset ${offset} must be a non-negative safe integer`);
    }
    const out = this.#new("float32", size);
    const lo = offset % 2 ** 32;
    const hi = Math.floor(offset / 2 ** 32);
    const params = [
      out.address,
      size,
      dist === "normal" ? 1 : 0,
      key[0] >>> 0,
      key[1] >>> 0,
      lo,
      hi,
    ];
    this.runtime.run(K_RANDOM, params, dist === "normal" ? 16 * size : 4 * size);
    return out;
  }
}

function sameDType(a: WasmBuffer, b: WasmBuffer, what: string): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${what}: the wasm backend needs operands of one dtype, got ${a.dtype} and ${b.dtype}`,
    );
  }
}

/** The geometry as kernel parameters 3..17 (see assembly/conv.ts). */
function geometry(g: Conv2dGeometry, oh: number, ow: number): number[] {
  return [
    g.n,
    g.c,
    g.h,
    g.w,
    g.kh,
    g.kw,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilationH,
    g.dilationW,
    g.padValue,
    oh,
    ow,
  ];
}

/** Load the kernels and make a backend (async: browsers compile WebAssembly asynchronously). */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  return new WasmBackend(await WasmRuntime.create(options));
}
