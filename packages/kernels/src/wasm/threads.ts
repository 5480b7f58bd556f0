/**
 * Worker threads over shared linear memory. The Backend API is synchronous, so a parallel
 * kernel runs like this: the host publishes the task in the control block and wakes the
 * workers, computes its own share (thread 0), then waits for the others with Atomics.wait
 * where it may block (Node, workers) or by spinning on Atomics.load (a browser's main thread).
 */

import { C_DONE, C_ERROR, C_SEQ, C_STOP, C_TASK, C_THREADS } from "./protocol.js";
import { WORKER_SOURCE, type WorkerInit } from "./worker.js";

interface ThreadHandle {
  terminate(): void;
}

/**
 * Loads of a control slot to spin through before sleeping. Waking a sleeping thread takes tens
 * of microseconds, as long as a small kernel, and a training step issues kernels back to back:
 * so workers spin for about a millisecond after each task, the host for a shorter while.
 */
const WORKER_SPIN = 500_000;
const HOST_SPIN = 20_000;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/** Whether this environment can share memory with worker threads. */
export function canUseThreads(): boolean {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return false;
  if (isNode()) return true;
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  return g.crossOriginIsolated === true && typeof g.Worker === "function";
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  return isNode() || typeof (globalThis as { document?: unknown }).document === "undefined";
}

interface NodeWorker {
  on(event: "message" | "error", listener: (value: unknown) => void): void;
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
}

async function spawn(init: WorkerInit): Promise<ThreadHandle> {
  if (isNode()) {
    // A computed specifier: browser bundlers must not try to resolve a Node built-in.
    const specifier = "node:worker_threads";
    const { Worker } = (await import(/* @vite-ignore */ specifier)) as NodeWorkerThreads;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    await new Promise<void>((resolve, reject) => {
      worker.on("message", () => resolve());
      worker.on("error", reject);
      worker.postMessage(init);
    });
    worker.unref(); // idle workers must not keep the process alive
    return { terminate: () => void worker.terminate() };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`wasm worker failed to start: ${e.message}`));
    worker.postMessage(init);
  });
  URL.revokeObjectURL(url);
  return { terminate: () => worker.terminate() };
}

export class ThreadPool {
  readonly #ctl: Int32Array;
  readonly #workers: ThreadHandle[];
  readonly #block = canBlock();

  private constructor(ctl: Int32Array, workers: ThreadHandle[]) {
    this.#ctl = ctl;
    this.#workers = workers;
  }

  /** Start `threads - 1` workers (the calling thread is the first thread). */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    control: number,
    threads: number,
  ): Promise<ThreadPool> {
    const ctl = new Int32Array(memory.buffer, control, 16);
    const slots = {
      seq: C_SEQ,
      done: C_DONE,
      threads: C_THREADS,
      stop: C_STOP,
      error: C_ERROR,
      task: C_TASK,
    };
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) =>
        spawn({ module, memory, control, index: i + 1, slots, spin: WORKER_SPIN }),
      ),
    );
    return new ThreadPool(ctl, workers);
  }

  /** Threads available, counting the calling one. */
  get size(): number {
    return this.#workers.length + 1;
  }

  /** Run `run(task, t, threads)` on threads 0..threads-1 and return when all are done. */
  run(task: number, threads: number, runHere: (thread: number, threads: number) => void): void {
    const ctl = this.#ctl;
    Atomics.store(ctl, C_THREADS, threads);
    Atomics.store(ctl, C_TASK, task);
    Atomics.store(ctl, C_DONE, 0);
    Atomics.store(ctl, C_ERROR, 0);
    Atomics.add(ctl, C_SEQ, 1);
    Atomics.notify(ctl, C_SEQ);
    let failure: unknown = null;
    try {
      runHere(0, threads);
    } catch (e) {
      failure = e;
    }
    const others = threads - 1;
    let spins = 0;
    for (let done = Atomics.load(ctl, C_DONE); done < others; done = Atomics.load(ctl, C_DONE)) {
      if (this.#block && ++spins > HOST_SPIN) Atomics.wait(ctl, C_DONE, done);
    }
    if (failure) throw failure;
    if (Atomics.load(ctl, C_ERROR))
      throw new Error("wasm backend: a kernel failed on a worker thread");
  }

  /** Stop the workers; the pool can't be used afterwards. */
  stop(): void {
    Atomics.store(this.#ctl, C_STOP, 1);
    Atomics.add(this.#ctl, C_SEQ, 1);
    Atomics.notify(this.#ctl, C_SEQ);
    for (const w of this.#workers) w.terminate();
  }
}
