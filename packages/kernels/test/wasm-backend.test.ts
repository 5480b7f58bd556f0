/**
 * Every kernel of the wasm backend against the js backend (the oracle), on random shapes
 * including odd and empty ones, strided and broadcast views, every dtype, and special values;
 * once single-threaded, once on two threads (shared memory), once single-threaded on shared
 * memory.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BinaryOp,
  type Conv2dGeometry,
  contiguousStrides,
  convOutputSize,
  createWasmBackend,
  type DType,
  type MatmulParams,
  type ReduceOp,
  sizeOf,
  type UnaryOp,
  type View,
  type WasmBackend,
  type WasmBackendOptions,
} from "../src/index.js";
import {
  ADAM_CASES,
  RMSPROP_CASES,
  runAdam,
  runRmsprop,
  runSgd,
  SGD_CASES,
} from "./optim-cases.js";
import {
  expectMatch,
  expectSame,
  js,
  randInt,
  randomData,
  randomShape,
  randomView,
  rng,
} from "./wasm-oracle.js";

const UNARY: UnaryOp[] = [
  "neg",
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "abs",
  "sign",
  "tanh",
  "sigmoid",
  "relu",
  "erf",
  "sin",
  "cos",
  "floor",
  "ceil",
  "round",
  "square",
  "reciprocal",
  "logical_not",
  "leaky_relu",
  "clamp",
  "pow_scalar",
  "gelu",
];
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
const REDUCE: ReduceOp[] = ["sum", "prod", "max", "min", "argmax", "argmin"];
const DTYPES: DType[] = ["float32", "int32", "bool"];

const CONFIGS: [string, WasmBackendOptions][] = [
  ["one thread", {}],
  ["two threads", { threads: 2 }],
  ["one thread on shared memory", { sharedMemory: true }],
];

function contiguous(shape: number[], offset = 0): View {
  return { shape, strides: contiguousStrides(shape), offset };
}

describe.each(CONFIGS)("wasm backend (%s)", (_name, options) => {
  let w: WasmBackend;
  beforeAll(async () => {
    w = await createWasmBackend(options);
  });
  afterAll(() => w.dispose());

  it("uses the threads it was asked for", () => {
    expect(w.threads).toBe(options.threads ?? 1);
  });

  describe("fill, cast, copy, writeView", () => {
    it("fills every dtype (bool stores nonzero as 1, int32 truncates)", () => {
      for (const dtype of DTYPES) {
        for (const [size, value] of [
          [0, 1],
          [1, 2.7],
          [7, -3.5],
          [33, Number.NaN],
          [5, 1e10],
        ]) {
          expectSame(w, (b) => b.fill(dtype, size, value), [], `fill ${dtype} ${size} ${value}`);
        }
      }
    });

    it("casts between every pair of dtypes", () => {
      const rand = rng(1);
      for (const from of DTYPES) {
        for (const to of DTYPES) {
          for (const n of [0, 1, 5, 17]) {
            const data = randomData(from, n, rand, true);
            if (from === "float32" && n > 3) data[2] = 3e9; // wraps like Int32Array
            expectSame(w, (b, [x]) => b.cast(x, to), [data], `cast ${from} -> ${to}`);
          }
        }
      }
    });

    it("copies random strided, sliced and broadcast views", () => {
      const rand = rng(2);
      for (let t = 0; t < 150; t++) {
        const dtype = DTYPES[t % 3];
        const shape = randomShape(rand);
        const { view, size } = randomView(shape, rand);
        const data = randomData(dtype, size, rand);
        expectSame(
          w,
          (b, [x]) => b.copy(x, view),
          [data],
          `copy ${dtype} [${shape}] ${JSON.stringify(view)}`,
        );
      }
    });

    it("writes into random strided views in place, converting dtypes", () => {
      const rand = rng(3);
      for (let t = 0; t < 120; t++) {
        const ddt = DTYPES[t % 3];
        const sdt = t % 4 === 0 ? DTYPES[randInt(0, 2, rand)] : ddt;
        const shape = randomShape(rand);
        const { view, size } = randomView(shape, rand);
        // Writes through a broadcast view would race on one element; the engine never does that.
        const writable: View = {
          ...view,
          strides: view.strides.map((s, d) => (s === 0 && shape[d] > 1 ? 0 : s)),
        };
        if (writable.strides.some((s, d) => s === 0 && shape[d] > 1)) continue;
        const dst = randomData(ddt, size, rand);
        const src = randomData(sdt, sizeOf(shape), rand, true);
        expectSame(
          w,
          (b, [d, s]) => {
            b.writeView(d, s, writable);
            return d;
          },
          [dst, src],
          `writeView ${sdt} -> ${ddt} [${shape}]`,
        );
      }
    });
  });

  describe("elementwise", () => {
    it("applies every unary op to every dtype, special values included", () => {
      const rand = rng(4);
      for (const op of UNARY) {
        for (const dtype of DTYPES) {
          for (const n of [0, 1, 3, 4, 13, 64]) {
            const data = randomData(dtype, n, rand, true);
            const params =
              op === "leaky_relu"
                ? [0.1]
                : op === "clamp"
                  ? [-0.5, Number.NaN]
                  : op === "pow_scalar"
                    ? [[2, 0.5, 3, -1.5][n % 4]]
                    : [];
            expectSame(w, (b, [x]) => b.unary(op, x, params), [data], `${op} ${dtype} n=${n}`);
          }
        }
      }
      expectSame(
        w,
        (b, [x]) => b.unary("clamp", x, [Number.NaN, 0.25]),
        [randomData("float32", 9, rand, true)],
        "clamp max only",
      );
    });

    it("is accurate over the whole range of exp, log, tanh and sigmoid", () => {
      const xs = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 20); // -100 .. 100
      for (const op of ["exp", "tanh", "sigmoid"] as UnaryOp[]) {
        expectSame(w, (b, [x]) => b.unary(op, x), [xs], op, { rtol: 2e-6, atol: 1e-30 });
      }
      const pos = Float32Array.from({ length: 4001 }, (_, i) => 1.1 ** (i / 10 - 200)); // 1e-8 .. 1e8
      expectSame(w, (b, [x]) => b.unary("log", x), [pos], "log", { rtol: 2e-6, atol: 1e-7 });
      const tiny = new Float32Array([
        1e-40,
        1e-45,
        0,
        -0,
        -1,
        Number.POSITIVE_INFINITY,
        1.17549435e-38,
      ]);
      expectSame(w, (b, [x]) => b.unary("log", x), [tiny], "log of subnormals and specials", {
        rtol: 1e-6,
        atol: 0,
      });
    });

    it("applies every binary op through random broadcast and strided views", () => {
      const rand = rng(5);
      for (let t = 0; t < 400; t++) {
        const op = BINARY[t % BINARY.length];
        const dtype = DTYPES[Math.floor(t / BINARY.length) % 3];
        const shape = randomShape(rand, 4, t % 7 === 0 ? 40 : 7);
        const a = randomView(shape, rand);
        const bv = randomView(shape, rand);
        const da = randomData(dtype, a.size, rand, true);
        const db = randomData(dtype, bv.size, rand, true);
        expectSame(
          w,
          (b, [x, y]) => b.binary(op, x, a.view, y, bv.view),
          [da, db],
          `${op} ${dtype} [${shape}]`,
        );
      }
    });

    it("runs contiguous, row-broadcast and scalar layouts of every op", () => {
      const rand = rng(6);
      for (const op of BINARY) {
        for (const [m, n] of [
          [1, 1],
          [3, 5],
          [64, 128],
          [7, 33],
        ]) {
          const x = randomData("float32", m * n, rand, true);
          const row = randomData("float32", n, rand, true);
          const full = contiguous([m, n]);
          const rowView: View = { shape: [m, n], strides: [0, 1], offset: 0 };
          const colView: View = { shape: [m, n], strides: [1, 0], offset: 0 };
          expectSame(
            w,
            (b, [p, q]) => b.binary(op, p, full, q, full),
            [x, x.map((v) => v * 0.5)],
            `${op} contiguous`,
          );
          expectSame(
            w,
            (b, [p, q]) => b.binary(op, p, full, q, rowView),
            [x, row],
            `${op} row broadcast`,
          );
          expectSame(
            w,
            (b, [p, q]) => b.binary(op, q, colView, p, full),
            [x, randomData("float32", m, rand)],
            `${op} column broadcast`,
          );
          for (const first of [false, true]) {
            expectSame(
              w,
              (b, [p]) => b.binaryScalar(op, p, 0.5, first),
              [x],
              `${op} scalar first=${first}`,
            );
          }
        }
      }
    });

    it("rejects views that leave the buffer, disagree in shape or mix dtypes", () => {
      const a = w.upload(new Float32Array(4));
      const b = w.upload(new Float32Array(6));
      expect(() => w.binary("add", a, contiguous([2, 2]), b, contiguous([2, 3]))).toThrow(
        /view shapes differ/,
      );
      expect(() => w.binary("add", a, contiguous([5]), b, contiguous([5]))).toThrow(RangeError);
      const i = w.upload(new Int32Array(4));
      expect(() => w.binary("add", a, contiguous([4]), i, contiguous([4]))).toThrow(/one dtype/);
    });

    it("selects with where through broadcast views; any nonzero condition is true", () => {
      const rand = rng(7);
      for (let t = 0; t < 150; t++) {
        const dtype = DTYPES[t % 3];
        const shape = randomShape(rand);
        const c = randomView(shape, rand);
        const a = randomView(shape, rand);
        const bv = randomView(shape, rand);
        const cd = randomData(t % 5 === 0 ? "float32" : "bool", c.size, rand, true);
        if (cd instanceof Uint8Array && cd.length > 1) cd[0] = 7;
        const da = randomData(dtype, a.size, rand, true);
        const db = randomData(dtype, bv.size, rand, true);
        expectSame(
          w,
          (b, [p, q, r]) => b.where(p, c.view, q, a.view, r, bv.view),
          [cd, da, db],
          `where ${dtype} [${shape}]`,
        );
      }
    });
  });

  describe("reductions", () => {
    it("reduces every op and dtype over random [outer, size, inner], NaN included", () => {
      const rand = rng(8);
      for (let t = 0; t < 240; t++) {
        const op = REDUCE[t % REDUCE.length];
        const dtype = DTYPES[Math.floor(t / REDUCE.length) % 3];
        const outer = randInt(0, 5, rand);
        const size = randInt(op === "sum" || op === "prod" ? 0 : 1, 9, rand);
        const inner = [1, 1, 2, 5, 8, 1030][randInt(0, 5, rand)];
        const data = randomData(dtype, outer * size * inner, rand, t % 3 === 0);
        expectSame(
          w,
          (b, [x]) => b.reduce(op, x, outer, size, inner),
          [data],
          `${op} ${dtype} [${outer}, ${size}, ${inner}]`,
        );
      }
      expect(() => w.reduce("max", w.upload(new Float32Array(0)), 2, 0, 3)).toThrow(/no identity/);
    });

    it("sums 1e5 elements as accurately as float64 accumulation", () => {
      const rand = rng(9);
      const data = Float32Array.from({ length: 100_003 }, () => rand() + 1e-3);
      for (const [outer, size, inner] of [
        [1, 100_003, 1],
        [1, 1, 100_003],
        [3, 33_334, 1],
      ] as const) {
        const n = outer * size * inner;
        expectSame(
          w,
          (b, [x]) => b.reduce("sum", x, outer, size, inner),
          [data.subarray(0, n)],
          `sum of ${n}`,
          { rtol: 1e-7, atol: 0 },
        );
      }
    });

    it("computes softmax and log-softmax along every axis, stably", () => {
      const rand = rng(10);
      for (let t = 0; t < 120; t++) {
        const outer = randInt(0, 4, rand);
        const size = randInt(0, 13, rand);
        const inner = [1, 1, 3, 8, 1027][randInt(0, 4, rand)];
        const data = randomData("float32", outer * size * inner, rand, t % 4 === 0);
        if (t % 5 === 0) for (let i = 0; i < data.length; i++) data[i] *= 300; // large logits
        for (const log of [false, true]) {
          expectSame(
            w,
            (b, [x]) => b.softmax(x, outer, size, inner, log),
            [data],
            `softmax log=${log} [${outer}, ${size}, ${inner}]`,
          );
        }
      }
      const masked = new Float32Array([
        0,
        Number.NEGATIVE_INFINITY,
        1,
        Number.NEGATIVE_INFINITY,
        2,
      ]);
      expectSame(
        w,
        (b, [x]) => b.softmax(x, 1, 5, 1, false),
        [masked],
        "softmax with -inf entries",
      );
    });
  });

  describe("matmul", () => {
    function checkMatmul(p: MatmulParams, rand: () => number): void {
      const aSize = p.batch === 0 ? 0 : (p.batch - 1) * p.aBatchStride + p.m * p.k;
      const bSize = p.batch === 0 ? 0 : (p.batch - 1) * p.bBatchStride + p.k * p.n;
      const a = randomData("float32", aSize, rand);
      const b = randomData("float32", bSize, rand);
      // float32 accumulation in blocks vs float64: relative to the size of the terms.
      const tol = { rtol: 1e-4, atol: 2e-5 * Math.sqrt(Math.max(p.k, 1)) };
      expectSame(w, (be, [x, y]) => be.matmul(x, y, p), [a, b], `matmul ${JSON.stringify(p)}`, tol);
    }

    it("matches for odd sizes, every transpose, and batches with shared operands", () => {
      const rand = rng(11);
      for (let t = 0; t < 120; t++) {
        const m = randInt(0, 13, rand);
        const k = randInt(0, 19, rand);
        const n = randInt(0, 21, rand);
        const batch = randInt(0, 3, rand);
        const shareA = rand() < 0.25;
        const shareB = rand() < 0.25;
        checkMatmul(
          {
            batch,
            m,
            k,
            n,
            aBatchStride: shareA ? 0 : m * k,
            bBatchStride: shareB ? 0 : k * n,
            transA: rand() < 0.5,
            transB: rand() < 0.5,
          },
          rand,
        );
      }
    });

    it("matches across cache blocks (k > 512, n > 512) and edge tiles", () => {
      const rand = rng(12);
      for (const [m, k, n] of [
        [67, 601, 530],
        [5, 1030, 9],
        [130, 3, 1025],
        [64, 784, 128],
        [1, 300, 1],
      ]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            checkMatmul(
              { batch: 1, m, k, n, aBatchStride: 0, bBatchStride: 0, transA, transB },
              rand,
            );
          }
        }
      }
      checkMatmul(
        {
          batch: 3,
          m: 40,
          k: 70,
          n: 90,
          aBatchStride: 2800,
          bBatchStride: 0,
          transA: false,
          transB: true,
        },
        rand,
      );
      checkMatmul(
        {
          batch: 4,
          m: 33,
          k: 65,
          n: 17,
          aBatchStride: 0,
          bBatchStride: 65 * 17,
          transA: true,
          transB: false,
        },
        rand,
      );
    });

    it("gives zeros when k is 0 and rejects short buffers", () => {
      const p: MatmulParams = {
        batch: 2,
        m: 3,
        k: 0,
        n: 4,
        aBatchStride: 0,
        bBatchStride: 0,
        transA: false,
        transB: false,
      };
      expectSame(
        w,
        (b, [x, y]) => b.matmul(x, y, p),
        [new Float32Array(0), new Float32Array(0)],
        "k = 0",
      );
      const q: MatmulParams = { ...p, k: 2, aBatchStride: 6, bBatchStride: 8 };
      expectSame(
        w,
        (b, [x, y]) => b.matmul(x, y, q),
        [new Float32Array(6), new Float32Array(16)],
        "short A",
      );
    });
  });

  describe("indexing", () => {
    it("gathers and scatter-adds along random axes, every dtype", () => {
      const rand = rng(13);
      for (let t = 0; t < 90; t++) {
        const dtype = DTYPES[t % 3];
        const outer = randInt(0, 4, rand);
        const xSize = randInt(1, 6, rand);
        const indexSize = randInt(0, 7, rand);
        const inner = randInt(1, 5, rand);
        const n = outer * indexSize * inner;
        const index = Int32Array.from({ length: n }, () => randInt(0, xSize - 1, rand));
        const x = randomData(dtype, outer * xSize * inner, rand);
        const src = randomData(dtype, n, rand);
        expectSame(
          w,
          (b, [p, i]) => b.gather(p, i, outer, xSize, indexSize, inner),
          [x, index],
          `gather ${dtype}`,
        );
        expectSame(
          w,
          (b, [s, i]) => b.scatterAdd(s, i, outer, xSize, indexSize, inner),
          [src, index],
          `scatterAdd ${dtype}`,
        );
      }
    });

    it("selects and adds whole slices, every dtype", () => {
      const rand = rng(14);
      for (let t = 0; t < 60; t++) {
        const dtype = DTYPES[t % 3];
        const outer = randInt(0, 3, rand);
        const size = randInt(1, 6, rand);
        const inner = randInt(1, 9, rand);
        const len = randInt(0, 8, rand);
        const index = Int32Array.from({ length: len }, () => randInt(0, size - 1, rand));
        const x = randomData(dtype, outer * size * inner, rand);
        const src = randomData(dtype, outer * len * inner, rand);
        expectSame(
          w,
          (b, [p, i]) => b.indexSelect(p, i, outer, size, inner),
          [x, index],
          `indexSelect ${dtype}`,
        );
        expectSame(
          w,
          (b, [s, i]) => b.indexAdd(s, i, outer, size, inner),
          [src, index],
          `indexAdd ${dtype}`,
        );
      }
    });

    it("throws the js backend's RangeError for an index out of range", () => {
      const x = new Float32Array(6);
      const bad = new Int32Array([0, 3, 1]);
      expectSame(w, (b, [p, i]) => b.gather(p, i, 1, 3, 3, 1), [x, bad], "gather out of range");
      expectSame(
        w,
        (b, [p, i]) => b.indexSelect(p, i, 2, 3, 1),
        [x, new Int32Array([-1])],
        "indexSelect negative",
      );
      expectSame(
        w,
        (b, [s, i]) => b.indexAdd(s, i, 1, 2, 3),
        [x, new Int32Array([0, 2])],
        "indexAdd out of range",
      );
      expect(() => w.gather(w.upload(x), w.upload(new Float32Array(3)), 1, 3, 3, 1)).toThrow(
        /must be int32/,
      );
    });
  });

  describe("im2col and col2im", () => {
    const geometries: Omit<Conv2dGeometry, "padValue">[] = [
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
      },
      {
        n: 1,
        c: 2,
        h: 7,
        w: 7,
        kh: 3,
        kw: 2,
        strideH: 2,
        strideW: 3,
        padH: 0,
        padW: 2,
        dilationH: 1,
        dilationW: 1,
      },
      {
        n: 3,
        c: 1,
        h: 9,
        w: 8,
        kh: 2,
        kw: 3,
        strideH: 1,
        strideW: 1,
        padH: 2,
        padW: 0,
        dilationH: 2,
        dilationW: 3,
      },
      {
        n: 1,
        c: 4,
        h: 4,
        w: 4,
        kh: 4,
        kw: 4,
        strideH: 4,
        strideW: 4,
        padH: 0,
        padW: 0,
        dilationH: 1,
        dilationW: 1,
      },
      {
        n: 2,
        c: 2,
        h: 3,
        w: 3,
        kh: 1,
        kw: 1,
        strideH: 1,
        strideW: 1,
        padH: 3,
        padW: 3,
        dilationH: 1,
        dilationW: 1,
      },
      {
        n: 0,
        c: 2,
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
      },
    ];
    it.each(
      geometries.map((g, i) => [i, g] as const),
    )("matches for geometry %i (zero and -inf padding)", (_i, geo) => {
      const rand = rng(15);
      for (const padValue of [0, Number.NEGATIVE_INFINITY]) {
        const g = { ...geo, padValue };
        const [oh, ow] = convOutputSize(g);
        const x = randomData("float32", g.n * g.c * g.h * g.w, rand);
        const cols = randomData("float32", g.n * g.c * g.kh * g.kw * oh * ow, rand);
        expectSame(w, (b, [p]) => b.im2col(p, g), [x], "im2col");
        expectSame(w, (b, [p]) => b.col2im(p, g), [cols], "col2im");
      }
    });
  });

  describe("random", () => {
    it("draws the js backend's uniform stream bit for bit, normals to float precision", () => {
      for (const [size, key, offset] of [
        [0, [1, 2], 0],
        [1, [0, 0], 0],
        [37, [123, 456], 7],
        [1000, [0xffffffff, 0x12345678], 2 ** 32 - 5], // the counter's low word wraps
        [64, [9, 9], 2 ** 40 + 3],
      ] as [number, [number, number], number][]) {
        const u = w.readSync(w.random("uniform", size, key, offset));
        expect(Array.from(u)).toEqual(
          Array.from(js.readSync(js.random("uniform", size, key, offset))),
        );
        const n = w.readSync(w.random("normal", size, key, offset));
        expectMatch(n, js.readSync(js.random("normal", size, key, offset)), "normal", {
          rtol: 1e-6,
          atol: 1e-6,
        });
      }
      expect(() => w.random("uniform", 3, [1, 1], -1)).toThrow(RangeError);
    });
  });

  describe("binaryScalar and fused optimizer updates", () => {
    const rand = rng(17);
    const EXACT = { rtol: 0, atol: 0 };

    it("binaryScalar matches the js backend bit for bit, with exact and inexact scalars", () => {
      for (const op of BINARY) {
        for (const dtype of DTYPES) {
          for (const s of [2, -1.5, 0, 0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
            for (const first of [false, true]) {
              const data = randomData(dtype, randInt(0, 41, rand), rand, true);
              if (op === "pow" && dtype !== "float32") continue; // float64 range, as binary's
              expectSame(
                w,
                (b, [x]) => b.binaryScalar(op, x, s, first),
                [data],
                `${op} ${dtype} ${s} ${first}`,
                EXACT,
              );
            }
          }
        }
      }
    });

    it("adamStep, sgdStep and rmspropStep match the js backend bit for bit", async () => {
      for (const n of [1, 7, 64, 1001, 200_003]) {
        const param = randomData("float32", n, rand) as Float32Array;
        const grads = [0, 1, 2].map(() => randomData("float32", n, rand) as Float32Array);
        for (const [name, p, amsgrad] of ADAM_CASES) {
          const got = await runAdam(w, param, grads, p, amsgrad);
          const want = await runAdam(js, param, grads, p, amsgrad);
          got.forEach((a, k) => {
            expectMatch(a, want[k], `${name} [${n}] buffer ${k}`, EXACT);
          });
        }
        for (const [name, p] of SGD_CASES) {
          const got = await runSgd(w, param, grads, p);
          const want = await runSgd(js, param, grads, p);
          got.forEach((a, k) => {
            expectMatch(a, want[k], `SGD ${name} [${n}] buffer ${k}`, EXACT);
          });
        }
        for (const [name, p, centered] of RMSPROP_CASES) {
          const got = await runRmsprop(w, param, grads, p, centered);
          const want = await runRmsprop(js, param, grads, p, centered);
          got.forEach((a, k) => {
            expectMatch(a, want[k], `RMSprop ${name} [${n}] ${k}`, EXACT);
          });
        }
      }
    });
  });

  describe("big kernels (split over threads when there are several)", () => {
    const rand = rng(16);
    it("matmul", () => {
      for (const [m, k, n, transA, transB] of [
        [300, 300, 300, false, false],
        [64, 784, 128, false, true],
        [128, 64, 784, true, false],
        [700, 200, 40, false, false],
      ] as const) {
        const p: MatmulParams = {
          batch: 1,
          m,
          k,
          n,
          aBatchStride: 0,
          bBatchStride: 0,
          transA,
          transB,
        };
        const a = randomData("float32", m * k, rand);
        const b = randomData("float32", k * n, rand);
        expectSame(w, (be, [x, y]) => be.matmul(x, y, p), [a, b], `matmul ${m}x${k}x${n}`, {
          rtol: 1e-4,
          atol: 1e-3,
        });
      }
      const p: MatmulParams = {
        batch: 6,
        m: 70,
        k: 90,
        n: 110,
        aBatchStride: 6300,
        bBatchStride: 9900,
        transA: false,
        transB: false,
      };
      expectSame(
        w,
        (be, [x, y]) => be.matmul(x, y, p),
        [randomData("float32", 6 * 6300, rand), randomData("float32", 6 * 9900, rand)],
        "batched",
        { rtol: 1e-4, atol: 1e-3 },
      );
    });

    it("elementwise, where, copy, reductions, softmax, im2col and random", () => {
      const n = 300_001;
      const x = randomData("float32", n, rand, true);
      const y = randomData("float32", n, rand, true);
      const flat = contiguous([n]);
      expectSame(w, (b, [p]) => b.unary("exp", p), [x], "exp");
      expectSame(w, (b, [p, q]) => b.binary("mul", p, flat, q, flat), [x, y], "mul");
      const rows: View = { shape: [1001, 299], strides: [0, 1], offset: 0 };
      expectSame(
        w,
        (b, [p, q]) => b.binary("add", p, contiguous([1001, 299]), q, rows),
        [x, y],
        "row broadcast",
      );
      const t: View = { shape: [599, 501], strides: [1, 599], offset: 0 };
      expectSame(w, (b, [p]) => b.copy(p, t), [x], "transpose copy");
      expectSame(
        w,
        (b, [c, p, q]) => b.where(c, flat, p, flat, q, flat),
        [randomData("bool", n, rand), x, y],
        "where",
      );
      expectSame(w, (b, [p]) => b.reduce("sum", p, 1000, 300, 1), [y], "row sums");
      expectSame(w, (b, [p]) => b.softmax(p, 300, 1000, 1, true), [y], "log-softmax");
      const g: Conv2dGeometry = {
        n: 8,
        c: 16,
        h: 28,
        w: 28,
        kh: 3,
        kw: 3,
        strideH: 1,
        strideW: 1,
        padH: 1,
        padW: 1,
        dilationH: 1,
        dilationW: 1,
        padValue: 0,
      };
      expectSame(w, (b, [p]) => b.im2col(p, g), [x.subarray(0, 8 * 16 * 28 * 28)], "im2col");
      expect(Array.from(w.readSync(w.random("uniform", n, [3, 4], 11)))).toEqual(
        Array.from(js.readSync(js.random("uniform", n, [3, 4], 11))),
      );
    });
  });
});
