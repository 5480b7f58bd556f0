/// <reference types="@webgpu/types" preserve="true" />

/**
 * The webgpu backend: WGSL compute shaders on the student's GPU.
 *
 * Kernels return at once with a new buffer; their dispatches are recorded and submitted in
 * batches (see queue.ts), chains of elementwise ops are fused into single kernels (see
 * kernels/elementwise.ts), and only `read` waits for the GPU. Buffers come from a size-bucketed
 * pool (pool.ts). Every kernel matches the js backend (tested against it), within float32
 * rounding.
 */

import {
  type AdamStepParams,
  type AnyTypedArray,
  type Backend,
  type BackendBuffer,
  type BinaryOp,
  type Conv2dGeometry,
  type DType,
  dtypeOfArray,
  type MatmulParams,
  type MemoryInfo,
  type RandomDistribution,
  type ReduceOp,
  type RmspropStepParams,
  type SgdStepParams,
  type UnaryOp,
  type View,
} from "../backend.js";
import {
  checkExtent,
  checkSameShape,
  checkScalar,
  checkUpdateBuffers,
  checkView,
} from "../checks.js";
import { GpuBuffer } from "./buffer.js";
import { GpuContext } from "./context.js";
import { defaultGpu, GpuHealth, type OpenedDevice, openDevice } from "./device.js";
import { col2im, im2col } from "./kernels/conv.js";
import { materialize } from "./kernels/elementwise.js";
import { gather, INDEX_ERROR, indexAdd, indexSelect, scatterAdd } from "./kernels/indexing.js";
import { matmul } from "./kernels/matmul.js";
import { adamStep, rmspropStep, sgdStep } from "./kernels/optim.js";
import {
  binary,
  binaryScalar,
  cast,
  copy,
  fill,
  unary,
  where,
  writeView,
} from "./kernels/pointwise.js";
import { random } from "./kernels/random.js";
import { reduce } from "./kernels/reduce.js";
import { softmax } from "./kernels/softmax.js";

export interface WebGpuOptions {
  /** The WebGPU entry point: `navigator.gpu` by default; in Node, `create([])` of the `webgpu` package. */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
  /**
   * Override the adapter detection: true picks the kernels without workgroup barriers (fast on
   * software adapters such as SwiftShader), false the workgroup-memory tiles real GPUs prefer.
   */
  softwareKernels?: boolean;
  /** Defer and fuse chains of elementwise ops into single kernels (default true). */
  fuse?: boolean;
}

/** What the backend knows about its device, for `torch.memory()`-style reports and benches. */
export interface WebGpuInfo {
  adapter: string;
  /** Bytes of every GPU buffer held (live tensors plus the idle pool). */
  deviceBytes: number;
  /** Of those, bytes idle in the pool for reuse. */
  idleBytes: number;
  dispatches: number;
  submits: number;
}

export class WebGpuBackend implements Backend {
  readonly name = "webgpu";
  readonly syncReadback = false;
  readonly adapter: string;
  readonly #ctx: GpuContext;
  readonly #origin: OpenedDevice["origin"];

  private constructor(opened: OpenedDevice, softwareKernels: boolean, fuse: boolean) {
    this.adapter = opened.adapterName;
    this.#origin = opened.origin;
    this.#ctx = new GpuContext(opened.device, new GpuHealth(opened.device), softwareKernels, fuse);
  }

  /** A backend on the best adapter, or null when WebGPU or an adapter is unavailable. */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend | null> {
    const gpu = options.gpu ?? defaultGpu();
    if (!gpu) return null;
    const opened = await openDevice(gpu, options.powerPreference);
    return (
      opened &&
      new WebGpuBackend(opened, options.softwareKernels ?? opened.software, options.fuse ?? true)
    );
  }

  get device(): GPUDevice {
    return this.#ctx.device;
  }

  /** The adapter the device was created from. */
  get gpuAdapter(): GPUAdapter {
    return this.#origin.adapter;
  }

  info(): WebGpuInfo {
    const pool = this.#ctx.pool.stats();
    return { adapter: this.adapter, ...pool, ...this.#ctx.queue.counts };
  }

  /** Submit queued work now (reads do this themselves). */
  flush(): void {
    this.#ctx.queue.flush();
  }

  /** Release the device; the backend can't be used afterwards. */
  destroy(): void {
    this.#ctx.queue.flush();
    this.#ctx.device.destroy();
  }

  // ---------------------------------------------------------------- memory

  alloc(dtype: DType, size: number): BackendBuffer {
    return fill(this.#ctx, dtype, size, 0);
  }

  upload(data: AnyTypedArray): BackendBuffer {
    const dtype = dtypeOfArray(data);
    const buf = this.#ctx.alloc(dtype, data.length, "upload", true);
    if (data.length > 0) {
      // Bools become u32 words; float32 and int32 go as they are.
      const words = dtype === "bool" ? Uint32Array.from(data) : data;
      this.#ctx.device.queue.writeBuffer(
        buf.gpu,
        0,
        words.buffer,
        words.byteOffset,
        words.byteLength,
      );
    }
    return buf;
  }

  async read(buf: BackendBuffer): Promise<AnyTypedArray> {
    const b = this.#own(buf);
    materialize(this.#ctx, b);
    const bytes = await this.#ctx.queue.read(b.gpu, b.byteLength, describeIndexErrors);
    if (b.dtype === "float32") return new Float32Array(bytes);
    if (b.dtype === "int32") return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes));
  }

  readSync(_buf: BackendBuffer): AnyTypedArray {
    throw new Error(
      "The webgpu backend can't read GPU memory synchronously: use `await x.data()`, `await x.tolist()` or `await x.item()`.",
    );
  }

  free(buf: BackendBuffer): void {
    this.#ctx.free(this.#own(buf, true));
  }

  memory(): MemoryInfo {
    return { buffers: this.#ctx.liveBuffers, bytes: this.#ctx.liveBytes };
  }

  emptyCache(): void {
    this.#ctx.queue.flush(); // freed-but-pending buffers become idle once submitted
    this.#ctx.pool.trim(0);
  }

  // ---------------------------------------------------------------- elementwise

  fill(dtype: DType, size: number, value: number): BackendBuffer {
    return fill(this.#ctx, dtype, size, value);
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    return cast(this.#ctx, this.#own(x), dtype);
  }

  copy(x: BackendBuffer, view: View): BackendBuffer {
    const b = this.#own(x);
    checkView(view, b.size, "copy");
    return copy(this.#ctx, b, view);
  }

  writeView(dst: BackendBuffer, src: BackendBuffer, view: View): void {
    const d = this.#own(dst);
    let s = this.#own(src);
    checkView(view, d.size, "writeView");
    const n = view.shape.reduce((p, k) => p * k, 1);
    if (s.size !== n)
      throw new Error(`writeView: src has ${s.size} elements, view shape needs ${n}`);
    // The source is computed on its own: its expression might read the destination.
    materialize(this.#ctx, s);
    // A buffer can't be bound for reading and writing in one dispatch: copy it first.
    const alias = s === d;
    if (alias) {
      s = copy(this.#ctx, s, { shape: [s.size], strides: [1], offset: 0 });
      materialize(this.#ctx, s);
    }
    writeView(this.#ctx, d, s, view);
    if (alias) this.#ctx.free(s);
  }

  unary(op: UnaryOp, x: BackendBuffer, params: readonly number[] = []): BackendBuffer {
    return unary(this.#ctx, op, this.#own(x), params);
  }

  binary(op: BinaryOp, a: BackendBuffer, av: View, b: BackendBuffer, bv: View): BackendBuffer {
    const ga = this.#own(a);
    const gb = this.#own(b);
    checkView(av, ga.size, "binary a");
    checkView(bv, gb.size, "binary b");
    checkSameShape(av.shape, bv.shape, "binary");
    return binary(this.#ctx, op, ga, av, gb, bv);
  }

  binaryScalar(op: BinaryOp, a: BackendBuffer, s: number, scalarFirst: boolean): BackendBuffer {
    checkScalar(s, "binaryScalar");
    return binaryScalar(this.#ctx, op, this.#own(a), s, scalarFirst);
  }

  where(
    cond: BackendBuffer,
    cv: View,
    a: BackendBuffer,
    av: View,
    b: BackendBuffer,
    bv: View,
  ): BackendBuffer {
    const [gc, ga, gb] = [this.#own(cond), this.#own(a), this.#own(b)];
    checkView(cv, gc.size, "where cond");
    checkView(av, ga.size, "where a");
    checkView(bv, gb.size, "where b");
    checkSameShape(cv.shape, av.shape, "where");
    checkSameShape(cv.shape, bv.shape, "where");
    return where(this.#ctx, gc, cv, ga, av, gb, bv);
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
    const [gp, gg, gm, gv] = [param, grad, expAvg, expAvgSq].map((b) => this.#own(b));
    const gx = maxExpAvgSq ? this.#own(maxExpAvgSq) : null;
    checkUpdateBuffers("adamStep", [gp, gg, gm, gv, gx]);
    adamStep(this.#ctx, gp, gg, gm, gv, gx, p);
  }

  sgdStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    momentumBuffer: BackendBuffer | null,
    p: SgdStepParams,
  ): void {
    const [gp, gg] = [this.#own(param), this.#own(grad)];
    const gb = momentumBuffer ? this.#own(momentumBuffer) : null;
    checkUpdateBuffers("sgdStep", [gp, gg, gb]);
    sgdStep(this.#ctx, gp, gg, gb, p);
  }

  rmspropStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    squareAvg: BackendBuffer,
    gradAvg: BackendBuffer | null,
    momentumBuffer: BackendBuffer | null,
    p: RmspropStepParams,
  ): void {
    const [gp, gg, gs] = [param, grad, squareAvg].map((b) => this.#own(b));
    const [ga, gb] = [gradAvg, momentumBuffer].map((b) => (b ? this.#own(b) : null));
    checkUpdateBuffers("rmspropStep", [gp, gg, gs, ga, gb]);
    rmspropStep(this.#ctx, gp, gg, gs, ga, gb, p);
  }

  // ---------------------------------------------------------------- reductions

  reduce(
    op: ReduceOp,
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
  ): BackendBuffer {
    const b = this.#own(x);
    checkExtent(b.size, outer * size * inner, "reduce");
    if (size === 0 && op !== "sum" && op !== "prod") {
      throw new Error(`reduce: ${op} of an empty dimension (size 0) has no identity`);
    }
    return reduce(this.#ctx, op, b, outer, size, inner);
  }

  softmax(
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): BackendBuffer {
    const b = this.#own(x);
    checkExtent(b.size, outer * size * inner, "softmax");
    return softmax(this.#ctx, b, outer, size, inner, log);
  }

  matmul(a: BackendBuffer, b: BackendBuffer, p: MatmulParams): BackendBuffer {
    const ga = this.#own(a);
    const gb = this.#own(b);
    if (p.batch > 0) {
      checkExtent(ga.size, (p.batch - 1) * p.aBatchStride + p.m * p.k, "matmul A");
      checkExtent(gb.size, (p.batch - 1) * p.bBatchStride + p.k * p.n, "matmul B");
    }
    return matmul(this.#ctx, ga, gb, p);
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
    const [gx, gi] = [this.#own(x), this.#index(index, "gather")];
    checkExtent(gx.size, outer * xSize * inner, "gather x");
    checkExtent(gi.size, outer * indexSize * inner, "gather index");
    return gather(this.#ctx, gx, gi, outer, xSize, indexSize, inner);
  }

  scatterAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer {
    const [gs, gi] = [this.#own(src), this.#index(index, "scatterAdd")];
    checkExtent(gs.size, outer * indexSize * inner, "scatterAdd src");
    checkExtent(gi.size, outer * indexSize * inner, "scatterAdd index");
    return scatterAdd(this.#ctx, gs, gi, outer, outSize, indexSize, inner);
  }

  indexSelect(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    inner: number,
  ): BackendBuffer {
    const [gx, gi] = [this.#own(x), this.#index(index, "indexSelect")];
    checkExtent(gx.size, outer * xSize * inner, "indexSelect x");
    return indexSelect(this.#ctx, gx, gi, outer, xSize, inner);
  }

  indexAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    inner: number,
  ): BackendBuffer {
    const [gs, gi] = [this.#own(src), this.#index(index, "indexAdd")];
    checkExtent(gs.size, outer * gi.size * inner, "indexAdd src");
    return indexAdd(this.#ctx, gs, gi, outer, outSize, inner);
  }

  // ---------------------------------------------------------------- convolution helpers

  im2col(x: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    const b = this.#own(x);
    checkExtent(b.size, g.n * g.c * g.h * g.w, "im2col");
    return im2col(this.#ctx, b, g);
  }

  col2im(cols: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    return col2im(this.#ctx, this.#own(cols), g);
  }

  // ---------------------------------------------------------------- random

  random(
    dist: RandomDistribution,
    size: number,
    key: readonly [number, number],
    offset: number,
  ): BackendBuffer {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`random: offset ${offset} must be a non-negative safe integer`);
    }
    return random(this.#ctx, dist, size, key, offset);
  }

  // ---------------------------------------------------------------- argument checks

  /** `buf` as this backend's live buffer, or a clear error. */
  #own(buf: BackendBuffer, allowFreed = false): GpuBuffer {
    if (!(buf instanceof GpuBuffer) || buf.device !== this.#ctx.device) {
      throw new Error("webgpu backend: buffer belongs to another backend");
    }
    if (!allowFreed && buf.freed)
      throw new Error(`webgpu backend: ${buf.dtype} buffer used after free`);
    return buf;
  }

  #index(buf: BackendBuffer, what: string): GpuBuffer {
    if (buf.dtype !== "int32")
      throw new TypeError(`${what}: index must be int32, got ${buf.dtype}`);
    return this.#own(buf);
  }
}

// ------------------------------------------------------------------ helpers

/** The error a read raises when index kernels queued before it met invalid indices. */
function describeIndexErrors(flags: number): string {
  const ops = Object.entries(INDEX_ERROR)
    .filter(([, bit]) => flags & bit)
    .map(([op]) => op);
  return `${ops.join(", ")}: an index was out of range for the dimension it indexes (found on the GPU, at this read; the results computed with it are wrong)`;
}
