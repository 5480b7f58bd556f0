/**
 * The code each worker thread runs, as source text: Node's worker_threads evaluates it, and
 * browsers load it from a Blob URL, so no file path or bundler plugin is involved. It
 * instantiates the kernels on the shared memory, then serves tasks forever: sleep until the
 * host bumps the sequence number, run this thread's share, count itself done.
 */

/** Minimal shape of Node's parentPort and a browser worker's global scope. */
interface Port {
  on?(event: "message", listener: (data: WorkerInit) => void): void;
  addEventListener?(event: "message", listener: (e: { data: WorkerInit }) => void): void;
  postMessage(message: unknown): void;
}

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the control block. */
  control: number;
  /** This worker's thread index (the host is thread 0). */
  index: number;
  /** Control-block slots (protocol.ts), passed in because this function can't import. */
  slots: { seq: number; done: number; threads: number; stop: number; error: number; task: number };
  /** Loads of the sequence number to spin through before sleeping. */
  spin: number;
}

type Run = (task: number, thread: number, threads: number) => void;

// Self-contained: it is serialized with toString(), so it may use nothing from outside itself.
function workerMain(nodePort: Port | null): void {
  const port: Port = nodePort ?? (globalThis as unknown as Port);
  const start = (init: WorkerInit): void => {
    const { memory, slots } = init;
    const instance = new WebAssembly.Instance(init.module, {
      env: {
        memory,
        abort: () => {
          throw new Error("wasm kernel aborted");
        },
      },
    });
    const run = instance.exports.run as Run;
    const ctl = new Int32Array(memory.buffer, init.control, 16);
    port.postMessage("ready");
    let seen = Atomics.load(ctl, slots.seq);
    for (;;) {
      let spins = 0;
      while (Atomics.load(ctl, slots.seq) === seen) {
        if (++spins > init.spin) Atomics.wait(ctl, slots.seq, seen);
      }
      seen = Atomics.load(ctl, slots.seq);
      if (Atomics.load(ctl, slots.stop)) return;
      const threads = Atomics.load(ctl, slots.threads);
      if (init.index >= threads) continue;
      try {
        run(Atomics.load(ctl, slots.task), init.index, threads);
      } catch {
        Atomics.store(ctl, slots.error, 1);
      }
      Atomics.add(ctl, slots.done, 1);
      Atomics.notify(ctl, slots.done);
    }
  };
  if (port.on) port.on("message", start);
  else port.addEventListener?.("message", (e) => start(e.data));
}

/** Source text for a worker; `require` exists only in Node's eval workers. */
export const WORKER_SOURCE = `(${workerMain.toString()})(typeof require === "function" ? require("node:worker_threads").parentPort : null);`;
