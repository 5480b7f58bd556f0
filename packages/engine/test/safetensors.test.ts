import { describe, expect, it } from "vitest";
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  type TensorEntry,
} from "../src/io/safetensors.js";

/** Assemble a file by hand: u64 LE length, space-padded header (unless `pad` is false), data. */
function build(header: string | object, data: number[] | Uint8Array = [], pad = true): Uint8Array {
  let json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  if (pad && json.length % 8 !== 0) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectError(bytes: Uint8Array, message: string | RegExp): void {
  let caught: unknown;
  try {
    decodeSafetensors(bytes);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(message);
}

/** Little-endian bytes of the given values. */
function le(
  kind: "f16" | "f32" | "f64" | "i64" | "i32" | "i16",
  values: (number | bigint)[],
): number[] {
  const size = { f16: 2, f32: 4, f64: 8, i64: 8, i32: 4, i16: 2 }[kind];
  const view = new DataView(new ArrayBuffer(size * values.length));
  values.forEach((v, i) => {
    const o = i * size;
    if (kind === "f16" || kind === "i16") view.setUint16(o, Number(v) & 0xffff, true);
    else if (kind === "f32") view.setFloat32(o, Number(v), true);
    else if (kind === "f64") view.setFloat64(o, Number(v), true);
    else if (kind === "i32") view.setInt32(o, Number(v), true);
    else view.setBigInt64(o, BigInt(v), true);
  });
  return [...new Uint8Array(view.buffer)];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sample: Record<string, TensorEntry> = {
  "0.weight": { dtype: "F32", shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, -0, 1e-30]) },
  labels: { dtype: "I64", shape: [4], data: new Int32Array([0, -1, 2147483647, -2147483648]) },
  mask: { dtype: "BOOL", shape: [3], data: new Uint8Array([1, 0, 1]) },
};

describe("safetensors round trips", () => {
  it("round-trips F32, I64 (incl. negatives) and BOOL in insertion order", () => {
    const bytes = encodeSafetensors(sample);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(["0.weight", "labels", "mask"]);
    expect(tensors).toEqual(sample);
    expect(tensors["0.weight"].data).toBeInstanceOf(Float32Array);
    expect(tensors.labels.data).toBeInstanceOf(Int32Array);
    expect(tensors.mask.data).toBeInstanceOf(Uint8Array);
    expect(Object.is(tensors["0.weight"].data[4], -0)).toBe(true);
    expect(metadata).toEqual({});
  });

  it("sign-extends I64 values to 8 bytes", () => {
    const bytes = encodeSafetensors({
      x: { dtype: "I64", shape: [2], data: new Int32Array([-2, 5]) },
    });
    const data = bytes.subarray(bytes.length - 16);
    expect([...data]).toEqual(le("i64", [-2n, 5n]));
  });

  it("round-trips scalars (shape []) and empty tensors", () => {
    const t: Record<string, TensorEntry> = {
      scalar: { dtype: "F32", shape: [], data: new Float32Array([42]) },
      empty: { dtype: "F32", shape: [0, 5], data: new Float32Array(0) },
      emptyI: { dtype: "I64", shape: [3, 0], data: new Int32Array(0) },
      emptyB: { dtype: "BOOL", shape: [0], data: new Uint8Array(0) },
      label: { dtype: "I64", shape: [], data: new Int32Array([-7]) },
    };
    const { tensors } = decodeSafetensors(encodeSafetensors(t));
    expect(tensors).toEqual(t);
    expect(Object.keys(tensors)).toEqual(Object.keys(t));
  });

  it("round-trips metadata and unicode / awkward names", () => {
    const t: Record<string, TensorEntry> = {
      "héllo.wörld": { dtype: "F32", shape: [1], data: new Float32Array([1]) },
      "张量🙂": { dtype: "BOOL", shape: [1], data: new Uint8Array([1]) },
      'quote"back\\slash': { dtype: "I64", shape: [1], data: new Int32Array([3]) },
    };
    const meta = { format: "pt", ключ: "значение 🙂", empty: "" };
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(t, meta));
    expect(tensors).toEqual(t);
    expect(metadata).toEqual(meta);
  });

  it("treats a tensor named __proto__ as an ordinary key", () => {
    const t: Record<string, TensorEntry> = {};
    Object.defineProperty(t, "__proto__", {
      value: { dtype: "F32", shape: [1], data: new Float32Array([9]) },
      enumerable: true,
    });
    const { tensors } = decodeSafetensors(encodeSafetensors(t));
    expect(Object.keys(tensors)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });

  it("decodes from a subarray at an odd byte offset", () => {
    const bytes = encodeSafetensors(sample);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeSafetensors(shifted.subarray(3)).tensors).toEqual(sample);
  });

  it("does not alias the input buffer", () => {
    const bytes = encodeSafetensors(sample);
    const { tensors } = decodeSafetensors(bytes);
    bytes.fill(0, bytes.length - 40);
    expect(tensors).toEqual(sample);
  });
});

describe("safetensors exact bytes", () => {
  it("encodes a tiny file exactly", () => {
    const bytes = encodeSafetensors({
      a: { dtype: "F32", shape: [2], data: new Float32Array([1, -2]) },
    });
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 54 bytes
    expect(json.length).toBe(54);
    // Header length 54 padded to 56 = 0x38, as a u64 little-endian.
    expect([...bytes.subarray(0, 8)]).toEqual([0x38, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 64))).toBe(`${json}  `);
    expect([...bytes.subarray(64)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    expect(bytes.length).toBe(72);
  });

  it("writes metadata first and pads every header to a multiple of 8", () => {
    for (let n = 0; n < 12; n++) {
      const bytes = encodeSafetensors({ ["x".repeat(n)]: sample.mask }, { k: "v" });
      const len = new DataView(bytes.buffer).getUint32(0, true);
      expect(len % 8).toBe(0);
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + len));
      expect(text.startsWith('{"__metadata__":{"k":"v"},')).toBe(true);
      expect(text.trimEnd().length).toBeGreaterThan(len - 8);
    }
  });
});

describe("safetensors files in PyTorch's layout", () => {
  it("decodes F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL written by safetensors.torch", () => {
    // safetensors' Rust writer: __metadata__ first, then tensors sorted by alignment (desc) and
    // name, compact JSON padded with spaces to a multiple of 8.
    const f64 = le("f64", [1, -2.5, 1e300, 0.1]);
    const f16 = le(
      "f16",
      [0x3c00, 0xc100, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x03ff, 0x0400],
    );
    const bf16 = le("f16", [0x3f80, 0xc020, 0x7f80, 0xff80, 0x7fc0, 0x0001, 0x4780, 0x8000]);
    const i64 = le("i64", [-3n, 0n, 2147483647n, -2147483648n]);
    const i32 = le("i32", [-5, 70000]);
    const i16 = le("i16", [-2, 300]);
    const i8 = [0xff, 0x7f];
    const u8 = [0xff, 0x07];
    const bool = [1, 0, 1];
    const parts = [
      ["a_f64", "F64", [2, 2], f64],
      ["d_i64", "I64", [4], i64],
      ["e_i32", "I32", [2], i32],
      ["b_f16", "F16", [10], f16],
      ["c_bf16", "BF16", [8], bf16],
      ["f_i16", "I16", [2], i16],
      ["g_bool", "BOOL", [3], bool],
      ["h_i8", "I8", [2], i8],
      ["i_u8", "U8", [2], u8],
    ] as const;
    let header = '{"__metadata__":{"format":"pt"}';
    let offset = 0;
    const data: number[] = [];
    for (const [name, dtype, shape, bytes] of parts) {
      header += `,"${name}":{"dtype":"${dtype}","shape":[${shape.join(",")}],"data_offsets":[${offset},${offset + bytes.length}]}`;
      offset += bytes.length;
      data.push(...bytes);
    }
    header += "}";
    const { tensors, metadata } = decodeSafetensors(build(header, data));
    expect(metadata).toEqual({ format: "pt" });
    expect(Object.keys(tensors)).toEqual(parts.map((p) => p[0]));

    expect(tensors.a_f64).toEqual({
      dtype: "F32",
      shape: [2, 2],
      data: new Float32Array([1, -2.5, Number.POSITIVE_INFINITY, Math.fround(0.1)]),
    });
    const h = tensors.b_f16.data;
    expect(tensors.b_f16.dtype).toBe("F32");
    expect([...h.slice(0, 6)]).toEqual([1, -2.5, 65504, 2 ** -24, Infinity, -Infinity]);
    expect(Number.isNaN(h[6])).toBe(true);
    expect(Object.is(h[7], -0)).toBe(true);
    expect(h[8]).toBe(1023 * 2 ** -24);
    expect(h[9]).toBe(2 ** -14);
    const b = tensors.c_bf16.data;
    expect([...b.slice(0, 4)]).toEqual([1, -2.5, Infinity, -Infinity]);
    expect(Number.isNaN(b[4])).toBe(true);
    expect(b[5]).toBe(2 ** -133);
    expect(b[6]).toBe(65536);
    expect(Object.is(b[7], -0)).toBe(true);

    expect(tensors.d_i64).toEqual({
      dtype: "I64",
      shape: [4],
      data: new Int32Array([-3, 0, 2147483647, -2147483648]),
    });
    expect(tensors.e_i32).toEqual({ dtype: "I64", shape: [2], data: new Int32Array([-5, 70000]) });
    expect(tensors.f_i16).toEqual({ dtype: "I64", shape: [2], data: new Int32Array([-2, 300]) });
    expect(tensors.g_bool).toEqual({ dtype: "BOOL", shape: [3], data: new Uint8Array([1, 0, 1]) });
    expect(tensors.h_i8).toEqual({ dtype: "I64", shape: [2], data: new Int32Array([-1, 127]) });
    expect(tensors.i_u8).toEqual({ dtype: "I64", shape: [2], data: new Int32Array([255, 7]) });
  });

  it("converts every float16 bit pattern exactly", () => {
    const all = Array.from({ length: 65536 }, (_, i) => i);
    const header = `{"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]}}`;
    const out = decodeSafetensors(build(header, le("f16", all))).tensors.h.data;
    // Independent reference: build the float32 bit pattern directly.
    const bits = new Uint32Array(1);
    const f = new Float32Array(bits.buffer);
    const mismatches: number[] = [];
    for (const hv of all) {
      const sign = (hv & 0x8000) << 16;
      const exp = (hv >> 10) & 0x1f;
      const frac = hv & 0x3ff;
      let expected: number;
      if (exp === 0) expected = (sign ? -1 : 1) * frac * 2 ** -24;
      else if (exp === 31) expected = frac ? Number.NaN : (sign ? -1 : 1) * Infinity;
      else {
        bits[0] = sign | ((exp - 15 + 127) << 23) | (frac << 13);
        expected = f[0];
      }
      if (!Object.is(out[hv], expected)) mismatches.push(hv);
    }
    expect(mismatches).toEqual([]);
  });

  it("handles unaligned data offsets (unpadded header)", () => {
    // 61-byte header => data starts at byte 69; tensors inside also sit at odd offsets.
    const header =
      '{"u":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"f":{"dtype":"F32","shape":[2],"data_offsets":[1,9]},"l":{"dtype":"I64","shape":[1],"data_offsets":[9,17]},"d":{"dtype":"F64","shape":[1],"data_offsets":[17,25]}}';
    const data = [5, ...le("f32", [1.5, -3]), ...le("i64", [-9n]), ...le("f64", [0.25])];
    const { tensors } = decodeSafetensors(build(header, data, false));
    expect(tensors.u.data).toEqual(new Int32Array([5]));
    expect(tensors.f.data).toEqual(new Float32Array([1.5, -3]));
    expect(tensors.l.data).toEqual(new Int32Array([-9]));
    expect(tensors.d.data).toEqual(new Float32Array([0.25]));
  });

  it("accepts tensors listed out of storage order and extra entry fields", () => {
    const header = {
      b: { dtype: "BOOL", shape: [1], data_offsets: [4, 5] },
      a: { dtype: "F32", shape: [], data_offsets: [0, 4], extra: true },
    };
    const { tensors } = decodeSafetensors(build(header, [...le("f32", [2]), 1]));
    expect(Object.keys(tensors)).toEqual(["a", "b"]);
  });
});

describe("safetensors encode errors", () => {
  it("rejects data whose length does not match the shape, naming the tensor", () => {
    expect(() =>
      encodeSafetensors({
        "0.weight": { dtype: "F32", shape: [3, 4], data: new Float32Array(10) },
      }),
    ).toThrow(/"0\.weight" has 10 elements but shape \[3, 4\] needs 12/);
  });

  it("rejects bad shapes, dtypes, array types, reserved names and non-string metadata", () => {
    const f = new Float32Array(1);
    expect(() => encodeSafetensors({ x: { dtype: "F32", shape: [-1], data: f } })).toThrow(
      SafetensorsError,
    );
    expect(() => encodeSafetensors({ x: { dtype: "F32", shape: [1.5], data: f } })).toThrow(
      /non-negative integer/,
    );
    expect(() => encodeSafetensors({ x: { dtype: "F16" as "F32", shape: [1], data: f } })).toThrow(
      /unsupported dtype "F16"/,
    );
    expect(() => encodeSafetensors({ x: { dtype: "I64", shape: [1], data: f } })).toThrow(
      /Int32Array/,
    );
    expect(() =>
      encodeSafetensors({ __metadata__: { dtype: "F32", shape: [1], data: f } }),
    ).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { n: 1 as unknown as string })).toThrow(
      /metadata value for "n" must be a string/,
    );
  });
});

describe("safetensors decode errors", () => {
  const f32 = (name: string, shape: number[], offsets: unknown, extra: object = {}) => ({
    [name]: { dtype: "F32", shape, data_offsets: offsets, ...extra },
  });

  it("rejects inputs shorter than 8 bytes", () => {
    expectError(new Uint8Array(5), /5 bytes, too short/);
  });

  it("rejects header lengths beyond the buffer or the 100 MB limit", () => {
    const tooLong = build("{}");
    new DataView(tooLong.buffer).setUint32(0, 100, true);
    expectError(tooLong, /header length 100 exceeds the 8 bytes remaining/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 200_000_000, true);
    expectError(huge, /header length 200000000 is larger than the 100000000-byte limit/);
    const u64 = new Uint8Array(16).fill(0xff);
    expectError(u64, /header length 18446744073709551615 is larger/);
  });

  it("rejects headers that are not UTF-8, not JSON or not an object", () => {
    const badUtf8 = build("{} ");
    badUtf8[9] = 0xff;
    expectError(badUtf8, /not valid UTF-8/);
    expectError(build('{"a": '), /not valid JSON/);
    expectError(build(""), /not valid JSON/);
    expectError(build("\ufeff{}"), /not valid JSON/);
    expectError(build("[1,2]"), /not an object/);
    expectError(build("null"), /not an object/);
    expectError(build('"str"'), /not an object/);
  });

  it("rejects entries that are malformed", () => {
    expectError(build({ x: 3 }), /tensor "x" is not an object/);
    expectError(build({ x: { shape: [], data_offsets: [0, 4] } }), /tensor "x" is missing "dtype"/);
    expectError(
      build({ x: { dtype: "F32", data_offsets: [0, 4] } }),
      /tensor "x" is missing "shape"/,
    );
    expectError(build({ x: { dtype: "F32", shape: [] } }), /tensor "x" is missing "data_offsets"/);
    expectError(build({ x: { dtype: 1, shape: [], data_offsets: [0, 4] } }), /non-string dtype/);
    expectError(
      build({ x: { dtype: "F32", shape: 1, data_offsets: [0, 4] } }),
      /shape that is not an array/,
    );
    expectError(
      build(f32("x", [], [0])),
      /tensor "x" has data_offsets \[0\]; expected \[begin, end\]/,
    );
    expectError(build(f32("x", [], "0,4")), /data_offsets "0,4"/);
    expectError(build(f32("x", [], [0, 4.5])), /expected \[begin, end\] of non-negative integers/);
    expectError(build(f32("x", [], [-4, 0])), /expected \[begin, end\] of non-negative integers/);
  });

  it("rejects unknown dtypes", () => {
    expectError(
      build({ x: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, [0]),
      /tensor "x" has unknown or unsupported dtype "F8_E4M3"/,
    );
    expectError(
      build({ x: { dtype: "f32", shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      /"f32"/,
    );
  });

  it("rejects negative or non-integer shape dims", () => {
    expectError(
      build(f32("x", [-1], [0, 0])),
      /tensor "x" has shape \[-1\] with a dimension that is not a non-negative integer/,
    );
    expectError(build(f32("x", [1.5], [0, 4]), [0, 0, 0, 0]), /shape \[1\.5\]/);
    expectError(build('{"x":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}'), /shape \["2"\]/);
    expectError(
      build('{"x":{"dtype":"F32","shape":[1e400],"data_offsets":[0,8]}}'),
      /not a non-negative integer/,
    );
    expectError(
      build(f32("x", [2 ** 30, 2 ** 30, 2 ** 30], [0, 4])),
      /shape \[1073741824, 1073741824, 1073741824\] that is too large/,
    );
  });

  it("rejects offsets out of range, reversed, or inconsistent with the shape", () => {
    expectError(
      build(f32("x", [2], [0, 8]), [0, 0, 0, 0]),
      /tensor "x" has data_offsets \[0, 8\] out of range: the data section is only 4 bytes/,
    );
    expectError(
      build(f32("x", [0], [4, 0]), [0, 0, 0, 0]),
      /tensor "x" has data_offsets \[4, 0\] with end before begin/,
    );
    expectError(
      build(f32("0.weight", [3, 4], [0, 40]), new Uint8Array(40)),
      'safetensors: tensor "0.weight" has data_offsets [0, 40] but shape [3, 4] of F32 needs 48 bytes',
    );
  });

  it("rejects overlapping, gapped, or trailing data regions", () => {
    expectError(
      build({ ...f32("a", [2], [0, 8]), ...f32("b", [1], [4, 8]) }, new Uint8Array(8)),
      /tensor "b" data_offsets \[4, 8\] overlap tensor "a" ending at 8/,
    );
    expectError(
      build({ ...f32("a", [1], [0, 4]), ...f32("b", [1], [8, 12]) }, new Uint8Array(12)),
      /gap in data: tensor "b" begins at 8 but the previous data ends at 4/,
    );
    expectError(
      build(f32("a", [1], [4, 8]), new Uint8Array(8)),
      /gap in data: tensor "a" begins at 4/,
    );
    expectError(
      build(f32("a", [1], [0, 4]), new Uint8Array(6)),
      /data section is 6 bytes but the tensors cover only 4/,
    );
    expectError(build({}, [1]), /data section is 1 bytes but the tensors cover only 0/);
  });

  it("rejects metadata that is not string -> string", () => {
    expectError(build({ __metadata__: [] }), /"__metadata__" is not an object/);
    expectError(build({ __metadata__: null }), /"__metadata__" is not an object/);
    expectError(
      build({ __metadata__: { epoch: 3 } }),
      /metadata value for "epoch" is not a string/,
    );
  });

  it("rejects I64 values that do not fit in int32, naming the tensor", () => {
    const header = { labels: { dtype: "I64", shape: [3], data_offsets: [0, 24] } };
    expectError(
      build(header, le("i64", [1n, 2n ** 31n, 0n])),
      /tensor "labels" has I64 value 2147483648 at index 1 that does not fit in int32/,
    );
    expectError(
      build(header, le("i64", [-(2n ** 31n) - 1n, 0n, 0n])),
      /I64 value -2147483649 at index 0/,
    );
    expectError(
      build(header, le("i64", [0n, 0n, -(2n ** 63n)])),
      /I64 value -9223372036854775808 at index 2/,
    );
  });

  it("throws SafetensorsError for every truncation of a valid file", () => {
    const bytes = encodeSafetensors(
      { ...sample, empty: { dtype: "F32", shape: [0], data: new Float32Array(0) } },
      { format: "pt" },
    );
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeSafetensors(bytes.slice(0, n)), `length ${n}`).toThrow(SafetensorsError);
    }
  });

  it("never throws anything but SafetensorsError for random header corruption", () => {
    const bytes = encodeSafetensors(sample, { format: "pt" });
    const headerEnd = 8 + new DataView(bytes.buffer).getUint32(0, true);
    const rand = mulberry32(12345);
    let decoded = 0;
    for (let iter = 0; iter < 3000; iter++) {
      const corrupt = bytes.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < flips; k++) {
        const pos = Math.floor(rand() * headerEnd);
        // Mix single-bit flips with arbitrary byte values (which favour JSON-significant chars).
        corrupt[pos] =
          rand() < 0.5
            ? corrupt[pos] ^ (1 << Math.floor(rand() * 8))
            : '0123456789{}[]",: -.e'.charCodeAt(Math.floor(rand() * 21));
      }
      try {
        const { tensors, metadata } = decodeSafetensors(corrupt);
        decoded++;
        for (const t of Object.values(tensors)) {
          expect(["F32", "I64", "BOOL"]).toContain(t.dtype);
          expect(t.data.length).toBe(t.shape.reduce((a, d) => a * d, 1));
        }
        for (const v of Object.values(metadata)) expect(typeof v).toBe("string");
      } catch (err) {
        if (!(err instanceof SafetensorsError)) throw err;
      }
    }
    // Some flips (e.g. inside names, metadata or padding) leave a valid file.
    expect(decoded).toBeGreaterThan(0);
  });
});
