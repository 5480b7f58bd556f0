/**
 * Every webgpu kernel against the js backend (the oracle) on random shapes, including sizes
 * that don't divide the tiles and workgroups, empty tensors, broadcast and strided views, and
 * the special values (NaN, infinities, -0) where semantics differ between APIs.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AnyTypedArray,
  type Backend,
  type BackendBuffer,
  type BinaryOp,
  type Conv2dGeometry,
  convOutputSize,
  type DType,
  JsBackend,
  type MatmulParams,
  type ReduceOp,
  type UnaryOp,
  type View,
  type WebGpuBackend,
} from "../src/index.js";
import {
  ADAM_CASES,
  RMSPROP_CASES,
  runAdam,
  runRmsprop,
  runSgd,
  SGD_CASES,
} from "./optim-cases.js";
import { nodeWebGpu } from "./webgpu-setup.js";

let gpu: WebGpuBackend;
/** The same device's kernels as chosen for a hardware GPU (workgroup-memory tiles, barriers). */
let tiled: WebGpuBackend;
const js = new JsBackend();

beforeAll(async () => {
  gpu = await nodeWebGpu();
  tiled = await nodeWebGpu({ softwareKernels: false });
}, 60_000);

afterAll(() => {
  gpu?.destroy();
  tiled?.destroy();
});

// ---------------------------------------------------------------- inputs

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

const rand = rng(7);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const SPECIALS = [0, -0, 1, -1, 0.5, -2.5, 3.5, Number.NaN, Infinity, -Infinity, 1e-30, 70, -70];

/** Random values of a dtype; floats include the special values now and then. */
function values(dtype: DType, n: number, specials = true): AnyTypedArray {
  if (dtype === "float32") {
    return Float32Array.from({ length: n }, () =>
      specials && rand() < 0.15 ? pickOne(SPECIALS) : (rand() * 2 - 1) * 4,
    );
  }
  if (dtype === "int32") return Int32Array.from({ length: n }, () => int(-9, 9));
  return Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
}

/** The webgpu backend `same` and `expectSame` use (some suites run on both kernel sets). */
let active: WebGpuBackend | null = null;
const current = () => active ?? gpu;

/** The same data on both backends. */
function both(data: AnyTypedArray): [BackendBuffer, BackendBuffer] {
  return [current().upload(data), js.upload(data)];
}

function shapeOf(maxRank: number, maxDim: number): number[] {
  return Array.from({ length: int(0, maxRank) }, () => int(1, maxDim));
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * A random view of `shape` into a fresh buffer: some dims transposed, some broadcast (stride
 * 0), some stepped, at an offset. Returns the view and the buffer size it needs.
 */
function randomView(shape: readonly number[]): { view: View; bufSize: number } {
  const order = shape.map((_d, i) => i).sort(() => rand() - 0.5);
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (const d of order.reverse()) {
    if (rand() < 0.2) continue; // broadcast
    const gap = rand() < 0.2 ? 2 : 1;
    strides[d] = step * gap;
    step *= shape[d] * gap;
  }
  const offset = int(0, 3);
  let span = offset;
  shape.forEach((d, i) => {
    span += (d - 1) * strides[i];
  });
  return { view: { shape, strides, offset }, bufSize: size(shape) === 0 ? offset : span + 1 };
}

// ---------------------------------------------------------------- comparison

interface Tol {
  rtol: number;
  atol: number;
}

const EXACT: Tol = { rtol: 0, atol: 0 };
const F32: Tol = { rtol: 2e-6, atol: 1e-6 };

/** Read both and compare: same dtype and length, NaN where NaN, values within `tol`. */
async function expectSame(
  g: BackendBuffer,
  j: BackendBuffer,
  tol: Tol = F32,
  what = "",
): Promise<void> {
  expect(g.dtype, `${what} dtype`).toBe(j.dtype);
  expect(g.size, `${what} size`).toBe(j.size);
  expectArrays(await current().read(g), js.readSync(j), what, tol);
}

/** Same array type and length, NaN where NaN, values within `tol`. */
function expectArrays(a: AnyTypedArray, e: AnyTypedArray, what: string, tol: Tol = F32): void {
  expect(a.constructor, `${what} array type`).toBe(e.constructor);
  expect(a.length, `${what} length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const [x, y] = [a[i], e[i]];
    if (Number.isNaN(y)) {
      if (!Number.isNaN(x)) expect.fail(`${what}[${i}]: got ${x}, js gives NaN`);
    } else if (!Number.isFinite(y) || tol.rtol + tol.atol === 0) {
      if (x !== y) expect.fail(`${what}[${i}]: got ${x}, js gives ${y}`);
    } else if (!(Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y))) {
      expect.fail(`${what}[${i}]: got ${x}, js gives ${y} (rtol ${tol.rtol}, atol ${tol.atol})`);
    }
  }
}

/** Run `fn` on both backends with the same inputs and compare. */
async function same(
  inputs: AnyTypedArray[],
  fn: (be: Backend, bufs: BackendBuffer[]) => BackendBuffer,
  tol: Tol = F32,
  what = "",
): Promise<void> {
  const pairs = inputs.map(both);
  const g = fn(
    current(),
    pairs.map((p) => p[0]),
  );
  const j = fn(
    js,
    pairs.map((p) => p[1]),
  );
  await expectSame(g, j, tol, what);
}

// ---------------------------------------------------------------- memory and readback

describe("webgpu: memory and readback", () => {
  it("round-trips every dtype, including empty buffers", async () => {
    for (const dtype of ["float32", "int32", "bool"] as const) {
      for (const n of [0, 1, 3, 1000]) {
        const data = values(dtype, n);
        const out = await gpu.read(gpu.upload(data));
        expect(out).toEqual(data);
      }
    }
  });

  it("counts live buffers and bytes as the interface does (bool = 1 byte)", () => {
    const before = gpu.memory();
    const x = gpu.alloc("float32", 10);
    const y = gpu.upload(new Uint8Array(3));
    const z = gpu.binaryScalar("lt", x, 1, false);
    expect(gpu.memory()).toEqual({
      buffers: before.buffers + 3,
      bytes: before.bytes + 40 + 3 + 10,
    });
    for (const b of [x, y, z]) gpu.free(b);
    gpu.free(x); // a double free is a no-op
    expect(gpu.memory()).toEqual(before);
  });

  it("reuses freed buffers from the pool, for kernels even before a submit", async () => {
    const x = gpu.upload(new Float32Array(1000));
    await gpu.read(x);
    const held = gpu.info().deviceBytes;
    for (let i = 0; i < 50; i++) gpu.free(gpu.unary("exp", x));
    await gpu.read(x);
    expect(gpu.info().deviceBytes).toBeLessThanOrEqual(held + 4096);
    // Uploads only reuse buffers after a submit, so they can't overwrite data a queued kernel
    // has yet to read.
    const y = gpu.unary("exp", x);
    const z = gpu.binaryScalar("mul", y, 2, false);
    gpu.free(y);
    const w = gpu.upload(new Float32Array(1000).fill(5));
    expect(Array.from((await gpu.read(z)).slice(0, 2))).toEqual([2, 2]);
    expect((await gpu.read(w))[0]).toBe(5);
    for (const b of [x, z, w]) gpu.free(b);
  });

  it("names the async alternative when asked to read synchronously", () => {
    const x = gpu.upload(new Float32Array([1]));
    expect(gpu.syncReadback).toBe(false);
    expect(() => gpu.readSync(x)).toThrow("await x.data()");
    expect(() => gpu.readSync(x)).toThrow("await x.item()");
  });

  it("rejects freed and foreign buffers clearly", async () => {
    const x = gpu.upload(new Float32Array([1, 2]));
    gpu.free(x);
    expect(() => gpu.unary("exp", x)).toThrow("buffer used after free");
    await expect(gpu.read(x)).rejects.toThrow("buffer used after free");
    expect(() => gpu.unary("exp", js.upload(new Float32Array(1)))).toThrow("another backend");
    expect(() => tiled.unary("exp", gpu.upload(new Float32Array(1)))).toThrow("another backend");
  });

  it("refuses a tensor larger than the GPU can bind, naming the limit", () => {
    const limit = gpu.device.limits.maxStorageBufferBindingSize;
    expect(() => gpu.alloc("float32", Math.floor(limit / 4) + 1)).toThrow(
      "maxStorageBufferBindingSize",
    );
  });

  it("folds the grid into 2-D past maxComputeWorkgroupsPerDimension workgroups", async () => {
    const n = gpu.device.limits.maxComputeWorkgroupsPerDimension * 256 + 1000;
    const x = gpu.fill("float32", n, 1.5);
    const y = gpu.binaryScalar("mul", x, 2, false);
    const out = await gpu.read(y);
    expect(out.length).toBe(n);
    expect(out.every((v) => v === 3)).toBe(true); // every workgroup of both grid rows ran
    gpu.free(x);
    gpu.free(y);
  });

  it("reads see every kernel queued before them, across many batches", async () => {
    let x = gpu.upload(new Float32Array([0]));
    for (let i = 0; i < 700; i++) {
      const y = gpu.binaryScalar("add", x, 1, false);
      gpu.free(x);
      x = y;
    }
    expect(Array.from(await gpu.read(x))).toEqual([700]);
  });
});

// ---------------------------------------------------------------- elementwise

describe("webgpu: fill, cast, copy, writeView", () => {
  it("fills like typed-array stores (host and kernel paths)", async () => {
    for (const dtype of ["float32", "int32", "bool"] as const) {
      for (const value of [0, -1.7, 2.5, Number.NaN, 3e9, -Infinity]) {
        for (const n of [0, 5, 5000]) {
          await expectSame(
            gpu.fill(dtype, n, value),
            js.fill(dtype, n, value),
            EXACT,
            `fill ${dtype} ${value}`,
          );
        }
      }
    }
  });

  it("casts between all dtypes", async () => {
    const specials = Float32Array.from([...SPECIALS, 2.9, -2.9, 3e9, -3e9, 16777217]);
    for (const from of ["float32", "int32", "bool"] as const) {
      for (const to of ["float32", "int32", "bool"] as const) {
        const data = from === "float32" ? specials : values(from, 37);
        await same([data], (be, [x]) => be.cast(x, to), EXACT, `${from}->${to}`);
      }
    }
  });

  it("copies random strided and broadcast views", async () => {
    for (let t = 0; t < 30; t++) {
      const dtype = pickOne(["float32", "int32", "bool"] as const);
      const shape = shapeOf(4, 5);
      const { view, bufSize } = randomView(shape);
      await same(
        [values(dtype, bufSize)],
        (be, [x]) => be.copy(x, view),
        EXACT,
        `copy ${JSON.stringify(view)}`,
      );
    }
    await same(
      [values("float32", 4)],
      (be, [x]) => be.copy(x, { shape: [0, 3], strides: [3, 1], offset: 0 }),
      EXACT,
    );
  });

  it("writes into random views in place, converting dtypes", async () => {
    for (let t = 0; t < 30; t++) {
      const shape = shapeOf(3, 5);
      const { view, bufSize } = randomView(shape);
      // A broadcast view writes one element several times: only a one-to-one view is defined.
      const oneToOne = {
        ...view,
        strides: view.strides.map((s, i) => (s === 0 && shape[i] > 1 ? 0 : s)),
      };
      if (oneToOne.strides.some((s, i) => s === 0 && shape[i] > 1)) continue;
      const dstType = pickOne(["float32", "int32", "bool"] as const);
      const srcType = pickOne(["float32", "int32", "bool"] as const);
      const [dg, dj] = both(values(dstType, bufSize));
      const [sg, sj] = both(values(srcType, size(shape), false));
      gpu.writeView(dg, sg, oneToOne);
      js.writeView(dj, sj, oneToOne);
      await expectSame(dg, dj, EXACT, `writeView ${srcType}->${dstType}`);
    }
  });
});

const UNARY: [UnaryOp, number[]][] = [
  ["neg", []],
  ["exp", []],
  ["log", []],
  ["sqrt", []],
  ["rsqrt", []],
  ["abs", []],
  ["sign", []],
  ["tanh", []],
  ["sigmoid", []],
  ["relu", []],
  ["erf", []],
  ["sin", []],
  ["cos", []],
  ["floor", []],
  ["ceil", []],
  ["round", []],
  ["square", []],
  ["reciprocal", []],
  ["logical_not", []],
  ["leaky_relu", [0.01]],
  ["clamp", [-0.5, 2]],
  ["clamp", [Number.NaN, 1]],
  ["clamp", [0, Number.NaN]],
  ["pow_scalar", [2]],
  ["pow_scalar", [3]],
  ["pow_scalar", [0.5]],
  ["pow_scalar", [-1.5]],
  ["pow_scalar", [0]],
  ["gelu", []],
];

/** Ops computed in integer arithmetic on integer tensors. */
const INTEGER_EXACT = new Set<UnaryOp>([
  "neg",
  "abs",
  "sign",
  "relu",
  "floor",
  "ceil",
  "round",
  "square",
  "reciprocal",
  "logical_not",
  "clamp",
  "pow_scalar",
]);

describe("webgpu: unary", () => {
  for (const [op, params] of UNARY) {
    it(`${op}(${params.join(", ")}) on float32, int32 and bool`, async () => {
      // Bigger inputs for ops that overflow or saturate, small ones elsewhere.
      const data = values("float32", 301);
      // The js backend's logical_not follows JavaScript's truthiness (NaN is false); the webgpu
      // backend follows PyTorch (NaN is true), so NaN is left out of that comparison.
      if (op === "logical_not")
        data.forEach((v, i) => {
          if (Number.isNaN(v)) data[i] = 1;
        });
      await same([data], (be, [x]) => be.unary(op, x, params), { rtol: 4e-6, atol: 2e-6 }, op);
      // Float-valued maths on integers is truncated to an integer: float32 rounding may tip a
      // result across an integer boundary that float64 doesn't, so allow 1 there.
      const intTol = INTEGER_EXACT.has(op) ? EXACT : { rtol: 0, atol: 1 };
      await same(
        [values("int32", 50)],
        (be, [x]) => be.unary(op, x, params),
        intTol,
        `${op} int32`,
      );
      await same([values("bool", 20)], (be, [x]) => be.unary(op, x, params), intTol, `${op} bool`);
    });
  }

  it("empty input", async () => {
    await same([new Float32Array(0)], (be, [x]) => be.unary("exp", x));
  });
});

const BINARY: BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "logical_and",
  "logical_or",
  "logical_xor",
];

describe("webgpu: binary, binaryScalar, where", () => {
  for (const op of BINARY) {
    it(`${op} over random broadcast views`, async () => {
      for (let t = 0; t < 6; t++) {
        const dtype = pickOne(["float32", "float32", "int32", "bool"] as const);
        const shape = shapeOf(4, 4);
        const a = randomView(shape);
        const b = randomView(shape);
        // Logical ops: NaN truthiness differs between JavaScript and PyTorch (see unary).
        const noNaN = op.startsWith("logical");
        const da = values(dtype, a.bufSize, !noNaN);
        const db = values(dtype, b.bufSize, !noNaN);
        // Integer pow with large exponents leaves float64's exact range in the js backend.
        if (op === "pow" && dtype === "int32") {
          db.forEach((v, i) => {
            db[i] = Math.abs(v) % 6;
          });
        }
        // pow's error grows with |b * log a| (float32 exp/log); elsewhere results are rounded once.
        const tol = op === "pow" ? { rtol: 3e-5, atol: 1e-6 } : { rtol: 4e-6, atol: 1e-6 };
        await same(
          [da, db],
          (be, [x, y]) => be.binary(op, x, a.view, y, b.view),
          tol,
          `${op} ${dtype}`,
        );
      }
    });
  }

  it("binaryScalar, both orders, integer and fractional scalars", async () => {
    for (const op of BINARY) {
      for (const dtype of ["float32", "int32"] as const) {
        for (const s of [2, -1.5, 0]) {
          for (const first of [false, true]) {
            const data = values(dtype, 40, !op.startsWith("logical"));
            if (op === "pow" && dtype === "int32" && !first) continue; // exponent range, as above
            const tol = op === "pow" ? { rtol: 3e-5, atol: 1e-6 } : { rtol: 4e-6, atol: 1e-6 };
            await same(
              [data],
              (be, [x]) => be.binaryScalar(op, x, s, first),
              tol,
              `${op} ${dtype} ${s} ${first}`,
            );
          }
        }
      }
    }
  });

  it("adamStep, sgdStep and rmspropStep, in place, as the js backend", async () => {
    for (const n of [1, 5, 300]) {
      const param = values("float32", n, false) as Float32Array;
      const grads = [0, 1, 2].map(() => values("float32", n, false) as Float32Array);
      for (const [name, p, amsgrad] of ADAM_CASES) {
        const got = await runAdam(current(), param, grads, p, amsgrad);
        const want = await runAdam(js, param, grads, p, amsgrad);
        got.forEach((a, k) => {
          expectArrays(a, want[k], `${name} [${n}] buffer ${k}`);
        });
      }
      for (const [name, p] of SGD_CASES) {
        const got = await runSgd(current(), param, grads, p);
        const want = await runSgd(js, param, grads, p);
        got.forEach((a, k) => {
          expectArrays(a, want[k], `SGD ${name} [${n}] buffer ${k}`);
        });
      }
      for (const [name, p, centered] of RMSPROP_CASES) {
        const got = await runRmsprop(current(), param, grads, p, centered);
        const want = await runRmsprop(js, param, grads, p, centered);
        got.forEach((a, k) => {
          expectArrays(a, want[k], `RMSprop ${name} [${n}] buffer ${k}`);
        });
      }
    }
  });

  it("where over random broadcast views and condition dtypes", async () => {
    for (let t = 0; t < 20; t++) {
      const shape = shapeOf(4, 4);
      const [c, a, b] = [randomView(shape), randomView(shape), randomView(shape)];
      const condType = pickOne(["bool", "float32", "int32"] as const);
      const dtype = pickOne(["float32", "int32", "bool"] as const);
      await same(
        [values(condType, c.bufSize), values(dtype, a.bufSize), values(dtype, b.bufSize)],
        (be, [x, y, z]) => be.where(x, c.view, y, a.view, z, b.view),
        EXACT,
        "where",
      );
    }
  });
});

// ---------------------------------------------------------------- reductions

describe.each([
  ["adapter's choice"],
  ["hardware kernels"],
])("webgpu: reduce and softmax (%s)", (kernels) => {
  beforeAll(() => {
    active = kernels === "hardware kernels" ? tiled : gpu;
  });
  afterAll(() => {
    active = null;
  });
  const OPS: ReduceOp[] = ["sum", "prod", "max", "min", "argmax", "argmin"];
  const SHAPES: [number, number, number][] = [
    [1, 1, 1],
    [3, 7, 1],
    [5, 300, 1],
    [130, 1500, 1], // a workgroup per row
    [2, 5000, 1], // two passes over long rows
    [1, 70001, 1],
    [4, 9, 3],
    [2, 700, 5], // two passes over columns
    [1, 3000, 2],
    [3, 1, 17],
    [0, 4, 1],
    [2, 0, 3],
    [3, 4, 0],
  ];
  for (const op of OPS) {
    it(`${op} over [outer, size, inner] layouts`, async () => {
      for (const [o, s, i] of SHAPES) {
        if (s === 0 && op !== "sum" && op !== "prod") continue;
        for (const dtype of ["float32", "int32"] as const) {
          const n = o * s * i;
          // Products of many values overflow: keep them near 1. Ties and NaNs test the arg ops.
          const data =
            op === "prod"
              ? Float32Array.from({ length: n }, () => 1 + (rand() - 0.5) * 0.01)
              : dtype === "float32"
                ? Float32Array.from({ length: n }, () =>
                    rand() < 0.001 ? Number.NaN : Math.round(rand() * 50),
                  )
                : values(dtype, n);
          const input =
            dtype === "int32" && op === "prod"
              ? Int32Array.from(data, (v) => (v > 1 ? 1 : -1))
              : data;
          const tol = op === "sum" || op === "prod" ? { rtol: 1e-5, atol: 1e-3 } : EXACT;
          await same(
            [input],
            (be, [x]) => be.reduce(op, x, o, s, i),
            tol,
            `${op} ${dtype} [${o},${s},${i}]`,
          );
        }
      }
    });
  }

  it("rejects max of an empty dimension as the js backend does", () => {
    const x = gpu.upload(new Float32Array(0));
    expect(() => gpu.reduce("max", x, 2, 0, 1)).toThrow("no identity");
  });

  it("softmax and log-softmax, rows and columns, with -inf and NaN rows", async () => {
    for (const [o, s, i] of [
      [3, 10, 1],
      [2, 1000, 1],
      [3, 3000, 1], // a workgroup per row
      [4, 7, 3],
      [1, 1, 1],
      [0, 5, 1],
      [2, 300, 4],
    ] as const) {
      for (const log of [false, true]) {
        const data = Float32Array.from({ length: o * s * i }, () => (rand() - 0.5) * 20);
        await same(
          [data],
          (be, [x]) => be.softmax(x, o, s, i, log),
          { rtol: 1e-5, atol: 1e-6 },
          `softmax ${o},${s},${i}`,
        );
      }
    }
    const special = Float32Array.from([-Infinity, 0, 1, Number.NaN, 2, 3, -Infinity, -Infinity]);
    await same([special], (be, [x]) => be.softmax(x, 4, 2, 1, false), { rtol: 1e-6, atol: 1e-7 });
    await same([special], (be, [x]) => be.softmax(x, 4, 2, 1, true), { rtol: 1e-6, atol: 1e-7 });
  });
});

// ---------------------------------------------------------------- matmul

describe.each([["adapter's choice"], ["hardware kernels"]])("webgpu: matmul (%s)", (kernels) => {
  beforeAll(() => {
    active = kernels === "hardware kernels" ? tiled : gpu;
  });
  afterAll(() => {
    active = null;
  });
  it("matches on random shapes, storage orders and batch strides", async () => {
    const dims = [1, 2, 3, 15, 16, 17, 31, 33, 64, 65, 100];
    for (let t = 0; t < 40; t++) {
      const [m, k, n] = [pickOne(dims), pickOne(dims), pickOne(dims)];
      const batch = pickOne([1, 1, 2, 3]);
      const transA = rand() < 0.5;
      const transB = rand() < 0.5;
      const aBatchStride = batch > 1 && rand() < 0.3 ? 0 : m * k;
      const bBatchStride = batch > 1 && rand() < 0.3 ? 0 : k * n;
      const p: MatmulParams = { batch, m, k, n, aBatchStride, bBatchStride, transA, transB };
      const a = values("float32", Math.max(1, (batch - 1) * aBatchStride + m * k), false);
      const b = values("float32", Math.max(1, (batch - 1) * bBatchStride + k * n), false);
      await same(
        [a, b],
        (be, [x, y]) => be.matmul(x, y, p),
        { rtol: 1e-5, atol: 2e-5 * Math.sqrt(k) },
        JSON.stringify(p),
      );
    }
  });

  it("handles k = 0, empty outputs and int32", async () => {
    const base = { aBatchStride: 0, bBatchStride: 0, transA: false, transB: false };
    const e = new Float32Array(0);
    await same(
      [e, e],
      (be, [x, y]) => be.matmul(x, y, { ...base, batch: 1, m: 3, k: 0, n: 2 }),
      EXACT,
    );
    await same(
      [e, values("float32", 6)],
      (be, [x, y]) => be.matmul(x, y, { ...base, batch: 1, m: 0, k: 3, n: 2 }),
      EXACT,
    );
    const ints = { ...base, batch: 2, m: 5, k: 7, n: 3, aBatchStride: 35, bBatchStride: 21 };
    await same(
      [values("int32", 70), values("int32", 42)],
      (be, [x, y]) => be.matmul(x, y, ints),
      EXACT,
    );
  });
});

// ---------------------------------------------------------------- indexing

describe("webgpu: gather, scatterAdd, indexSelect, indexAdd", () => {
  const shapes: [number, number, number, number][] = [
    [1, 5, 3, 1],
    [4, 10, 1, 1],
    [3, 7, 9, 2],
    [2, 1, 4, 5],
    [0, 3, 2, 2],
    [2, 3, 0, 2],
  ];

  it("gather and its adjoint scatterAdd", async () => {
    for (const [outer, size, indexSize, inner] of shapes) {
      for (const dtype of ["float32", "int32"] as const) {
        const index = Int32Array.from({ length: outer * indexSize * inner }, () =>
          int(0, size - 1),
        );
        const x = values(dtype, outer * size * inner, false);
        await same(
          [x, index],
          (be, [a, i]) => be.gather(a, i, outer, size, indexSize, inner),
          EXACT,
          "gather",
        );
        const src = values(dtype, outer * indexSize * inner, false);
        await same(
          [src, index],
          (be, [s, i]) => be.scatterAdd(s, i, outer, size, indexSize, inner),
          { rtol: 1e-6, atol: 1e-6 },
          "scatterAdd",
        );
      }
    }
  });

  it("an out-of-range index fails the next read, naming the op, then clears", async () => {
    const x = gpu.upload(new Float32Array([1, 2, 3]));
    const bad = gpu.upload(new Int32Array([0, 3]));
    gpu.gather(x, bad, 1, 3, 2, 1);
    gpu.indexAdd(x, gpu.upload(new Int32Array([0, -1, 1])), 1, 2, 1);
    await expect(gpu.read(x)).rejects.toThrow(/gather, indexAdd: an index was out of range/);
    expect(Array.from(await gpu.read(x))).toEqual([1, 2, 3]); // reported once
  });

  it("indexSelect and its adjoint indexAdd (repeated indices accumulate)", async () => {
    for (const [outer, size, len, inner] of shapes) {
      const index = Int32Array.from({ length: len }, () => int(0, size - 1));
      const x = values("float32", outer * size * inner, false);
      await same(
        [x, index],
        (be, [a, i]) => be.indexSelect(a, i, outer, size, inner),
        EXACT,
        "indexSelect",
      );
      const src = values("float32", outer * len * inner, false);
      await same(
        [src, index],
        (be, [s, i]) => be.indexAdd(s, i, outer, size, inner),
        { rtol: 1e-6, atol: 1e-6 },
        "indexAdd",
      );
    }
  });
});

// ---------------------------------------------------------------- convolution helpers

describe("webgpu: im2col and col2im", () => {
  it("match on random geometries", async () => {
    for (let t = 0; t < 15; t++) {
      const g: Conv2dGeometry = {
        n: int(1, 2),
        c: int(1, 3),
        h: int(1, 9),
        w: int(1, 9),
        kh: int(1, 3),
        kw: int(1, 3),
        strideH: int(1, 2),
        strideW: int(1, 3),
        padH: int(0, 2),
        padW: int(0, 1),
        dilationH: int(1, 2),
        dilationW: int(1, 2),
        padValue: pickOne([0, -Infinity]),
      };
      const [oh, ow] = convOutputSize(g);
      if (oh <= 0 || ow <= 0) continue;
      const x = values("float32", g.n * g.c * g.h * g.w, false);
      await same([x], (be, [a]) => be.im2col(a, g), EXACT, `im2col ${JSON.stringify(g)}`);
      const cols = values("float32", g.n * g.c * g.kh * g.kw * oh * ow, false);
      await same(
        [cols],
        (be, [a]) => be.col2im(a, g),
        { rtol: 1e-6, atol: 1e-6 },
        `col2im ${JSON.stringify(g)}`,
      );
    }
  });
});

// ---------------------------------------------------------------- random

describe("webgpu: random (Philox)", () => {
  it("uniform is bit-identical to the js backend, across the 2^32 counter boundary", async () => {
    for (const [n, key, offset] of [
      [1000, [0, 0], 0],
      [777, [123456789, 987654321], 12345],
      [300, [42, 0], 2 ** 32 - 100],
      [0, [1, 1], 5],
    ] as const) {
      await expectSame(
        gpu.random("uniform", n, key, offset),
        js.random("uniform", n, key, offset),
        EXACT,
        "uniform",
      );
    }
  });

  it("normal matches to float32 precision", async () => {
    const n = 20000;
    await expectSame(
      gpu.random("normal", n, [5, 6], 99),
      js.random("normal", n, [5, 6], 99),
      { rtol: 2e-6, atol: 2e-6 },
      "normal",
    );
  });
});

// ---------------------------------------------------------------- failures

describe("webgpu: device loss", () => {
  it("a lost device gives a clear error on the next read and kernel, not a hang", async () => {
    const be = await nodeWebGpu({ fresh: true });
    const x = be.upload(new Float32Array([1, 2, 3]));
    const y = be.unary("exp", x);
    be.device.destroy(); // what a driver reset or a closed tab looks like to the backend
    await expect(be.read(y)).rejects.toThrow(/webgpu: .*(lost|destroyed)/);
    expect(() => be.unary("exp", x)).toThrow(/webgpu: .*(lost|destroyed)/);
  });
});

// ---------------------------------------------------------------- fusion

describe("webgpu: fused elementwise chains", () => {
  it("a chain of elementwise ops runs as one kernel, and dropped intermediates never run", async () => {
    const [xg, xj] = both(values("float32", 1000, false));
    const chain = (be: Backend, x: BackendBuffer, free: boolean) => {
      const a = be.unary("neg", x);
      const b = be.binaryScalar("mul", a, 3, false);
      const c = be.unary("tanh", b);
      const d = be.binary("add", c, { shape: [1000], strides: [1], offset: 0 }, x, {
        shape: [1000],
        strides: [1],
        offset: 0,
      });
      if (free) for (const t of [a, b, c]) be.free(t);
      return d;
    };
    const before = gpu.info().dispatches;
    const d = chain(gpu, xg, true);
    await expectSame(d, chain(js, xj, false), F32, "chain");
    expect(gpu.info().dispatches - before).toBe(1);
  });

  it("random programs of elementwise ops, views, in-place writes and frees match js", async () => {
    const r = rng(99);
    const UN: UnaryOp[] = [
      "neg",
      "abs",
      "sigmoid",
      "tanh",
      "relu",
      "sin",
      "cos",
      "floor",
      "square",
    ];
    const BIN: BinaryOp[] = ["add", "sub", "mul", "maximum", "minimum", "gt", "eq"];
    for (let trial = 0; trial < 12; trial++) {
      const shape = [1 + Math.floor(r() * 5), 1 + Math.floor(r() * 6)];
      const n = size(shape);
      const full: View = { shape, strides: [shape[1], 1], offset: 0 };
      const rowBroadcast: View = { shape, strides: [0, 1], offset: 0 };
      const live: [BackendBuffer, BackendBuffer][] = [];
      for (let k = 0; k < 3; k++)
        live.push(both(Float32Array.from({ length: n }, () => r() * 4 - 2)));
      const row = both(Float32Array.from({ length: shape[1] }, () => r() * 4 - 2));
      const pick = () => live[Math.floor(r() * live.length)];
      for (let step = 0; step < 30; step++) {
        const [ag, aj] = pick();
        const [bg, bj] = pick();
        const kind = r();
        let next: [BackendBuffer, BackendBuffer] | null = null;
        if (kind < 0.3) {
          const op = UN[Math.floor(r() * UN.length)];
          next = [gpu.unary(op, ag), js.unary(op, aj)];
        } else if (kind < 0.55) {
          const op = BIN[Math.floor(r() * BIN.length)];
          const bcast = r() < 0.3;
          const [yg, yj] = bcast ? row : [bg, bj];
          const yv = bcast ? rowBroadcast : full;
          const out: [BackendBuffer, BackendBuffer] = [
            gpu.binary(op, ag, full, yg, yv),
            js.binary(op, aj, full, yj, yv),
          ];
          next =
            out[0].dtype === "bool"
              ? [gpu.cast(out[0], "float32"), js.cast(out[1], "float32")]
              : out;
        } else if (kind < 0.65) {
          const s = Math.round(r() * 6 - 3) / 2;
          next = [gpu.binaryScalar("mul", ag, s, false), js.binaryScalar("mul", aj, s, false)];
        } else if (kind < 0.72) {
          // A transposed copy reads its input through a strided view: no inlining.
          const t: View = { shape: [shape[1], shape[0]], strides: [1, shape[1]], offset: 0 };
          const back: View = { shape, strides: [1, shape[0]], offset: 0 };
          const [tg, tj] = [gpu.copy(ag, t), js.copy(aj, t)];
          next = [gpu.copy(tg, back), js.copy(tj, back)];
        } else if (kind < 0.8) {
          // Overwrite the first row of b in place: whatever reads b's old values must see them.
          const rowView: View = { shape: [shape[1]], strides: [1], offset: 0 };
          const [sg, sj] = [gpu.copy(ag, rowView), js.copy(aj, rowView)];
          gpu.writeView(bg, sg, rowView);
          js.writeView(bj, sj, rowView);
        } else if (kind < 0.9 && live.length > 2) {
          const k = Math.floor(r() * live.length);
          const [fg, fj] = live.splice(k, 1)[0];
          gpu.free(fg);
          js.free(fj);
        } else {
          await expectSame(ag, aj, { rtol: 1e-5, atol: 1e-5 }, `trial ${trial} step ${step}`);
        }
        if (next) live.push(next);
      }
      for (const [g, j] of live)
        await expectSame(g, j, { rtol: 1e-5, atol: 1e-5 }, `trial ${trial} end`);
    }
  });

  it("long chains and many inputs split into several kernels within the binding limit", async () => {
    const inputs = Array.from({ length: 10 }, (_, k) =>
      both(Float32Array.from({ length: 64 }, (_v, i) => Math.sin(i + k))),
    );
    const v: View = { shape: [64], strides: [1], offset: 0 };
    let [g, j] = inputs[0];
    for (let k = 1; k < inputs.length; k++) {
      g = gpu.binary("add", g, v, inputs[k][0], v);
      j = js.binary("add", j, v, inputs[k][1], v);
      for (let s = 0; s < 4; s++) {
        g = gpu.unary("tanh", g);
        j = js.unary("tanh", j);
      }
    }
    await expectSame(g, j, { rtol: 1e-5, atol: 1e-6 }, "long chain");
  });
});

describe("webgpu: fusion keeps freed inputs alive while needed", () => {
  it("a buffer read through two views, freed before the expression runs", async () => {
    const [xg, xj] = both(Float32Array.from({ length: 6 }, (_v, i) => i));
    const v1: View = { shape: [2, 3], strides: [3, 1], offset: 0 };
    const v2: View = { shape: [2, 3], strides: [1, 2], offset: 0 };
    const g = gpu.binary("add", xg, v1, xg, v2);
    const j = js.binary("add", xj, v1, xj, v2);
    gpu.free(xg);
    await expectSame(g, j, EXACT, "two views");
  });
});
