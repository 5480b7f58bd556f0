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
  /** The `freeTemporaries` scope that frees this storage unless kept (null: none). */
  scope: Storage[] | null;

  constructor(backend: Backend, buffer: BackendBuffer) {
    this.allocation = { backend, buffer };
    liveStorages++;
    registry.register(this, this.allocation, this);
    this.scope = scopes[scopes.length - 1] ?? null;
    this.scope?.push(this);
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

  /**
   * Take `temporary`'s buffer as this storage's contents (an in-place write that adopts a
   * freshly computed result instead of copying it) and free the old buffer with `temporary`.
   */
  adopt(temporary: Storage): void {
    const buffer = temporary.buffer;
    temporary.allocation.buffer = this.buffer;
    this.allocation.buffer = buffer;
    temporary.dispose();
    this.version++;
  }

  dispose(): void {
    registry.unregister(this);
    release(this.allocation);
  }
}

/** Storages created inside each active `freeTemporaries` call, innermost last. */
const scopes: Storage[][] = [];

/**
 * Run `fn`, then free at once the memory of every tensor it created except the storages
 * `keep` names. For internal steps whose temporaries no one else can hold (backward, optimizer
 * updates): garbage collection would free them too, but late, and it can't see device memory.
 * If `fn` throws, nothing is freed early.
 */
export function freeTemporaries<T>(fn: () => T, keep: (result: T) => Iterable<Storage>): T {
  const created: Storage[] = [];
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const kept = new Set(keep(result));
  const outer = scopes[scopes.length - 1];
  for (const storage of created) {
    if (!kept.has(storage)) storage.dispose();
    else {
      storage.scope = outer ?? null;
      outer?.push(storage);
    }
  }
  return result;
}

/**
 * Whether `storage` was made inside the innermost running `freeTemporaries` call: only the
 * internal step running there (backward, an optimizer update) can hold it.
 */
export function isTemporary(storage: Storage): boolean {
  return storage.scope !== null && storage.scope === scopes[scopes.length - 1];
}

/** Storages alive now (each holds one backend buffer). */
export function liveStorageCount(): number {
  return liveStorages;
}
