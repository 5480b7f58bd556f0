/** The wasm backend's memory: exact accounting, reuse, growth on demand and a clear limit. */

import { describe, expect, it } from "vitest";
import {
  type BackendBuffer,
  contiguousStrides,
  createWasmBackend,
  JsBackend,
  type MatmulParams,
} from "../src/index.js";
import { sizeClass } from "../src/wasm/allocator.js";

describe("wasm backend memory", () => {
  it("counts live buffers and bytes exactly and returns to zero", async () => {
    const w = await createWasmBackend();
    const a = w.alloc("float32", 10);
    const b = w.upload(new Uint8Array(3));
    const c = w.fill("int32", 0, 1);
    expect(w.memory()).toEqual({ buffers: 3, bytes: 43 });
    w.free(a);
    w.free(a); // a second free is a no-op
    w.free(b);
    w.free(c);
    expect(w.memory()).toEqual({ buffers: 0, bytes: 0 });
  });

  it("rejects freed and foreign buffers with clear errors, and gives zeros from alloc", async () => {
    const w = await createWasmBackend();
    const x = w.upload(new Float32Array([1, 2]));
    w.free(x);
    expect(() => w.readSync(x)).toThrow("wasm backend: float32 buffer used after free");
    await expect(w.read(x)).rejects.toThrow(/used after free/);
    expect(() => w.unary("neg", new JsBackend().upload(new Float32Array(1)))).toThrow(
      /another backend/,
    );
    const reused = w.upload(new Float32Array([5, 6, 7]));
    w.free(reused);
    expect(Array.from(w.readSync(w.alloc("float32", 3)))).toEqual([0, 0, 0]);
  });

  it("rounds requests to size classes with at most 25% slack", () => {
    for (const bytes of [1, 16, 17, 64, 65, 100, 1000, 4096, 4097, 123_457, 10_000_000]) {
      const c = sizeClass(bytes);
      expect(c % 16).toBe(0);
      expect(c).toBeGreaterThanOrEqual(bytes);
      if (bytes > 64) expect(c).toBeLessThanOrEqual(bytes * 1.25 + 16);
      expect(sizeClass(c)).toBe(c);
    }
  });

  for (const sharedMemory of [false, true]) {
    it(`grows linear memory on demand and keeps old buffers readable (shared: ${sharedMemory})`, async () => {
      const w = await createWasmBackend({ sharedMemory, initialMemoryBytes: 2 << 20 });
      const first = w.upload(Float32Array.from({ length: 1000 }, (_, i) => i));
      const big: BackendBuffer[] = [];
      for (let i = 0; i < 8; i++) big.push(w.fill("float32", 1 << 20, i)); // 32 MiB in all
      expect(w.runtime.buffer.byteLength).toBeGreaterThan(32 << 20);
      expect(w.readSync(first)[999]).toBe(999);
      expect(w.readSync(big[7])[(1 << 20) - 1]).toBe(7);
      const sum = w.readSync(w.reduce("sum", big[3], 1, 1 << 20, 1))[0];
      expect(sum).toBe(3 * (1 << 20));
    });
  }

  it("gives a clear error past the memory limit, and stays usable", async () => {
    const w = await createWasmBackend({ maxMemoryBytes: 8 << 20, initialMemoryBytes: 2 << 20 });
    expect(() => w.alloc("float32", 4 << 20)).toThrow(
      /wasm backend: out of memory: .* beyond the limit of 8388608 bytes/,
    );
    expect(w.memory()).toEqual({ buffers: 0, bytes: 0 });
    const x = w.fill("float32", 1000, 2);
    expect(w.readSync(w.reduce("sum", x, 1, 1000, 1))[0]).toBe(2000);
    await expect(createWasmBackend({ maxMemoryBytes: 1 << 20 })).rejects.toThrow(/maxMemoryBytes/);
  });

  it("keeps the heap flat over a 10,000-step training-like loop", async () => {
    const w = await createWasmBackend();
    const x = w.upload(Float32Array.from({ length: 32 * 8 }, (_, i) => Math.sin(i)));
    let weights = w.upload(Float32Array.from({ length: 8 * 16 }, (_, i) => Math.cos(i) * 0.1));
    const p: MatmulParams = {
      batch: 1,
      m: 32,
      k: 8,
      n: 16,
      aBatchStride: 0,
      bBatchStride: 0,
      transA: false,
      transB: false,
    };
    const gp: MatmulParams = {
      batch: 1,
      m: 8,
      k: 32,
      n: 16,
      aBatchStride: 0,
      bBatchStride: 0,
      transA: true,
      transB: false,
    };
    const flat = (n: number) => ({ shape: [n], strides: contiguousStrides([n]), offset: 0 });
    let top = 0;
    for (let step = 1; step <= 10_000; step++) {
      const h = w.matmul(x, weights, p);
      const a = w.unary("tanh", h);
      const loss = w.reduce("sum", a, 1, 32 * 16, 1);
      const g = w.unary("square", a);
      const gw = w.matmul(x, g, gp);
      const scaled = w.binaryScalar("mul", gw, 1e-4, false);
      const next = w.binary("sub", weights, flat(128), scaled, flat(128));
      for (const t of [h, a, loss, g, gw, scaled, weights]) w.free(t);
      weights = next;
      if (step === 100) top = w.runtime.heapTop;
    }
    expect(w.runtime.heapTop).toBe(top);
    expect(w.memory()).toEqual({ buffers: 2, bytes: (32 * 8 + 8 * 16) * 4 });
  });

  it("merges freed blocks of other sizes before growing linear memory", async () => {
    const w = await createWasmBackend({ initialMemoryBytes: 4 << 20 });
    const capacity = w.runtime.buffer.byteLength;
    const start = w.runtime.heapTop;
    const small: BackendBuffer[] = [];
    for (let i = 0; w.runtime.heapTop < capacity - (64 << 10); i++)
      small.push(w.alloc("float32", 1000 + 37 * (i % 50)));
    for (const b of small) w.free(b);
    // No free list holds this size, and the top has no room: only merged free blocks can serve it.
    const big = w.alloc("float32", Math.floor((capacity - start) / 8));
    expect(w.runtime.buffer.byteLength).toBe(capacity);
    w.free(big);
  });
});
