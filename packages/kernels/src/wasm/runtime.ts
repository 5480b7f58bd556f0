/**
 * One instance of the kernels: linear memory (grown on demand up to a limit), the allocator
 * over it, the task block kernels read their arguments from, and the optional thread pool.
 */

import { Allocator } from "./allocator.js";
import { compileKernels } from "./module.js";
import {
  CONTROL_BYTES,
  MAX_DIMS,
  SCRATCH_BYTES,
  T_KERNEL,
  T_P,
  T_RESULT,
  T_SCRATCH,
  TASK_BYTES,
  VIEW_SLOTS,
  VIEWS_AT,
} from "./protocol.js";
import { canUseThreads, ThreadPool } from "./threads.js";

export interface WasmBackendOptions {
  /** Threads to split big kernels over (workers need SharedArrayBuffer). Default 1. */
  threads?: number;
  /** Largest linear memory the backend may grow to. Default 4 GiB minus one page. */
  maxMemoryBytes?: number;
  /** Linear memory to start with. Default 16 MiB. */
  initialMemoryBytes?: number;
  /** Use shared memory even with one thread (defaults to threads > 1). */
  sharedMemory?: boolean;
  /** Use the relaxed-SIMD (FMA) build; default: when the engine supports it. */
  relaxedSimd?: boolean;
}

const PAGE = 65536;
const MAX_PAGES = 65535;

/** A strided view as the kernels read it: merged dims, then offsets and strides per view. */
export interface ViewTable {
  shape: readonly number[];
  offsets: readonly number[];
  strides: readonly (readonly number[])[];
}

type Run = (task: number, thread: number, threads: number) => void;

export class WasmRuntime {
  readonly allocator: Allocator;
  readonly threads: number;
  readonly relaxedSimd: boolean;
  readonly #memory: WebAssembly.Memory;
  readonly #run: Run;
  readonly #task: number;
  readonly #limit: number;
  readonly #pool: ThreadPool | null;
  #buffer: ArrayBuffer | SharedArrayBuffer;
  #f64: Float64Array;
  #i32: Int32Array;

  private constructor(
    memory: WebAssembly.Memory,
    run: Run,
    heapBase: number,
    limit: number,
    pool: ThreadPool | null,
    relaxedSimd: boolean,
  ) {
    this.#memory = memory;
    this.#run = run;
    this.#limit = limit;
    this.#pool = pool;
    this.relaxedSimd = relaxedSimd;
    this.threads = pool?.size ?? 1;
    this.#task = heapBase + CONTROL_BYTES;
    const scratch = this.#task + TASK_BYTES;
    this.#buffer = memory.buffer;
    this.#f64 = new Float64Array(this.#buffer);
    this.#i32 = new Int32Array(this.#buffer);
    this.#f64[(this.#task >> 3) + T_SCRATCH] = scratch;
    const heapStart = scratch + this.threads * SCRATCH_BYTES;
    this.allocator = new Allocator(heapStart, {
      capacity: () => this.#memory.buffer.byteLength,
      grow: (bytes) => this.#grow(bytes),
    });
  }

  static async create(options: WasmBackendOptions = {}): Promise<WasmRuntime> {
    const wanted = Math.max(1, Math.floor(options.threads ?? 1));
    const threads = wanted > 1 && canUseThreads() ? wanted : 1;
    const shared = (options.sharedMemory ?? threads > 1) && canUseThreads();
    const limit = Math.min(options.maxMemoryBytes ?? MAX_PAGES * PAGE, MAX_PAGES * PAGE);
    const { module, relaxed } = await compileKernels(shared, options.relaxedSimd);
    const probe = new WebAssembly.Memory({ initial: 1, maximum: 1, shared });
    const heapBase = instantiate(module, probe).heapBase();
    const reserved = heapBase + CONTROL_BYTES + TASK_BYTES + threads * SCRATCH_BYTES;
    if (reserved > limit) {
      throw new Error(
        `wasm backend: maxMemoryBytes ${limit} is below the ${reserved} bytes the kernels need`,
      );
    }
    const initialBytes = Math.min(
      limit,
      Math.max(reserved + PAGE, options.initialMemoryBytes ?? 16 << 20),
    );
    const memory = new WebAssembly.Memory({
      initial: Math.ceil(initialBytes / PAGE),
      maximum: Math.floor(limit / PAGE),
      shared,
    });
    const run = instantiate(module, memory).run;
    const pool = threads > 1 ? await ThreadPool.start(module, memory, heapBase, threads) : null;
    return new WasmRuntime(memory, run, heapBase, limit, pool, relaxed);
  }

  /** The whole linear memory (views are replaced when it grows). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    this.#refresh();
    return this.#buffer;
  }

  /** Bytes of linear memory in use by the heap so far (its high-water mark). */
  get heapTop(): number {
    return this.allocator.top;
  }

  /**
   * Run `kernel` with `params` (slots T_P...). `work` sizes the job: big ones are split over
   * the threads. Returns the kernel's result slot.
   */
  run(kernel: number, params: readonly number[], work = 0, table?: ViewTable): number {
    this.#refresh();
    const f64 = this.#f64;
    const base = this.#task >> 3;
    f64[base + T_KERNEL] = kernel;
    for (let i = 0; i < params.length; i++) f64[base + T_P + i] = params[i];
    if (table) this.#writeTable(table);
    const threads = this.#pool ? this.#threadsFor(work) : 1;
    if (threads > 1) {
      (this.#pool as ThreadPool).run(this.#task, threads, (t, n) => this.#run(this.#task, t, n));
    } else {
      this.#run(this.#task, 0, 1);
    }
    return f64[base + T_RESULT];
  }

  /** Stop the worker threads. */
  dispose(): void {
    this.#pool?.stop();
  }

  #threadsFor(work: number): number {
    // Below about 64K element operations, waking a thread costs more than it saves.
    const MIN_WORK_PER_THREAD = 1 << 16;
    return Math.max(1, Math.min(this.threads, Math.floor(work / MIN_WORK_PER_THREAD)));
  }

  #writeTable(t: ViewTable): void {
    const nd = t.shape.length;
    if (nd > MAX_DIMS) {
      throw new Error(
        `wasm backend: views with more than ${MAX_DIMS} non-mergeable dims are not supported`,
      );
    }
    const i32 = this.#i32;
    const at = (this.#task + VIEWS_AT) >> 2;
    i32[at] = nd;
    for (let d = 0; d < nd; d++) i32[at + 1 + d] = t.shape[d];
    for (let v = 0; v < t.offsets.length; v++) {
      const vb = at + 1 + MAX_DIMS + v * VIEW_SLOTS;
      i32[vb] = t.offsets[v];
      for (let d = 0; d < nd; d++) i32[vb + 1 + d] = t.strides[v][d];
    }
  }

  #refresh(): void {
    const b = this.#memory.buffer;
    if (b !== this.#buffer) {
      this.#buffer = b;
      this.#f64 = new Float64Array(b);
      this.#i32 = new Int32Array(b);
    }
  }

  #grow(bytes: number): void {
    if (bytes > this.#limit) {
      throw new Error(
        `wasm backend: out of memory: this allocation needs ${bytes} bytes of linear memory, beyond the limit of ${this.#limit} bytes (maxMemoryBytes). Free tensors you no longer need (dispose()) or use smaller batches.`,
      );
    }
    const have = this.#memory.buffer.byteLength;
    // Grow by at least a quarter, so a heap that creeps up doesn't grow one page at a time.
    const target = Math.min(this.#limit, Math.max(bytes, have + have / 4));
    const pages = Math.ceil(target / PAGE) - have / PAGE;
    try {
      this.#memory.grow(pages);
    } catch (e) {
      throw new Error(
        `wasm backend: out of memory: growing linear memory to ${target} bytes failed (${(e as Error).message})`,
      );
    }
    this.#refresh();
  }
}

interface KernelExports {
  run: Run;
  heapBase(): number;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error("wasm kernel aborted");
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}
