import type { BackendBuffer, DType } from "../backend.js";
import type { FusedNode } from "./kernels/elementwise.js";

/**
 * A webgpu buffer handle. Every dtype is stored as 4-byte words on the GPU (WGSL has no 8-bit
 * storage type): float32 as f32, int32 as i32, bool as u32 0/1, converted on upload and read.
 */
export class GpuBuffer implements BackendBuffer {
  readonly dtype: DType;
  readonly size: number;
  #gpu: GPUBuffer | null;
  #released = false;

  /** The device the buffer lives on: another backend's buffers can't be used. */
  readonly device: GPUDevice;
  /** An elementwise expression not computed yet (see kernels/elementwise.ts). */
  pending: FusedNode | null = null;
  /** Buffers whose pending expressions read this one: computed before it changes or goes. */
  readers: Set<GpuBuffer> | null = null;

  constructor(dtype: DType, size: number, gpu: GPUBuffer, device: GPUDevice) {
    this.device = device;
    this.dtype = dtype;
    this.size = size;
    this.#gpu = gpu;
  }

  /** The device buffer (possibly larger than needed: it comes from a size-bucketed pool). */
  get gpu(): GPUBuffer {
    if (!this.#gpu) throw new Error(`webgpu backend: ${this.dtype} buffer used after free`);
    return this.#gpu;
  }

  /** Freed by its owner. Its device memory may live on while deferred expressions read it. */
  get freed(): boolean {
    return this.#released;
  }

  release(): void {
    this.#released = true;
  }

  /** Bytes of data on the device: 4 per element whatever the dtype. */
  get byteLength(): number {
    return this.size * 4;
  }

  /** Forget the device buffer (the pool now owns it); returns it. */
  detach(): GPUBuffer {
    const g = this.gpu;
    this.#gpu = null;
    return g;
  }
}

/** The 4-byte WGSL storage type of each dtype. */
export const WGSL_STORAGE: Record<DType, "f32" | "i32" | "u32"> = {
  float32: "f32",
  int32: "i32",
  bool: "u32",
};
