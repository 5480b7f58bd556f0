import { describe, expect, it } from "vitest";
import {
  type BackendBuffer,
  type BinaryOp,
  type Conv2dGeometry,
  contiguousStrides,
  convOutputSize,
  JsBackend,
  type MatmulParams,
  type ReduceOp,
  sizeOf,
  type View,
} from "../src/index.js";
import { ADAM_CASES, RMSPROP_CASES, SGD_CASES } from "./optim-cases.js";

const be = new JsBackend();

/** A small seeded generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randArray(n: number, rand: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
  return a;
}

function randInt(lo: number, hi: number, rand: () => number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function f32(...xs: number[]): BackendBuffer {
  return be.upload(new Float32Array(xs));
}

function i32(...xs: number[]): BackendBuffer {
  return be.upload(new Int32Array(xs));
}

function read(b: BackendBuffer): number[] {
  return Array.from(be.readSync(b));
}

function contiguous(shape: number[], offset = 0): View {
  return { shape, strides: contiguousStrides(shape), offset };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      expect(a, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(e)) {
      expect(a, `element ${i}`).toBe(e);
    } else if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** The buffer offset of flat (row-major) position i of a view, by plain unravelling. */
function viewOffset(v: View, i: number): number {
  let off = v.offset;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    off += (i % v.shape[d]) * v.strides[d];
    i = Math.floor(i / v.shape[d]);
  }
  return off;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe("memory", () => {
  it("counts live buffers and bytes exactly and returns to zero", () => {
    const b = new JsBackend();
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
    const x = b.alloc("float32", 10);
    const y = b.upload(new Uint8Array(3));
    const z = b.upload(new Int32Array(5));
    expect(b.memory()).toEqual({ buffers: 3, bytes: 40 + 3 + 20 });
    const w = b.binaryScalar("lt", x, 1, false); // a kernel output (bool, 10 bytes)
    const r = b.random("uniform", 4, [1, 2], 0);
    expect(b.memory()).toEqual({ buffers: 5, bytes: 40 + 3 + 20 + 10 + 16 });
    for (const buf of [x, y, z, w, r]) b.free(buf);
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
    b.free(x); // double free is a no-op
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
  });

  it("writeView writes in place without allocating", () => {
    const b = new JsBackend();
    const dst = b.alloc("float32", 4);
    const src = b.upload(new Float32Array([7, 8]));
    b.writeView(dst, src, { shape: [2], strides: [2], offset: 1 });
    expect(b.memory().buffers).toBe(2);
    expect(Array.from(b.readSync(dst))).toEqual([0, 7, 0, 8]);
  });

  it("rejects a freed buffer with a clear error", async () => {
    const b = new JsBackend();
    const x = b.upload(new Float32Array([1, 2]));
    b.free(x);
    expect(() => b.readSync(x)).toThrow("buffer used after free");
    expect(() => b.unary("exp", x)).toThrow("buffer used after free");
    await expect(b.read(x)).rejects.toThrow("buffer used after free");
  });

  it("rejects buffers from elsewhere", () => {
    const fake: BackendBuffer = { dtype: "float32", size: 1 };
    expect(() => be.readSync(fake)).toThrow("another backend");
  });

  it("upload and read copy their data", async () => {
    const src = new Float32Array([1, 2, 3]);
    const x = be.upload(src);
    src[0] = 100;
    const out = be.readSync(x);
    out[1] = 100;
    expect(read(x)).toEqual([1, 2, 3]);
    const viaAsync = await be.read(x);
    expect(viaAsync).toBeInstanceOf(Float32Array);
    expect(Array.from(viaAsync)).toEqual([1, 2, 3]);
    expect(be.readSync(be.upload(new Int32Array([1]))).constructor).toBe(Int32Array);
    expect(be.upload(new Uint8Array([1])).dtype).toBe("bool");
  });

  it("alloc gives zeros of the right type", () => {
    const x = be.alloc("int32", 3);
    expect(x.dtype).toBe("int32");
    expect(x.size).toBe(3);
    expect(be.readSync(x)).toEqual(new Int32Array(3));
  });
});

describe("fill and cast", () => {
  it("fills every dtype; bool stores nonzero as 1", () => {
    expect(read(be.fill("float32", 3, 0.1))).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    expect(read(be.fill("int32", 2, -4))).toEqual([-4, -4]);
    expect(read(be.fill("bool", 2, 5))).toEqual([1, 1]);
    expect(read(be.fill("bool", 2, 0))).toEqual([0, 0]);
    expect(read(be.fill("float32", 0, 1))).toEqual([]);
  });

  it("casts float to int32 toward zero and to bool by nonzero", () => {
    const x = f32(-1.7, 1.7, 2.5, -0.5, 0, Number.NaN);
    expect(read(be.cast(x, "int32"))).toEqual([-1, 1, 2, 0, 0, 0]);
    expect(read(be.cast(x, "bool"))).toEqual([1, 1, 1, 1, 0, 1]);
    expect(read(be.cast(i32(3, -2), "float32"))).toEqual([3, -2]);
    expect(be.cast(i32(3), "float32").dtype).toBe("float32");
    expect(read(be.cast(be.upload(new Uint8Array([0, 1])), "float32"))).toEqual([0, 1]);
  });
});

describe("unary", () => {
  it("applies the op and rounds to float32 on store", () => {
    const x = f32(0, 1, -2);
    expectClose(be.readSync(be.unary("exp", x)), [1, Math.E, Math.exp(-2)], 1e-7);
    expect(read(be.unary("neg", f32(0.1)))).toEqual([Math.fround(-Math.fround(0.1))]);
    expect(read(be.unary("relu", x))).toEqual([0, 1, 0]);
    expect(read(be.unary("clamp", f32(-5, 0, 5), [-1, Number.NaN]))).toEqual([-1, 0, 5]);
    expect(read(be.unary("leaky_relu", f32(-2, 2), [0.5]))).toEqual([-1, 2]);
  });

  it("keeps the dtype, except logical_not which gives bool", () => {
    expect(be.unary("neg", i32(1)).dtype).toBe("int32");
    const n = be.unary("logical_not", f32(0, 2, -1));
    expect(n.dtype).toBe("bool");
    expect(read(n)).toEqual([1, 0, 0]);
  });
});

describe("binary", () => {
  it("adds contiguous inputs and keeps a's dtype", () => {
    const out = be.binary("add", f32(1, 2, 3), contiguous([3]), f32(10, 20, 30), contiguous([3]));
    expect(out.dtype).toBe("float32");
    expect(read(out)).toEqual([11, 22, 33]);
    const ints = be.binary("mul", i32(2, 3), contiguous([2]), i32(4, 5), contiguous([2]));
    expect(ints.dtype).toBe("int32");
    expect(read(ints)).toEqual([8, 15]);
  });

  it("broadcasts rows, columns and scalars through zero strides", () => {
    const a = f32(1, 2, 3, 4, 5, 6); // [2, 3]
    const row = f32(10, 20, 30);
    const col = f32(100, 200);
    const full = contiguous([2, 3]);
    const rowView = { shape: [2, 3], strides: [0, 1], offset: 0 };
    const colView = { shape: [2, 3], strides: [1, 0], offset: 0 };
    const scalarView = { shape: [2, 3], strides: [0, 0], offset: 1 };
    expect(read(be.binary("add", a, full, row, rowView))).toEqual([11, 22, 33, 14, 25, 36]);
    expect(read(be.binary("add", a, full, col, colView))).toEqual([101, 102, 103, 204, 205, 206]);
    expect(read(be.binary("sub", col, scalarView, a, full))).toEqual([
      199, 198, 197, 196, 195, 194,
    ]);
    expect(read(be.binary("mul", a, full, col, scalarView))).toEqual([
      200, 400, 600, 800, 1000, 1200,
    ]);
    expect(read(be.binary("add", row, rowView, col, colView))).toEqual([
      110, 120, 130, 210, 220, 230,
    ]);
    expect(read(be.binary("div", col, scalarView, col, scalarView))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("reads transposed and offset views", () => {
    const a = f32(1, 2, 3, 4, 5, 6); // [2, 3]
    const aT = { shape: [3, 2], strides: [1, 3], offset: 0 };
    const b = f32(0, 0, 1, 1, 1, 1, 1, 1);
    const bv = contiguous([3, 2], 2);
    expect(read(be.binary("add", a, aT, b, bv))).toEqual([2, 5, 3, 6, 4, 7]);
  });

  it("gives bool for comparisons and logical ops", () => {
    const a = f32(1, 2, 3);
    const b = f32(2, 2, 2);
    const v = contiguous([3]);
    const cases: [BinaryOp, number[]][] = [
      ["lt", [1, 0, 0]],
      ["le", [1, 1, 0]],
      ["eq", [0, 1, 0]],
      ["ne", [1, 0, 1]],
      ["gt", [0, 0, 1]],
      ["ge", [0, 1, 1]],
    ];
    for (const [op, expected] of cases) {
      const out = be.binary(op, a, v, b, v);
      expect(out.dtype).toBe("bool");
      expect(read(out), op).toEqual(expected);
    }
    const p = be.upload(new Uint8Array([0, 0, 1, 1]));
    const q = be.upload(new Uint8Array([0, 1, 0, 1]));
    const v4 = contiguous([4]);
    expect(read(be.binary("logical_and", p, v4, q, v4))).toEqual([0, 0, 0, 1]);
    expect(read(be.binary("logical_or", p, v4, q, v4))).toEqual([0, 1, 1, 1]);
    expect(read(be.binary("logical_xor", p, v4, q, v4))).toEqual([0, 1, 1, 0]);
  });

  it("matches plain index arithmetic on random strided and broadcast views", () => {
    const rand = rng(7);
    for (let trial = 0; trial < 60; trial++) {
      const nd = randInt(0, 4, rand);
      const shape = Array.from({ length: nd }, () => randInt(1, 4, rand));
      // A random view: a permuted/padded layout with some dims broadcast (stride 0).
      const makeView = (): { view: View; size: number } => {
        const strides = shape.map(() => 0);
        let s = 1;
        for (const d of [...shape.keys()].sort(() => rand() - 0.5)) {
          if (rand() < 0.25) continue; // broadcast this dim
          strides[d] = s;
          s *= shape[d] + randInt(0, 1, rand);
        }
        const offset = randInt(0, 3, rand);
        return { view: { shape, strides, offset }, size: offset + s };
      };
      const av = makeView();
      const bv = makeView();
      const aData = randArray(av.size, rand);
      const bData = randArray(bv.size, rand);
      const out = be.readSync(
        be.binary("sub", be.upload(aData), av.view, be.upload(bData), bv.view),
      );
      const n = sizeOf(shape);
      const expected = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        expected[i] = aData[viewOffset(av.view, i)] - bData[viewOffset(bv.view, i)];
      }
      expect(Array.from(out)).toEqual(Array.from(expected));
    }
  });

  it("rejects views that leave the buffer or disagree in shape", () => {
    const a = f32(1, 2, 3);
    expect(() => be.binary("add", a, contiguous([3], 1), a, contiguous([3]))).toThrow(RangeError);
    expect(() => be.binary("add", a, contiguous([3]), a, contiguous([1]))).toThrow("shapes differ");
  });

  it("binaryScalar puts the scalar on either side", () => {
    const a = f32(1, 2, 4);
    expect(read(be.binaryScalar("sub", a, 10, false))).toEqual([-9, -8, -6]);
    expect(read(be.binaryScalar("sub", a, 10, true))).toEqual([9, 8, 6]);
    expect(read(be.binaryScalar("pow", a, 2, true))).toEqual([2, 4, 16]);
    const cmp = be.binaryScalar("gt", a, 1.5, false);
    expect(cmp.dtype).toBe("bool");
    expect(read(cmp)).toEqual([0, 1, 1]);
  });
});

describe("fused optimizer updates", () => {
  // The unfused ops PyTorch's single-tensor optimizers run, each storing float32 (scalars as
  // float32, as PyTorch's kernels read them): the fused kernels must give the same bits.
  const op = (o: BinaryOp, a: BackendBuffer, b: BackendBuffer | number): BackendBuffer =>
    typeof b === "number"
      ? be.binaryScalar(o, a, Math.fround(b), false)
      : be.binary(o, a, contiguous([a.size]), b, contiguous([b.size]));
  const rand = rng(21);
  const n = 37;

  it("adamStep gives the bits of PyTorch's Adam/AdamW ops", () => {
    for (const [name, p, amsgrad] of ADAM_CASES) {
      let w = be.upload(randArray(n, rand));
      let m = be.upload(randArray(n, rand));
      let v = be.upload(randArray(n, rand).map(Math.abs));
      let x = be.upload(randArray(n, rand).map(Math.abs));
      const g0 = be.upload(randArray(n, rand));
      const fused = [w, m, v, x].map((b) => be.upload(be.readSync(b)));
      const step = 3;
      be.adamStep(fused[0], g0, fused[1], fused[2], amsgrad ? fused[3] : null, { ...p, step });

      let g = p.maximize ? be.unary("neg", g0) : g0;
      if (p.weightDecay !== 0 && !p.decoupled) g = op("add", g, op("mul", w, p.weightDecay));
      if (p.decoupled) w = op("mul", w, 1 - p.lr * p.weightDecay);
      m = op("add", op("mul", m, p.beta1), op("mul", g, 1 - p.beta1));
      v = op("add", op("mul", v, p.beta2), op("mul", op("mul", g, 1 - p.beta2), g));
      if (amsgrad) x = op("maximum", x, v);
      const bc2 = Math.sqrt(1 - p.beta2 ** step);
      const denom = op("add", op("div", be.unary("sqrt", amsgrad ? x : v), bc2), p.eps);
      const stepSize = p.lr / (1 - p.beta1 ** step);
      w = op("add", w, op("div", op("mul", m, -stepSize), denom));
      const expected = amsgrad ? [w, m, v, x] : [w, m, v];
      expected.forEach((e, k) => {
        expect(read(fused[k]), `${name}: buffer ${k}`).toEqual(read(e));
      });
    }
  });

  it("sgdStep gives the bits of PyTorch's SGD ops", () => {
    for (const [name, p] of SGD_CASES) {
      for (const first of [true, false]) {
        let w = be.upload(randArray(n, rand));
        let b = be.upload(randArray(n, rand));
        const g0 = be.upload(randArray(n, rand));
        const fused = [be.upload(be.readSync(w)), be.upload(be.readSync(b))];
        const momentum = p.momentum !== 0;
        be.sgdStep(fused[0], g0, momentum ? fused[1] : null, { ...p, first });

        let g = p.maximize ? be.unary("neg", g0) : g0;
        if (p.weightDecay !== 0) g = op("add", g, op("mul", w, p.weightDecay));
        if (momentum) {
          b = first ? g : op("add", op("mul", b, p.momentum), op("mul", g, 1 - p.dampening));
          g = p.nesterov ? op("add", g, op("mul", b, p.momentum)) : b;
        }
        w = op("add", w, op("mul", g, -p.lr));
        expect(read(fused[0]), `${name} (first: ${first}): param`).toEqual(read(w));
        if (momentum) expect(read(fused[1]), `${name}: buffer`).toEqual(read(b));
      }
    }
  });

  it("rmspropStep gives the bits of PyTorch's RMSprop ops", () => {
    for (const [name, p, centered] of RMSPROP_CASES) {
      let w = be.upload(randArray(n, rand));
      let s = be.upload(randArray(n, rand).map(Math.abs));
      let a = be.upload(randArray(n, rand).map((x) => x / 10));
      let b = be.upload(randArray(n, rand));
      const g0 = be.upload(randArray(n, rand));
      const fused = [w, s, a, b].map((x) => be.upload(be.readSync(x)));
      const momentum = p.momentum > 0;
      be.rmspropStep(
        fused[0],
        g0,
        fused[1],
        centered ? fused[2] : null,
        momentum ? fused[3] : null,
        p,
      );

      let g = p.maximize ? be.unary("neg", g0) : g0;
      if (p.weightDecay !== 0) g = op("add", g, op("mul", w, p.weightDecay));
      s = op("add", op("mul", s, p.alpha), op("mul", op("mul", g, 1 - p.alpha), g));
      let centeredAvg = s;
      if (centered) {
        a = op("add", op("mul", a, p.alpha), op("mul", g, 1 - p.alpha));
        centeredAvg = op("sub", s, op("mul", a, a));
      }
      const avg = op("add", be.unary("sqrt", centeredAvg), p.eps);
      if (momentum) {
        b = op("add", op("mul", b, p.momentum), op("div", g, avg));
        w = op("add", w, op("mul", b, -p.lr));
      } else {
        w = op("add", w, op("div", op("mul", g, -p.lr), avg));
      }
      const expected: [number, BackendBuffer][] = [
        [0, w],
        [1, s],
      ];
      if (centered) expected.push([2, a]);
      if (momentum) expected.push([3, b]);
      for (const [k, e] of expected) {
        expect(read(fused[k]), `${name}: buffer ${k}`).toEqual(read(e));
      }
    }
  });

  it("rejects buffers of other sizes or dtypes", () => {
    const p = { ...ADAM_CASES[0][1] };
    expect(() => be.adamStep(f32(1, 2), f32(1), f32(0, 0), f32(0, 0), null, p)).toThrow(
      /differ in size/,
    );
    expect(() => be.sgdStep(f32(1), i32(1), null, SGD_CASES[0][1])).toThrow(/float32/);
  });
});

describe("where, copy and writeView", () => {
  it("selects through broadcast views; any nonzero condition is true", () => {
    const cond = f32(1, 0, Number.NaN); // [3], broadcast over rows
    const a = f32(1, 2, 3, 4, 5, 6);
    const b = f32(-1);
    const out = be.where(
      cond,
      { shape: [2, 3], strides: [0, 1], offset: 0 },
      a,
      contiguous([2, 3]),
      b,
      { shape: [2, 3], strides: [0, 0], offset: 0 },
    );
    expect(out.dtype).toBe("float32");
    expect(read(out)).toEqual([1, -1, 3, 4, -1, 6]);
  });

  it("copy materializes transposed, sliced and broadcast views", () => {
    const x = f32(1, 2, 3, 4, 5, 6); // [2, 3]
    expect(read(be.copy(x, { shape: [3, 2], strides: [1, 3], offset: 0 }))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
    expect(read(be.copy(x, { shape: [2, 2], strides: [3, 1], offset: 1 }))).toEqual([2, 3, 5, 6]);
    expect(read(be.copy(x, { shape: [2], strides: [0], offset: 4 }))).toEqual([5, 5]);
    expect(read(be.copy(x, { shape: [3], strides: [-1], offset: 2 }))).toEqual([3, 2, 1]);
    expect(read(be.copy(x, contiguous([2], 3)))).toEqual([4, 5]);
    expect(read(be.copy(x, { shape: [], strides: [], offset: 5 }))).toEqual([6]);
    expect(be.copy(i32(1, 2), contiguous([2])).dtype).toBe("int32");
  });

  it("writeView writes a strided region in place", () => {
    const dst = be.alloc("float32", 12); // [3, 4]
    // Column 1..2 of rows 0..2, i.e. dst[:, 1:3].
    be.writeView(dst, f32(1, 2, 3, 4, 5, 6), { shape: [3, 2], strides: [4, 1], offset: 1 });
    expect(read(dst)).toEqual([0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0]);
    const flags = be.alloc("bool", 2);
    be.writeView(flags, f32(0.5, 0), contiguous([2]));
    expect(read(flags)).toEqual([1, 0]);
    expect(() => be.writeView(dst, f32(1), contiguous([2]))).toThrow("src has 1 elements");
  });
});

describe("reduce", () => {
  const shape = [2, 3, 4];
  const rand = rng(3);
  const xData = randArray(24, rand);
  const x = be.upload(xData);

  function naive(op: ReduceOp, outer: number, size: number, inner: number): number[] {
    const out: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const vals = Array.from({ length: size }, (_, s) => xData[(o * size + s) * inner + i]);
        if (op === "sum") out.push(vals.reduce((p, v) => p + v, 0));
        else if (op === "prod") out.push(vals.reduce((p, v) => p * v, 1));
        else if (op === "max") out.push(Math.max(...vals));
        else if (op === "min") out.push(Math.min(...vals));
        else if (op === "argmax") out.push(vals.indexOf(Math.max(...vals)));
        else out.push(vals.indexOf(Math.min(...vals)));
      }
    }
    return out;
  }

  for (let axis = 0; axis < 3; axis++) {
    const outer = sizeOf(shape.slice(0, axis));
    const size = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1));
    for (const op of ["sum", "prod", "max", "min", "argmax", "argmin"] as const) {
      it(`${op} over axis ${axis}`, () => {
        const out = be.reduce(op, x, outer, size, inner);
        expect(out.dtype).toBe(op.startsWith("arg") ? "int32" : "float32");
        expect(out.size).toBe(outer * inner);
        expectClose(be.readSync(out), naive(op, outer, size, inner), 1e-6);
      });
    }
  }

  it("propagates NaN; arg-reductions pick the first extreme, NaN counting as extreme", () => {
    const y = f32(1, Number.NaN, 3, Number.NaN);
    expect(read(be.reduce("max", y, 1, 4, 1))).toEqual([Number.NaN]);
    expect(read(be.reduce("min", y, 1, 4, 1))).toEqual([Number.NaN]);
    expect(read(be.reduce("sum", y, 1, 4, 1))).toEqual([Number.NaN]);
    expect(read(be.reduce("argmax", y, 1, 4, 1))).toEqual([1]);
    expect(read(be.reduce("argmin", y, 1, 4, 1))).toEqual([1]);
    const first = f32(Number.NaN, 5);
    expect(read(be.reduce("max", first, 1, 2, 1))).toEqual([Number.NaN]);
    expect(read(be.reduce("argmax", first, 1, 2, 1))).toEqual([0]);
    const ties = f32(2, 7, 7, 1, 1);
    expect(read(be.reduce("argmax", ties, 1, 5, 1))).toEqual([1]);
    expect(read(be.reduce("argmin", ties, 1, 5, 1))).toEqual([3]);
  });

  it("accumulates sums in float64", () => {
    const n = 1 << 20;
    const ones = be.fill("float32", n + 1, 1);
    // Adding 1s in float32 would stall at 2^24; 1e-3 * 2^20 ones would drift.
    expect(read(be.reduce("sum", ones, 1, n + 1, 1))).toEqual([n + 1]);
    const tiny = be.fill("float32", n, 0.001);
    expectClose(be.readSync(be.reduce("sum", tiny, 1, n, 1)), [Math.fround(0.001) * n], 1e-7);
  });

  it("handles an empty reduced dimension", () => {
    const e = be.alloc("float32", 0);
    expect(read(be.reduce("sum", e, 2, 0, 3))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(read(be.reduce("prod", e, 1, 0, 2))).toEqual([1, 1]);
    expect(() => be.reduce("max", e, 1, 0, 2)).toThrow("empty");
    expect(() => be.reduce("argmin", e, 1, 0, 2)).toThrow("empty");
  });
});

describe("softmax", () => {
  it("gives rows that sum to 1 along each axis and matches the definition", () => {
    const shape = [2, 3, 4];
    const xData = randArray(24, rng(11)).map((v) => v * 5);
    const x = be.upload(xData);
    for (let axis = 0; axis < 3; axis++) {
      const outer = sizeOf(shape.slice(0, axis));
      const size = shape[axis];
      const inner = sizeOf(shape.slice(axis + 1));
      const p = be.readSync(be.softmax(x, outer, size, inner, false));
      const lp = be.readSync(be.softmax(x, outer, size, inner, true));
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const at = (s: number) => (o * size + s) * inner + i;
          let total = 0;
          let z = 0;
          for (let s = 0; s < size; s++) z += Math.exp(xData[at(s)]);
          for (let s = 0; s < size; s++) {
            total += p[at(s)];
            expect(p[at(s)]).toBeCloseTo(Math.exp(xData[at(s)]) / z, 6);
            expect(lp[at(s)]).toBeCloseTo(xData[at(s)] - Math.log(z), 5);
          }
          expect(total).toBeCloseTo(1, 6);
        }
      }
    }
  });

  it("is stable for large inputs", () => {
    const x = f32(1000, 1001, 1002);
    const p = be.readSync(be.softmax(x, 1, 3, 1, false));
    const lp = be.readSync(be.softmax(x, 1, 3, 1, true));
    const z = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expectClose(lp, [-2 - z, -1 - z, -z], 1e-6);
    expectClose(p, [Math.exp(-2 - z), Math.exp(-1 - z), Math.exp(-z)], 1e-6);
    const neg = be.readSync(be.softmax(f32(-1000, -1000), 1, 2, 1, true));
    expectClose(neg, [-Math.LN2, -Math.LN2], 1e-6);
  });
});

describe("matmul", () => {
  /** C[t, i, j] = sum_q A(t, i, q) B(t, q, j), reading storage exactly as documented. */
  function naive(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array {
    const out = new Float32Array(p.batch * p.m * p.n);
    for (let t = 0; t < p.batch; t++) {
      for (let i = 0; i < p.m; i++) {
        for (let j = 0; j < p.n; j++) {
          let s = 0;
          for (let q = 0; q < p.k; q++) {
            const av = p.transA
              ? a[t * p.aBatchStride + q * p.m + i]
              : a[t * p.aBatchStride + i * p.k + q];
            const bv = p.transB
              ? b[t * p.bBatchStride + j * p.k + q]
              : b[t * p.bBatchStride + q * p.n + j];
            s += av * bv;
          }
          out[(t * p.m + i) * p.n + j] = s;
        }
      }
    }
    return out;
  }

  it("computes a hand-checked product", () => {
    const a = f32(1, 2, 3, 4, 5, 6); // [2, 3]
    const b = f32(7, 8, 9, 10, 11, 12); // [3, 2]
    const p = {
      batch: 1,
      m: 2,
      k: 3,
      n: 2,
      aBatchStride: 0,
      bBatchStride: 0,
      transA: false,
      transB: false,
    };
    expect(read(be.matmul(a, b, p))).toEqual([58, 64, 139, 154]);
  });

  it("matches a triple loop for odd sizes, every transpose and broadcast batches", () => {
    const rand = rng(42);
    const sizes = [1, 2, 3, 5, 7, 16, 17];
    for (let trial = 0; trial < 80; trial++) {
      const m = sizes[randInt(0, sizes.length - 1, rand)];
      const k = sizes[randInt(0, sizes.length - 1, rand)];
      const n = sizes[randInt(0, sizes.length - 1, rand)];
      const batch = randInt(1, 3, rand);
      const broadcast = trial % 3; // 0: none, 1: A shared, 2: B shared
      const p: MatmulParams = {
        batch,
        m,
        k,
        n,
        aBatchStride: broadcast === 1 ? 0 : m * k,
        bBatchStride: broadcast === 2 ? 0 : k * n,
        transA: (trial & 1) === 1,
        transB: (trial & 2) === 2,
      };
      const aData = randArray(broadcast === 1 ? m * k : batch * m * k, rand);
      const bData = randArray(broadcast === 2 ? k * n : batch * k * n, rand);
      const out = be.matmul(be.upload(aData), be.upload(bData), p);
      expect(out.size).toBe(batch * m * n);
      expectClose(be.readSync(out), naive(aData, bData, p), 1e-5);
    }
  });

  it("gives zeros when k is 0 and rejects short buffers", () => {
    const p = {
      batch: 2,
      m: 2,
      k: 0,
      n: 3,
      aBatchStride: 0,
      bBatchStride: 0,
      transA: false,
      transB: false,
    };
    expect(read(be.matmul(be.alloc("float32", 0), be.alloc("float32", 0), p))).toEqual(
      new Array(12).fill(0),
    );
    const q = { ...p, k: 2, aBatchStride: 4, bBatchStride: 6 };
    expect(() => be.matmul(be.alloc("float32", 4), be.alloc("float32", 12), q)).toThrow(RangeError);
  });
});

describe("gather and scatterAdd", () => {
  it("gathers along the middle axis", () => {
    // x: [1, 3, 2] = [[1, 2], [3, 4], [5, 6]]; index: [1, 2, 2]
    const x = f32(1, 2, 3, 4, 5, 6);
    const index = i32(2, 0, 1, 1);
    expect(read(be.gather(x, index, 1, 3, 2, 2))).toEqual([5, 2, 3, 4]);
  });

  it("scatterAdd sums repeated indices", () => {
    const src = f32(1, 2, 3, 4);
    const index = i32(0, 2, 0, 2); // [1, 4, 1] into outSize 3
    expect(read(be.scatterAdd(src, index, 1, 3, 4, 1))).toEqual([4, 0, 6]);
  });

  it("is the adjoint of gather: <scatterAdd(g), x> == <g, gather(x)>", () => {
    const rand = rng(5);
    const [outer, xSize, indexSize, inner] = [3, 4, 5, 2];
    const xData = randArray(outer * xSize * inner, rand);
    const gData = randArray(outer * indexSize * inner, rand);
    const idx = new Int32Array(outer * indexSize * inner).map(() => randInt(0, xSize - 1, rand));
    const index = be.upload(idx);
    const gx = be.readSync(be.gather(be.upload(xData), index, outer, xSize, indexSize, inner));
    const sg = be.readSync(be.scatterAdd(be.upload(gData), index, outer, xSize, indexSize, inner));
    expect(dot(sg, xData)).toBeCloseTo(dot(gData, gx), 5);
  });

  it("throws a RangeError naming the index and size", () => {
    const x = f32(1, 2, 3);
    expect(() => be.gather(x, i32(3), 1, 3, 1, 1)).toThrow(/index 3 .*size 3/);
    expect(() => be.gather(x, i32(-1), 1, 3, 1, 1)).toThrow(RangeError);
    expect(() => be.scatterAdd(x, i32(0, 5, 0), 1, 2, 3, 1)).toThrow(/index 5 .*size 2/);
    expect(() => be.gather(x, f32(0), 1, 3, 1, 1)).toThrow("int32");
  });
});

describe("indexSelect and indexAdd", () => {
  it("picks and accumulates whole slices", () => {
    // x: [2, 3, 2]
    const x = f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    const index = i32(2, 0, 2);
    expect(read(be.indexSelect(x, index, 2, 3, 2))).toEqual([
      5, 6, 1, 2, 5, 6, 11, 12, 7, 8, 11, 12,
    ]);
    const src = f32(1, 1, 2, 2, 3, 3); // [1, 3, 2]
    expect(read(be.indexAdd(src, index, 1, 3, 2))).toEqual([2, 2, 0, 0, 4, 4]);
  });

  it("is the adjoint of indexSelect", () => {
    const rand = rng(9);
    const [outer, xSize, len, inner] = [2, 5, 7, 3];
    const xData = randArray(outer * xSize * inner, rand);
    const gData = randArray(outer * len * inner, rand);
    const index = be.upload(new Int32Array(len).map(() => randInt(0, xSize - 1, rand)));
    const sx = be.readSync(be.indexSelect(be.upload(xData), index, outer, xSize, inner));
    const ag = be.readSync(be.indexAdd(be.upload(gData), index, outer, xSize, inner));
    expect(dot(ag, xData)).toBeCloseTo(dot(gData, sx), 5);
  });

  it("throws a RangeError naming the index and size", () => {
    const x = f32(1, 2, 3, 4);
    expect(() => be.indexSelect(x, i32(0, 4), 1, 4, 1)).toThrow(/index 4 .*size 4/);
    expect(() => be.indexAdd(x, i32(0, 1, 2, 9), 1, 3, 1)).toThrow(/index 9 .*size 3/);
  });
});

describe("im2col and col2im", () => {
  const geometries: Conv2dGeometry[] = [
    {
      n: 1,
      c: 1,
      h: 3,
      w: 3,
      kh: 2,
      kw: 2,
      strideH: 1,
      strideW: 1,
      padH: 0,
      padW: 0,
      dilationH: 1,
      dilationW: 1,
      padValue: 0,
    },
    {
      n: 2,
      c: 3,
      h: 5,
      w: 6,
      kh: 3,
      kw: 3,
      strideH: 1,
      strideW: 1,
      padH: 1,
      padW: 1,
      dilationH: 1,
      dilationW: 1,
      padValue: 0,
    },
    {
      n: 2,
      c: 2,
      h: 7,
      w: 5,
      kh: 3,
      kw: 2,
      strideH: 2,
      strideW: 1,
      padH: 1,
      padW: 0,
      dilationH: 1,
      dilationW: 2,
      padValue: 0,
    },
    {
      n: 1,
      c: 2,
      h: 8,
      w: 9,
      kh: 2,
      kw: 3,
      strideH: 3,
      strideW: 2,
      padH: 2,
      padW: 1,
      dilationH: 2,
      dilationW: 1,
      padValue: 0,
    },
  ];

  it("lays out patches as [n, c*kh*kw, oh*ow]", () => {
    const x = f32(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const cols = be.im2col(x, geometries[0]);
    // Rows are kernel offsets (0,0), (0,1), (1,0), (1,1); columns output pixels.
    expect(read(cols)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });

  it("reads padValue outside the image (max pooling pads with -Infinity)", () => {
    const g = {
      ...geometries[0],
      h: 2,
      w: 2,
      padH: 1,
      padW: 1,
      strideH: 2,
      strideW: 2,
      padValue: -Infinity,
    };
    const cols = read(be.im2col(f32(1, 2, 3, 4), g));
    // oh = ow = 2 and each output window holds exactly one real pixel: kernel offset (ki, kj)
    // at output (oy, ox) reads pixel (2 * oy - 1 + ki, 2 * ox - 1 + kj).
    const I = -Infinity;
    expect(cols).toEqual([I, I, I, 4, I, I, 3, I, I, 2, I, I, 1, I, I, I]);
  });

  for (const [gi, g] of geometries.entries()) {
    it(`col2im is the adjoint of im2col (geometry ${gi})`, () => {
      const rand = rng(100 + gi);
      const [oh, ow] = convOutputSize(g);
      const xData = randArray(g.n * g.c * g.h * g.w, rand);
      const cData = randArray(g.n * g.c * g.kh * g.kw * oh * ow, rand);
      const cols = be.readSync(be.im2col(be.upload(xData), g));
      const img = be.readSync(be.col2im(be.upload(cData), g));
      expect(img.length).toBe(xData.length);
      expect(dot(cols, cData)).toBeCloseTo(dot(xData, img), 4);
    });

    it(`im2col then matmul equals a direct convolution (geometry ${gi})`, () => {
      const rand = rng(200 + gi);
      const [oh, ow] = convOutputSize(g);
      const cout = 3;
      const rows = g.c * g.kh * g.kw;
      const xData = randArray(g.n * g.c * g.h * g.w, rand);
      const wData = randArray(cout * rows, rand); // [cout, c, kh, kw]
      const cols = be.im2col(be.upload(xData), g);
      const y = be.matmul(be.upload(wData), cols, {
        batch: g.n,
        m: cout,
        k: rows,
        n: oh * ow,
        aBatchStride: 0,
        bBatchStride: rows * oh * ow,
        transA: false,
        transB: false,
      });
      const direct = new Float32Array(g.n * cout * oh * ow);
      for (let b = 0; b < g.n; b++)
        for (let co = 0; co < cout; co++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++) {
              let s = 0;
              for (let ci = 0; ci < g.c; ci++)
                for (let ki = 0; ki < g.kh; ki++)
                  for (let kj = 0; kj < g.kw; kj++) {
                    const iy = oy * g.strideH - g.padH + ki * g.dilationH;
                    const ix = ox * g.strideW - g.padW + kj * g.dilationW;
                    if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                    s +=
                      wData[((co * g.c + ci) * g.kh + ki) * g.kw + kj] *
                      xData[((b * g.c + ci) * g.h + iy) * g.w + ix];
                  }
              direct[((b * cout + co) * oh + oy) * ow + ox] = s;
            }
      expectClose(be.readSync(y), direct, 1e-5);
    });
  }
});

describe("random", () => {
  const key: [number, number] = [0x12345678, 0x9abcdef0];

  it("is a pure function of key and counter", () => {
    const a = read(be.random("uniform", 64, key, 0));
    const b = read(be.random("uniform", 64, key, 0));
    expect(a).toEqual(b);
    const other = read(be.random("uniform", 64, [key[0] ^ 1, key[1]], 0));
    expect(other).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(60);
  });

  it("shifts the stream by the offset", () => {
    for (const dist of ["uniform", "normal"] as const) {
      const shifted = read(be.random(dist, 10, key, 5));
      const base = read(be.random(dist, 15, key, 0));
      expect(shifted[0]).toBe(base[5]);
      expect(shifted).toEqual(base.slice(5));
    }
    // Counters past 2^32 use the high word.
    const big = 2 ** 32 - 2;
    const across = read(be.random("uniform", 4, key, big));
    expect(across.slice(2)).toEqual(read(be.random("uniform", 2, key, big + 2)));
  });

  it("has the right moments", () => {
    const n = 100_000;
    const u = be.readSync(be.random("uniform", n, key, 0));
    expect(u).toBeInstanceOf(Float32Array);
    let mean = 0;
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      mean += v / n;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);

    const z = be.readSync(be.random("normal", n, key, 0));
    let m = 0;
    let sq = 0;
    for (const v of z) {
      m += v;
      sq += v * v;
    }
    m /= n;
    const std = Math.sqrt(sq / n - m * m);
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
  });
});

describe("binary fast paths agree with the strided path", () => {
  it("gives the same answers for contiguous views spelled with odd strides", () => {
    // Size-1 dims may carry any stride; they must not knock the view off the fast path or
    // change the result.
    const a = f32(1, 2, 3, 4);
    const b = f32(5);
    const av: View = { shape: [1, 4], strides: [99, 1], offset: 0 };
    const bv: View = { shape: [1, 4], strides: [7, 0], offset: 0 };
    expect(read(be.binary("mul", a, av, b, bv))).toEqual([5, 10, 15, 20]);
    const strided: View = { shape: [2, 2], strides: [1, 2], offset: 0 };
    expect(
      read(be.binary("add", a, strided, b, { shape: [2, 2], strides: [0, 0], offset: 0 })),
    ).toEqual([6, 8, 7, 9]);
  });
});
