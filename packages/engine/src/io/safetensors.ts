/**
 * Dependency-free safetensors codec (https://github.com/huggingface/safetensors) that runs in
 * browsers and Node alike: only Uint8Array, DataView and TextEncoder/TextDecoder.
 *
 * Layout: u64 little-endian header length N, N bytes of UTF-8 JSON header (space-padded to a
 * multiple of 8 so the data starts 8-byte aligned), then the tensor data. Offsets in the header
 * are relative to the start of the data.
 */

import {
  ITEM_BYTES,
  isDType,
  MAX_HEADER_BYTES,
  METADATA_KEY,
  type SafetensorsDType,
} from "./safetensors-format.js";

/**
 * A tensor as the engine sees it. int64 labels live in an Int32Array, so "I64" data is an
 * Int32Array; BOOL is one byte (0/1) per element.
 */
export interface TensorEntry {
  dtype: "F32" | "I64" | "BOOL";
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(`safetensors: ${message}`);
    this.name = "SafetensorsError";
  }
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** defineProperty so names like "__proto__" become ordinary own keys instead of a prototype. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function fmtShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => JSON.stringify(d)).join(", ")}]`;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function checkShape(name: string, shape: unknown): number {
  if (!Array.isArray(shape)) {
    throw new SafetensorsError(`tensor ${JSON.stringify(name)} has a shape that is not an array`);
  }
  let numel = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new SafetensorsError(
        `tensor ${JSON.stringify(name)} has shape ${fmtShape(shape)} with a dimension that is not a non-negative integer`,
      );
    }
    numel *= d;
  }
  if (!Number.isSafeInteger(numel)) {
    throw new SafetensorsError(
      `tensor ${JSON.stringify(name)} has shape ${fmtShape(shape)} that is too large`,
    );
  }
  return numel;
}

/** Serialise tensors (in insertion order, contiguous) and optional string metadata. */
export function encodeSafetensors(
  tensors: Record<string, TensorEntry>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) throw new SafetensorsError("metadata must be an object");
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") {
        throw new SafetensorsError(
          `metadata value for ${JSON.stringify(k)} must be a string, got ${typeof v}`,
        );
      }
      setOwn(meta, k, v);
    }
    setOwn(header, METADATA_KEY, meta);
  }

  const names = Object.keys(tensors);
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError(`"${METADATA_KEY}" is reserved and cannot be a tensor name`);
    }
    const t = tensors[name];
    const q = JSON.stringify(name);
    if (!isPlainObject(t)) throw new SafetensorsError(`tensor ${q} is not a tensor entry`);
    const numel = checkShape(name, t.shape);
    const expected =
      t.dtype === "F32"
        ? Float32Array
        : t.dtype === "I64"
          ? Int32Array
          : t.dtype === "BOOL"
            ? Uint8Array
            : null;
    if (expected === null) {
      throw new SafetensorsError(
        `tensor ${q} has unsupported dtype ${JSON.stringify(t.dtype)} (expected F32, I64 or BOOL)`,
      );
    }
    if (!(t.data instanceof expected)) {
      throw new SafetensorsError(
        `tensor ${q} of dtype ${t.dtype} needs its data in a ${expected.name}`,
      );
    }
    if (t.data.length !== numel) {
      throw new SafetensorsError(
        `tensor ${q} has ${t.data.length} elements but shape ${fmtShape(t.shape)} needs ${numel}`,
      );
    }
    const nbytes = numel * ITEM_BYTES[t.dtype];
    setOwn(header, name, {
      dtype: t.dtype,
      shape: [...t.shape],
      data_offsets: [offset, offset + nbytes],
    });
    offset += nbytes;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  // headerLen < 2^53, so splitting into two u32 words is exact.
  view.setUint32(0, headerLen % 0x1_0000_0000, true);
  view.setUint32(4, Math.floor(headerLen / 0x1_0000_0000), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);

  let pos = 8 + headerLen;
  for (const name of names) {
    const t = tensors[name];
    if (t.dtype === "F32") {
      const data = t.data as Float32Array;
      if (HOST_IS_LITTLE_ENDIAN) {
        out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
      } else {
        for (let i = 0; i < data.length; i++) view.setFloat32(pos + 4 * i, data[i], true);
      }
      pos += data.byteLength;
    } else if (t.dtype === "I64") {
      const data = t.data as Int32Array;
      for (let i = 0; i < data.length; i++) {
        view.setInt32(pos, data[i], true);
        view.setInt32(pos + 4, data[i] < 0 ? -1 : 0, true); // sign extension
        pos += 8;
      }
    } else {
      const data = t.data as Uint8Array;
      // torch.bool must be exactly 0 or 1 on disk.
      for (let i = 0; i < data.length; i++) out[pos + i] = data[i] !== 0 ? 1 : 0;
      pos += data.length;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface ParsedEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  numel: number;
  begin: number;
  end: number;
}

function parseEntry(name: string, raw: unknown, dataLength: number): ParsedEntry {
  const q = JSON.stringify(name);
  if (!isPlainObject(raw)) throw new SafetensorsError(`tensor ${q} is not an object in the header`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (dtype === undefined) throw new SafetensorsError(`tensor ${q} is missing "dtype"`);
  if (shape === undefined) throw new SafetensorsError(`tensor ${q} is missing "shape"`);
  if (offsets === undefined) throw new SafetensorsError(`tensor ${q} is missing "data_offsets"`);
  if (typeof dtype !== "string") throw new SafetensorsError(`tensor ${q} has a non-string dtype`);
  if (!isDType(dtype))
    throw new SafetensorsError(
      `tensor ${q} has unknown or unsupported dtype ${JSON.stringify(dtype)}`,
    );
  const numel = checkShape(name, shape);
  const dims = shape as number[]; // validated by checkShape
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === "number" && Number.isSafeInteger(o) && o >= 0)
  ) {
    throw new SafetensorsError(
      `tensor ${q} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] of non-negative integers`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const where = `tensor ${q} has data_offsets [${begin}, ${end}]`;
  if (end < begin) throw new SafetensorsError(`${where} with end before begin`);
  if (end > dataLength) {
    throw new SafetensorsError(
      `${where} out of range: the data section is only ${dataLength} bytes`,
    );
  }
  const needed = numel * ITEM_BYTES[dtype];
  if (end - begin !== needed) {
    throw new SafetensorsError(
      `${where} but shape ${fmtShape(dims)} of ${dtype} needs ${needed} bytes`,
    );
  }
  return { name, dtype, shape: [...dims], numel, begin, end };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

// bfloat16 is the top half of a float32: reinterpret the widened bits (same-width, so host
// endianness does not matter).
const bf16Bits = new Uint32Array(1);
const bf16Float = new Float32Array(bf16Bits.buffer);
function bfloat16ToFloat(h: number): number {
  bf16Bits[0] = h << 16;
  return bf16Float[0];
}

function decodeData(e: ParsedEntry, bytes: Uint8Array, view: DataView, base: number): TensorEntry {
  const start = base + e.begin;
  const n = e.numel;
  switch (e.dtype) {
    case "F32": {
      if (HOST_IS_LITTLE_ENDIAN) {
        // slice() copies into a fresh, aligned buffer, so unaligned offsets are fine.
        return {
          dtype: "F32",
          shape: e.shape,
          data: new Float32Array(bytes.slice(start, start + 4 * n).buffer),
        };
      }
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(start + 4 * i, true);
      return { dtype: "F32", shape: e.shape, data: out };
    }
    case "F64": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(start + 8 * i, true);
      return { dtype: "F32", shape: e.shape, data: out };
    }
    case "F16":
    case "BF16": {
      const convert = e.dtype === "F16" ? halfToFloat : bfloat16ToFloat;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = convert(view.getUint16(start + 2 * i, true));
      return { dtype: "F32", shape: e.shape, data: out };
    }
    case "I64": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = view.getUint32(start + 8 * i, true);
        const hi = view.getInt32(start + 8 * i + 4, true);
        // Fits in int32 iff the high word is the sign extension of the low word.
        if (hi !== (lo >= 0x8000_0000 ? -1 : 0)) {
          const value = BigInt(hi) * 0x1_0000_0000n + BigInt(lo);
          throw new SafetensorsError(
            `tensor ${JSON.stringify(e.name)} has I64 value ${value} at index ${i} that does not fit in int32`,
          );
        }
        out[i] = lo | 0;
      }
      return { dtype: "I64", shape: e.shape, data: out };
    }
    case "I32":
    case "I16":
    case "I8":
    case "U8": {
      const out = new Int32Array(n);
      if (e.dtype === "I32")
        for (let i = 0; i < n; i++) out[i] = view.getInt32(start + 4 * i, true);
      else if (e.dtype === "I16")
        for (let i = 0; i < n; i++) out[i] = view.getInt16(start + 2 * i, true);
      else if (e.dtype === "I8") for (let i = 0; i < n; i++) out[i] = view.getInt8(start + i);
      else for (let i = 0; i < n; i++) out[i] = bytes[start + i];
      return { dtype: "I64", shape: e.shape, data: out };
    }
    case "BOOL": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[start + i] !== 0 ? 1 : 0;
      return { dtype: "BOOL", shape: e.shape, data: out };
    }
  }
}

/**
 * Parse and fully validate a safetensors file. Throws SafetensorsError for any malformed input.
 * Tensors are returned in storage order; data is always copied (never aliases `bytes`).
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Record<string, TensorEntry>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError("input must be a Uint8Array");
  if (bytes.length < 8) {
    throw new SafetensorsError(
      `file is ${bytes.length} bytes, too short for the 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) {
    throw new SafetensorsError(
      `header length ${BigInt(hi) * 0x1_0000_0000n + BigInt(lo)} is larger than the ${MAX_HEADER_BYTES}-byte limit`,
    );
  }
  const headerLen = lo;
  if (headerLen > bytes.length - 8) {
    throw new SafetensorsError(
      `header length ${headerLen} exceeds the ${bytes.length - 8} bytes remaining after the length field`,
    );
  }

  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text so JSON.parse rejects it, as the reference parser does.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(8, 8 + headerLen),
    );
  } catch {
    throw new SafetensorsError("header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(
      `header is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!isPlainObject(header)) throw new SafetensorsError("header JSON is not an object");

  const metadata: Record<string, string> = {};
  const entries: ParsedEntry[] = [];
  const base = 8 + headerLen;
  const dataLength = bytes.length - base;
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isPlainObject(raw)) throw new SafetensorsError(`"${METADATA_KEY}" is not an object`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== "string") {
          throw new SafetensorsError(`metadata value for ${JSON.stringify(k)} is not a string`);
        }
        setOwn(metadata, k, v);
      }
    } else {
      entries.push(parseEntry(name, raw, dataLength));
    }
  }

  // The spec requires the data section to be exactly tiled by the tensors: no overlap, no holes.
  // Array.prototype.sort is stable, so empty tensors sharing an offset keep header order.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let prev: ParsedEntry | null = null;
  for (const e of entries) {
    if (e.begin < covered) {
      throw new SafetensorsError(
        `tensor ${JSON.stringify(e.name)} data_offsets [${e.begin}, ${e.end}] overlap tensor ${JSON.stringify(prev?.name)} ending at ${covered}`,
      );
    }
    if (e.begin > covered) {
      throw new SafetensorsError(
        `gap in data: tensor ${JSON.stringify(e.name)} begins at ${e.begin} but the previous data ends at ${covered}`,
      );
    }
    covered = e.end;
    prev = e;
  }
  if (covered !== dataLength) {
    throw new SafetensorsError(
      `data section is ${dataLength} bytes but the tensors cover only ${covered} (trailing bytes)`,
    );
  }

  const tensors: Record<string, TensorEntry> = {};
  for (const e of entries) setOwn(tensors, e.name, decodeData(e, bytes, view, base));
  return { tensors, metadata };
}
