/**
 * Lazy dispatch. Kernels are recorded into one command encoder (one compute pass) and
 * submitted as a batch: before a read, when the parameter arena is full, or when enough freed
 * memory waits for a submit to be reused. Pipelines are compiled once per WGSL source.
 */

import type { GpuBuffer } from "./buffer.js";
import type { GpuHealth } from "./device.js";
import type { ParamBlock } from "./params.js";
import type { BufferPool } from "./pool.js";

// Numeric flags (GPUBufferUsage, GPUMapMode, GPUShaderStage): Node's `webgpu` package doesn't
// install those globals, and the values are fixed by the spec.
const USAGE_MAP_READ = 0x1;
const USAGE_COPY_SRC = 0x4;
const USAGE_COPY_DST = 0x8;
const USAGE_UNIFORM = 0x40;
const USAGE_STORAGE = 0x80;
const MAP_READ = 0x1;
const STAGE_COMPUTE = 0x4;

/** Bytes of kernel parameters one batch can hold (one slot per dispatch). */
const ARENA_BYTES = 128 * 1024;
/** Submit early once this many freed bytes wait for a submit before they can be reused. */
const PENDING_FLUSH_BYTES = 64 * 1024 * 1024;

export interface Launch {
  /** WGSL source with entry point `main`; equal sources share one compiled pipeline. */
  source: string;
  params: ParamBlock;
  /** Storage bindings 1.. in order: read-only inputs, then read-write outputs. */
  inputs: readonly GpuBuffer[];
  outputs: readonly GpuBuffer[];
  /** Workgroups in x, y, z. */
  grid: readonly [number, number, number];
}

export class CommandQueue {
  readonly #device: GPUDevice;
  readonly #pool: BufferPool;
  readonly #health: GpuHealth;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #layouts = new Map<string, [GPUBindGroupLayout, GPUPipelineLayout]>();
  readonly #arena: GPUBuffer;
  readonly #arenaWords = new Uint32Array(ARENA_BYTES / 4);
  readonly #slotBytes: number;
  #arenaUsed = 0;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #dispatches = 0;
  #submits = 0;
  /**
   * Kernels that meet an invalid index set a bit here (WGSL can't throw); every read checks it,
   * so the error surfaces at the next read, as CUDA's device-side asserts do.
   */
  readonly errorFlags: GPUBuffer;

  constructor(device: GPUDevice, pool: BufferPool, health: GpuHealth) {
    this.#device = device;
    this.#pool = pool;
    this.#health = health;
    this.#slotBytes = device.limits.minUniformBufferOffsetAlignment;
    this.#arena = device.createBuffer({
      label: "gradbook kernel parameters",
      size: ARENA_BYTES,
      usage: USAGE_UNIFORM | USAGE_COPY_DST,
    });
    this.errorFlags = device.createBuffer({
      label: "gradbook kernel error flags",
      size: 4,
      usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST,
    });
  }

  /** True while recorded commands wait for a submit. */
  get busy(): boolean {
    return this.#encoder !== null;
  }

  /** Dispatches recorded and batches submitted so far (for tests and benchmarks). */
  get counts(): { dispatches: number; submits: number } {
    return { dispatches: this.#dispatches, submits: this.#submits };
  }

  dispatch(launch: Launch): void {
    const words = launch.params.words();
    const bytes = Math.ceil((words.length * 4) / this.#slotBytes) * this.#slotBytes;
    if (this.#arenaUsed + bytes > ARENA_BYTES) this.flush();
    const offset = this.#arenaUsed;
    this.#arenaWords.set(words, offset / 4);
    this.#arenaUsed += bytes;

    const nIn = launch.inputs.length;
    const [bindLayout, pipeline] = this.#pipeline(launch.source, nIn, launch.outputs.length);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.#arena, offset, size: words.length * 4 } },
    ];
    [...launch.inputs, ...launch.outputs].forEach((b, k) => {
      // Empty tensors still bind 4 bytes: a zero-sized binding is invalid.
      entries.push({
        binding: k + 1,
        resource: { buffer: b.gpu, size: Math.max(4, b.byteLength) },
      });
    });
    const bindGroup = this.#device.createBindGroup({ layout: bindLayout, entries });
    const pass = this.#computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(launch.grid[0], launch.grid[1], launch.grid[2]);
    this.#dispatches++;
    if (this.#pool.pendingBytes > PENDING_FLUSH_BYTES) this.flush();
  }

  /** Submit everything recorded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#pass?.end();
    this.#pass = null;
    if (this.#arenaUsed > 0) {
      this.#device.queue.writeBuffer(this.#arena, 0, this.#arenaWords, 0, this.#arenaUsed / 4);
    }
    this.#arenaUsed = 0;
    const commands = this.#encoder.finish();
    this.#encoder = null;
    this.#device.queue.submit([commands]);
    this.#submits++;
    this.#pool.submitted();
  }

  /**
   * The first `bytes` bytes of `src`, once every command recorded before this call has run.
   * Fails if a kernel since the last read met an invalid index (`describeFlags` names it).
   */
  async read(
    src: GPUBuffer,
    bytes: number,
    describeFlags: (flags: number) => string,
  ): Promise<ArrayBuffer> {
    this.#health.check();
    const staging = this.#device.createBuffer({
      label: "gradbook readback",
      size: bytes + 4,
      usage: USAGE_MAP_READ | USAGE_COPY_DST,
    });
    this.#pass?.end();
    this.#pass = null;
    const encoder = this.#commandEncoder();
    if (bytes > 0) encoder.copyBufferToBuffer(src, 0, staging, 0, bytes);
    encoder.copyBufferToBuffer(this.errorFlags, 0, staging, bytes, 4);
    encoder.clearBuffer(this.errorFlags);
    this.flush();
    try {
      await staging.mapAsync(MAP_READ);
    } catch (e) {
      staging.destroy();
      await this.#health.settled();
      this.#health.check(); // a lost device explains the failure better than mapAsync does
      throw new Error(`webgpu: reading a tensor back from the GPU failed: ${(e as Error).message}`);
    }
    const mapped = staging.getMappedRange();
    const data = mapped.slice(0, bytes);
    const flags = new Uint32Array(mapped, bytes, 1)[0];
    staging.unmap();
    staging.destroy();
    await this.#health.settled();
    this.#health.check();
    if (flags !== 0) throw new RangeError(describeFlags(flags));
    return data;
  }

  #commandEncoder(): GPUCommandEncoder {
    this.#encoder ??= this.#device.createCommandEncoder({ label: "gradbook batch" });
    return this.#encoder;
  }

  #computePass(): GPUComputePassEncoder {
    this.#pass ??= this.#commandEncoder().beginComputePass();
    return this.#pass;
  }

  #pipeline(source: string, nIn: number, nOut: number): [GPUBindGroupLayout, GPUComputePipeline] {
    const [bindLayout, pipelineLayout] = this.#layout(nIn, nOut);
    let pipeline = this.#pipelines.get(source);
    if (!pipeline) {
      const device = this.#device;
      device.pushErrorScope("validation");
      const module = device.createShaderModule({ code: source });
      pipeline = device.createComputePipeline({
        layout: pipelineLayout,
        compute: { module, entryPoint: "main" },
      });
      this.#health.track(
        device.popErrorScope(),
        (e) => `internal error: a kernel failed to compile: ${e.message}\n${source}`,
      );
      this.#pipelines.set(source, pipeline);
    }
    return [bindLayout, pipeline];
  }

  /** Binding 0: the parameters; then `nIn` read-only and `nOut` read-write storage buffers. */
  #layout(nIn: number, nOut: number): [GPUBindGroupLayout, GPUPipelineLayout] {
    const key = `${nIn}:${nOut}`;
    let layouts = this.#layouts.get(key);
    if (!layouts) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: "uniform" } },
      ];
      for (let k = 0; k < nIn + nOut; k++) {
        entries.push({
          binding: k + 1,
          visibility: STAGE_COMPUTE,
          buffer: { type: k < nIn ? "read-only-storage" : "storage" },
        });
      }
      const bindLayout = this.#device.createBindGroupLayout({ entries });
      const pipelineLayout = this.#device.createPipelineLayout({ bindGroupLayouts: [bindLayout] });
      layouts = [bindLayout, pipelineLayout];
      this.#layouts.set(key, layouts);
    }
    return layouts;
  }
}
