/**
 * A size-bucketed pool of device buffers. Creating GPU buffers is slow and fragments memory,
 * so freed buffers are kept by bucket and handed out again.
 *
 * A buffer freed while recorded-but-unsubmitted commands may still use it is "pending" until
 * the next submit. A kernel may write it at once (commands run in recording order), but the
 * host may not: `queue.writeBuffer` runs before every unsubmitted command, so it could clobber
 * data those commands have yet to read.
 */

/** Buffers of one bucket size; the smallest bucket holds 16 bytes. */
const MIN_BUCKET = 16;

/**
 * The bucket for `bytes`: powers of two up to 4 KiB, then steps of a sixteenth of the power of
 * two above, so a pooled buffer wastes at most ~12% while similar sizes share buckets.
 */
export function bucketSize(bytes: number): number {
  if (bytes <= MIN_BUCKET) return MIN_BUCKET;
  const pow = 2 ** Math.ceil(Math.log2(bytes));
  if (pow <= 4096) return pow;
  const step = pow / 16;
  return Math.ceil(bytes / step) * step;
}

export interface PoolStats {
  /** Bytes of every device buffer the pool has created and not destroyed (in use or idle). */
  deviceBytes: number;
  /** Bytes of idle buffers ready for reuse (or waiting for a submit). */
  idleBytes: number;
}

/** Idle buffers by bucket size, each with the submit count when it was shelved. */
class Shelf {
  readonly #lists = new Map<number, { buffer: GPUBuffer; since: number }[]>();
  bytes = 0;

  put(buffer: GPUBuffer, since: number): void {
    const list = this.#lists.get(buffer.size);
    if (list) list.push({ buffer, since });
    else this.#lists.set(buffer.size, [{ buffer, since }]);
    this.bytes += buffer.size;
  }

  /** The most recently shelved buffer of a bucket (old ones sink to the front and age out). */
  take(size: number): GPUBuffer | undefined {
    const entry = this.#lists.get(size)?.pop();
    if (entry) this.bytes -= size;
    return entry?.buffer;
  }

  /** Remove buffers shelved before `epoch` (all of them by default), largest buckets first. */
  *drain(epoch = Number.POSITIVE_INFINITY): Generator<GPUBuffer> {
    const sizes = [...this.#lists.keys()].sort((a, b) => b - a);
    for (const size of sizes) {
      const list = this.#lists.get(size)!;
      let old = 0;
      while (old < list.length && list[old].since < epoch) old++;
      for (const { buffer } of list.splice(0, old)) {
        this.bytes -= size;
        yield buffer;
      }
      if (list.length === 0) this.#lists.delete(size);
    }
  }
}

/** Idle buffers not reused within this many submits are destroyed: the pool follows the working set. */
const MAX_IDLE_SUBMITS = 256;

export class BufferPool {
  readonly #create: (bytes: number) => GPUBuffer;
  /** Idle and free of any recorded use. */
  readonly #ready = new Shelf();
  /** Idle, but maybe still used by unsubmitted commands. */
  #pending = new Shelf();
  #deviceBytes = 0;
  #submits = 0;
  /** Idle bytes kept beyond this are destroyed instead of pooled. */
  readonly #maxIdleBytes: number;

  constructor(create: (bytes: number) => GPUBuffer, maxIdleBytes: number) {
    this.#create = create;
    this.#maxIdleBytes = maxIdleBytes;
  }

  /**
   * A buffer of at least `bytes` bytes, reused when one is idle. `hostWrite`: the caller will
   * fill it with `queue.writeBuffer`, so a pending buffer won't do.
   */
  acquire(bytes: number, hostWrite: boolean): GPUBuffer {
    const size = bucketSize(bytes);
    const reused = this.#ready.take(size) ?? (hostWrite ? undefined : this.#pending.take(size));
    if (reused) return reused;
    const buffer = this.#create(size);
    this.#deviceBytes += size;
    return buffer;
  }

  /** Take back a buffer; `inFlight` when unsubmitted commands may still use it. */
  release(buffer: GPUBuffer, inFlight: boolean): void {
    (inFlight ? this.#pending : this.#ready).put(buffer, this.#submits);
  }

  /** Called after each submit: pending buffers become fully reusable. */
  submitted(): void {
    this.#submits++;
    for (const b of this.#pending.drain()) this.#ready.put(b, this.#submits);
    if (this.#ready.bytes > this.#maxIdleBytes) this.trim(this.#maxIdleBytes);
    if (this.#submits % 16 === 0) {
      for (const b of this.#ready.drain(this.#submits - MAX_IDLE_SUBMITS)) this.#destroy(b);
    }
  }

  /** Destroy ready buffers (largest first) until at most `keepBytes` of them remain. */
  trim(keepBytes: number): void {
    let excess = this.#ready.bytes - keepBytes;
    if (excess <= 0) return;
    const keep: GPUBuffer[] = [];
    for (const b of this.#ready.drain()) {
      if (excess > 0) {
        excess -= b.size;
        this.#destroy(b);
      } else {
        keep.push(b);
      }
    }
    for (const b of keep) this.#ready.put(b, this.#submits);
  }

  #destroy(buffer: GPUBuffer): void {
    this.#deviceBytes -= buffer.size;
    buffer.destroy();
  }

  /** Bytes of freed buffers waiting for a submit. */
  get pendingBytes(): number {
    return this.#pending.bytes;
  }

  stats(): PoolStats {
    return { deviceBytes: this.#deviceBytes, idleBytes: this.#ready.bytes + this.#pending.bytes };
  }
}
