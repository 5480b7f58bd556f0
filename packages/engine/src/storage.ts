import type { Backend, BackendBuffer } from "@gradbook/kernels";

/**
 * Device memory shared by a tensor and its views. Students never free memory: when the last
 * tensor using a Storage is garbage collected, a FinalizationRegistry returns its buffer to
 * the backend. `dispose()` frees at once, for experts.
 */
interface Allocation {
  backend: Backend;
  buffer: BackendBuffer | null;
}

const registry = new FinalizationRegistry<Allocation>(release);
let liveStorages = 0;

function release(a: Allocation): void {
  if (a.buffer) {
    a.backend.free(a.buffer);
    a.buffer = null;
    liveStorages--;
  }
}

export class Storage {
  private readonly allocation: Allocation;
  /** Bumped by every in-place write, so autograd can detect a saved tensor that changed. */
  version = 0;

  constructor(backend: Backend, buffer: BackendBuffer) {
    this.allocation = { backend, buffer };
    liveStorages++;
    registry.register(this, this.allocation, this);
  }

  get backend(): Backend {
    return this.allocation.backend;
  }

  get buffer(): BackendBuffer {
    const b = this.allocation.buffer;
    if (!b) throw new Error("This tensor was disposed; its memory is gone.");
    return b;
  }

  get disposed(): boolean {
    return this.allocation.buffer === null;
  }

  /** Take `buffer` as this storage's new contents (an in-place write of the whole storage). */
  replace(buffer: BackendBuffer): void {
    const old = this.buffer;
    this.allocation.buffer = buffer;
    this.allocation.backend.free(old);
    this.version++;
  }

  dispose(): void {
    registry.unregister(this);
    release(this.allocation);
  }
}

/** Storages alive now (each holds one backend buffer). */
export function liveStorageCount(): number {
  return liveStorages;
}
