/**
 * What kernels need from the backend: output allocation (pooled, counted) and launching.
 */

import type { DType } from "../backend.js";
import { GpuBuffer } from "./buffer.js";
import type { GpuHealth } from "./device.js";
import { forget, materialize } from "./kernels/elementwise.js";
import type { ParamBlock } from "./params.js";
import { BufferPool } from "./pool.js";
import { CommandQueue } from "./queue.js";
import { WORKGROUP } from "./wgsl/prelude.js";

const USAGE_COPY_SRC = 0x4;
const USAGE_COPY_DST = 0x8;
const USAGE_STORAGE = 0x80;

/** Idle pooled memory kept for reuse before the pool starts destroying buffers. */
const MAX_IDLE_BYTES = 256 * 1024 * 1024;

export class GpuContext {
  readonly device: GPUDevice;
  readonly health: GpuHealth;
  readonly pool: BufferPool;
  readonly queue: CommandQueue;
  /** Buffers handed out and not freed, and their bytes as the Backend interface counts them. */
  liveBuffers = 0;
  liveBytes = 0;

  /** A software adapter (see device.ts): prefer kernels without workgroup barriers. */
  readonly software: boolean;

  /** Whether elementwise ops are deferred and fused (see kernels/elementwise.ts). */
  readonly fuse: boolean;

  constructor(device: GPUDevice, health: GpuHealth, software: boolean, fuse: boolean) {
    this.device = device;
    this.software = software;
    this.fuse = fuse;
    this.health = health;
    this.pool = new BufferPool((bytes) => this.#createBuffer(bytes), MAX_IDLE_BYTES);
    this.queue = new CommandQueue(device, this.pool, health);
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /**
   * A new buffer of `size` elements, contents undefined. `hostWrite`: it will be filled with
   * `queue.writeBuffer` rather than by a kernel (see pool.ts for why that matters).
   */
  alloc(dtype: DType, size: number, what: string, hostWrite = false): GpuBuffer {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`${what}: size must be a non-negative integer, got ${size}`);
    }
    this.health.check();
    const bytes = size * 4;
    const limit = Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
    if (bytes > limit) {
      throw new RangeError(
        `${what}: a tensor of ${size} elements (${formatBytes(bytes)} on the GPU) is larger than this GPU allows in one buffer (${formatBytes(limit)}, maxStorageBufferBindingSize)`,
      );
    }
    const buf = new GpuBuffer(dtype, size, this.pool.acquire(bytes, hostWrite), this.device);
    this.liveBuffers++;
    this.liveBytes += bytesOf(dtype, size);
    return buf;
  }

  /**
   * Free a buffer (twice is a no-op). Its own deferred expression is dropped, never computed.
   * If deferred expressions still read it, its memory goes back to the pool only once they
   * are computed or dropped (see `readerGone`).
   */
  free(buf: GpuBuffer): void {
    if (buf.freed) return;
    buf.release();
    forget(this, buf);
    this.liveBuffers--;
    this.liveBytes -= bytesOf(buf.dtype, buf.size);
    if (!buf.readers || buf.readers.size === 0) this.pool.release(buf.detach(), this.queue.busy);
  }

  /** `reader`'s expression no longer reads `leaf` (computed or dropped). */
  readerGone(leaf: GpuBuffer, reader: GpuBuffer): void {
    // A buffer read through two views is one leaf per view: the first call does the work.
    if (!leaf.readers?.delete(reader)) return;
    if (leaf.freed && leaf.readers.size === 0) this.pool.release(leaf.detach(), this.queue.busy);
  }

  run(launch: {
    source: string;
    params: ParamBlock;
    inputs: readonly GpuBuffer[];
    outputs: readonly GpuBuffer[];
    grid: readonly [number, number, number];
  }): void {
    this.health.check();
    for (const b of launch.inputs) materialize(this, b);
    for (const b of launch.outputs) {
      // A kernel writing into an existing buffer (writeView): what reads its old values runs
      // first, and its own deferred value is computed before being partly overwritten.
      for (const reader of [...(b.readers ?? [])]) materialize(this, reader);
      materialize(this, b);
    }
    this.queue.dispatch(launch);
  }

  /** Workgroups for `threads` threads in groups of `perGroup`, folded into 2-D past the limit. */
  grid(threads: number, perGroup = WORKGROUP): [number, number, number] {
    return this.groups(Math.ceil(threads / perGroup));
  }

  /** `count` workgroups laid out within maxComputeWorkgroupsPerDimension (kernels skip extras). */
  groups(count: number): [number, number, number] {
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    if (count <= max) return [Math.max(count, 1), 1, 1];
    const y = Math.ceil(count / max);
    if (y > max) throw new RangeError(`webgpu: ${count} workgroups exceed this GPU's grid limit`);
    return [Math.ceil(count / y), y, 1];
  }

  #createBuffer(bytes: number): GPUBuffer {
    const device = this.device;
    device.pushErrorScope("out-of-memory");
    const buffer = device.createBuffer({
      size: bytes,
      usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST,
    });
    this.health.track(device.popErrorScope(), () => {
      this.pool.trim(0);
      return `out of GPU memory while allocating ${formatBytes(bytes)} (live tensors hold ${formatBytes(this.liveBytes)}); use smaller batches or models, or free tensors with dispose()`;
    });
    return buffer;
  }
}

/** Bytes of a buffer as the Backend interface counts them (bool is one byte per element). */
function bytesOf(dtype: DType, size: number): number {
  return dtype === "bool" ? size : size * 4;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
