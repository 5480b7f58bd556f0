/**
 * The compiled kernels: pick the relaxed-SIMD build where the engine supports it (fused
 * multiply-add in the matmul micro-kernel), and adapt the memory import to shared or unshared
 * memory. WebAssembly.compile is async because browsers refuse large synchronous compiles.
 */

import { KERNELS_RELAXED_WASM, KERNELS_WASM } from "./generated/binaries.js";

/** A module with one f32x4.relaxed_madd, to ask the engine whether it has relaxed SIMD. */
const RELAXED_PROBE = "0061736d0100000001080160037b7b7b017b030201000a0d010b00200020012002fd85020b";

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(hexBytes(RELAXED_PROBE));
  } catch {
    return false;
  }
}

/** Read an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

/**
 * The module is built to import shared memory; without SharedArrayBuffer it must import plain
 * memory instead. That is one flag byte in the memory import's limits (0x03 -> 0x01).
 */
export function withUnsharedMemory(wasm: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const bytes = wasm.slice();
  let pos = 8; // magic and version
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, body] = leb(bytes, pos + 1);
    if (id === 2) {
      let [count, p] = leb(bytes, body);
      while (count-- > 0) {
        for (let name = 0; name < 2; name++) {
          const [len, next] = leb(bytes, p);
          p = next + len;
        }
        const kind = bytes[p++];
        if (kind === 0x02) {
          if (bytes[p] === 0x03) bytes[p] = 0x01;
          return bytes;
        }
        // Skip the other kinds of import: function (type index), table, global.
        if (kind === 0x00) p = leb(bytes, p)[1];
        else if (kind === 0x01) {
          p++;
          const flags = bytes[p++];
          p = leb(bytes, p)[1];
          if (flags & 1) p = leb(bytes, p)[1];
        } else p += 2;
      }
    }
    pos = body + size;
  }
  throw new Error("wasm backend: the kernels module has no memory import");
}

export interface KernelModule {
  module: WebAssembly.Module;
  /** True when the matmul uses fused multiply-add (relaxed SIMD). */
  relaxed: boolean;
}

export async function compileKernels(
  shared: boolean,
  relaxed = hasRelaxedSimd(),
): Promise<KernelModule> {
  const raw = base64Bytes(relaxed ? KERNELS_RELAXED_WASM : KERNELS_WASM);
  const bytes = shared ? raw : withUnsharedMemory(raw);
  return { module: await WebAssembly.compile(bytes), relaxed };
}
