/**
 * A size-class allocator over a range of linear memory. Each request is rounded up to a class
 * (16-byte steps up to 64 bytes, then four classes per power of two, so at most 25% slack) and
 * freed blocks wait on their class's free list for the next request of that class. A training
 * loop asks for the same sizes every step, so after the first step it reuses memory exactly.
 * When the heap would have to grow, free blocks are first merged by address (and the top of
 * the heap given back), so mixed workloads don't strand memory in the wrong classes.
 */

const ALIGN = 16;

/** The block size that serves a request of `bytes`. */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** The largest class size that fits in `bytes` (bytes >= 16). */
function classAtMost(bytes: number): number {
  if (bytes < 128) return Math.floor(bytes / ALIGN) * ALIGN;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.floor(bytes / step) * step;
}

export interface HeapGrowth {
  /** Bytes of linear memory now. */
  capacity(): number;
  /** Make linear memory at least `bytes` long, or throw a clear error. */
  grow(bytes: number): void;
}

export class Allocator {
  readonly #free = new Map<number, number[]>();
  #top: number;
  #freeBytes = 0;

  constructor(
    /** First address the allocator may hand out (16-byte aligned). */
    start: number,
    private readonly heap: HeapGrowth,
  ) {
    this.#top = start;
  }

  /** Address of a new block of at least `bytes` bytes (16-byte aligned). */
  alloc(bytes: number): number {
    const size = sizeClass(bytes);
    const reused = this.#take(size);
    if (reused !== undefined) return reused;
    // Reads of a vector just past the last block must stay inside linear memory.
    if (this.#top + size + ALIGN > this.heap.capacity()) {
      this.#coalesce();
      const again = this.#take(size);
      if (again !== undefined) return again;
      if (this.#top + size + ALIGN > this.heap.capacity()) this.heap.grow(this.#top + size + ALIGN);
    }
    const addr = this.#top;
    this.#top += size;
    return addr;
  }

  free(addr: number, bytes: number): void {
    const size = sizeClass(bytes);
    if (addr + size === this.#top) {
      this.#top = addr;
      return;
    }
    this.#push(size, addr);
  }

  /** End of the highest block handed out: the heap's high-water mark. */
  get top(): number {
    return this.#top;
  }

  #take(size: number): number | undefined {
    const list = this.#free.get(size);
    const addr = list?.pop();
    if (addr !== undefined) this.#freeBytes -= size;
    return addr;
  }

  #push(size: number, addr: number): void {
    let list = this.#free.get(size);
    if (!list) {
      list = [];
      this.#free.set(size, list);
    }
    list.push(addr);
    this.#freeBytes += size;
  }

  /** Merge adjacent free blocks, lower the top over a free tail, and re-file the rest. */
  #coalesce(): void {
    if (this.#freeBytes === 0) return;
    const blocks: [number, number][] = [];
    for (const [size, list] of this.#free) for (const addr of list) blocks.push([addr, size]);
    this.#free.clear();
    this.#freeBytes = 0;
    blocks.sort((a, b) => a[0] - b[0]);
    const runs: [number, number][] = [];
    for (const [addr, size] of blocks) {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[1] === addr) last[1] += size;
      else runs.push([addr, size]);
    }
    const tail = runs[runs.length - 1];
    if (tail && tail[0] + tail[1] === this.#top) {
      this.#top = tail[0];
      runs.pop();
    }
    for (let [addr, size] of runs) {
      while (size >= ALIGN) {
        const piece = classAtMost(size);
        this.#push(piece, addr);
        addr += piece;
        size -= piece;
      }
    }
  }
}
