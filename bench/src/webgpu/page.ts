/**
 * The WebGPU benchmark, run inside a browser page on whatever adapter it has: matmul GFLOP/s
 * and one MLP training step for Gradbook (webgpu), TensorFlow.js (webgpu) and jax-js (webgpu).
 * Every library is timed the same way: a batch of matmuls queued and kept, then a wait for
 * their completion, so GPU time is measured, not just the time to queue work; a training step
 * ends by reading the loss.
 */

import * as torch from "@gradbook/engine";
import * as jax from "@jax-js/jax";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { gflops, time, uniform } from "../timing.js";
import { type Figures, MATMUL_SIZES, MLP } from "../workloads.js";

/** Matmuls queued per timed call, so a call is long enough to hide the readback latency. */
const BATCH: Record<number, number> = { 128: 32, 256: 16, 512: 8, 1024: 2 };

/** A library's figures; a workload that failed (or gave wrong results) has an error instead. */
export interface WebGpuRow {
  name: string;
  matmul: Figures["matmul"] | null;
  mlpStepMs: number | null;
  errors: string[];
}

export interface WebGpuBenchResult {
  adapter: string;
  rows: WebGpuRow[];
}

/** What a library provides per matmul size: a timed call, and C[0][0] of one product. */
interface MatmulRun {
  call: () => Promise<void>;
  corner: () => Promise<number>;
}

async function matmulFigures(
  run: (n: number, batch: number) => Promise<MatmulRun>,
): Promise<Figures["matmul"]> {
  const out: Figures["matmul"] = {};
  for (const n of MATMUL_SIZES) {
    const batch = BATCH[n] ?? 1;
    const { call, corner } = await run(n, batch);
    const t = await time(call, { warmup: 3, runs: n >= 1024 ? 5 : 9, minMs: 50 });
    // A fast wrong answer is no result: check one element against the host.
    const [a, b] = [uniform(n * n, 1), uniform(n * n, 2)];
    let expected = 0;
    for (let k = 0; k < n; k++) expected += a[k] * b[k * n];
    const got = await corner();
    if (!(Math.abs(got - expected) <= 1e-3 * (1 + Math.abs(expected)))) {
      throw new Error(
        `wrong matmul result on this adapter (n=${n}: C[0][0] = ${got}, expected ${expected.toFixed(4)})`,
      );
    }
    out[n] = gflops(n, t.ms / batch);
  }
  return out;
}

/** A training step's loss must look like cross-entropy over 10 classes (about 2.3 at first). */
function checkLoss(loss: number): void {
  if (!(Number.isFinite(loss) && loss > 0.01)) {
    throw new Error(`wrong training step on this adapter (loss ${loss})`);
  }
}

// ---------------------------------------------------------------- Gradbook

async function gradbookMatmul(): Promise<Figures["matmul"]> {
  if ((await torch.init({ device: "webgpu" })) !== "webgpu") throw new Error("no WebGPU adapter");
  return matmulFigures(async (n, batch) => {
    const a = torch.tensor(uniform(n * n, 1)).reshape([n, n]);
    const b = torch.tensor(uniform(n * n, 2)).reshape([n, n]);
    return {
      call: async () => {
        const cs = Array.from({ length: batch }, () => a.matmul(b));
        await cs[batch - 1].index(0).index(0).item(); // work runs in order: the last one is the end
        for (const c of cs) c.dispose();
      },
      corner: () => a.matmul(b).index(0).index(0).item(),
    };
  });
}

async function gradbookStep(): Promise<number> {
  torch.manual_seed(0);
  const [i, h1, h2, o] = MLP.layers;
  const model = new torch.nn.Sequential(
    new torch.nn.Linear(i, h1),
    new torch.nn.ReLU(),
    new torch.nn.Linear(h1, h2),
    new torch.nn.ReLU(),
    new torch.nn.Linear(h2, o),
  );
  const lossFn = new torch.nn.CrossEntropyLoss();
  const optimizer = new torch.optim.Adam(model.parameters(), { lr: MLP.lr });
  const x = torch.tensor(uniform(MLP.batch * i, 3)).reshape([MLP.batch, i]);
  const y = torch.tensor(
    Int32Array.from({ length: MLP.batch }, (_, k) => k % o),
    { dtype: torch.int64 },
  );
  const step = await time(
    () => {
      optimizer.zero_grad();
      const loss = lossFn(model(x), y);
      loss.backward();
      optimizer.step();
      return loss.item().then(checkLoss);
    },
    { warmup: 10, runs: 15, minMs: 30 },
  );
  return step.ms;
}

// ---------------------------------------------------------------- TensorFlow.js

async function tfjsMatmul(): Promise<Figures["matmul"]> {
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs: the webgpu backend did not start");
  await tf.ready();
  return matmulFigures(async (n, batch) => {
    const a = tf.tensor2d(uniform(n * n, 1), [n, n]);
    const b = tf.tensor2d(uniform(n * n, 2), [n, n]);
    return {
      call: async () => {
        const cs = Array.from({ length: batch }, () => tf.matMul(a, b));
        const corner = cs[batch - 1].slice([0, 0], [1, 1]);
        await corner.data();
        tf.dispose([...cs, corner]);
      },
      corner: async () => (await tf.matMul(a, b).slice([0, 0], [1, 1]).data())[0],
    };
  });
}

async function tfjsStep(): Promise<number> {
  const [i, h1, h2, o] = MLP.layers;
  const dense = (fanIn: number, fanOut: number, seed: number) => ({
    w: tf.variable(
      tf.tensor2d(uniform(fanIn * fanOut, seed), [fanIn, fanOut]).mul(1 / Math.sqrt(fanIn)),
    ),
    b: tf.variable(tf.zeros([fanOut])),
  });
  const layers = [dense(i, h1, 10), dense(h1, h2, 11), dense(h2, o, 12)];
  const optimizer = tf.train.adam(MLP.lr);
  const x = tf.tensor2d(uniform(MLP.batch * i, 3), [MLP.batch, i]);
  const y = tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: MLP.batch }, (_, k) => k % o),
      "int32",
    ),
    o,
  );
  const forward = (): tf.Scalar => {
    let h: tf.Tensor2D = x;
    layers.forEach((l, k) => {
      const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
      h = k < layers.length - 1 ? tf.relu(z) : z;
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  const step = await time(
    async () => {
      const loss = optimizer.minimize(forward, true) as tf.Scalar;
      const value = (await loss.data())[0];
      loss.dispose();
      checkLoss(value);
    },
    { warmup: 10, runs: 15, minMs: 30 },
  );
  return step.ms;
}

// ---------------------------------------------------------------- jax-js

const np = jax.numpy;
type Arr = jax.Array;
type Params = Record<string, Arr>;

const jaxArray = (data: Float32Array, shape: number[]): Arr => np.array(data).reshape(shape);

async function jaxMatmul(): Promise<Figures["matmul"]> {
  if (!(await jax.init("webgpu")).includes("webgpu")) throw new Error("jax-js: no webgpu device");
  jax.defaultDevice("webgpu");
  const array = jaxArray;
  const mm = jax.jit((a: Arr, b: Arr) => np.matmul(a, b));
  return matmulFigures(async (n, batch) => {
    const a = array(uniform(n * n, 1), [n, n]);
    const b = array(uniform(n * n, 2), [n, n]);
    return {
      call: async () => {
        // jax-js evaluates lazily: every result is kept and waited for, so none is skipped.
        const cs = Array.from({ length: batch }, () => mm(a.ref, b.ref));
        await Promise.all(cs.map((c) => c.blockUntilReady()));
        for (const c of cs) c.dispose();
      },
      corner: async () => (await mm(a.ref, b.ref).data())[0],
    };
  });
}

async function jaxStep(): Promise<number> {
  const array = jaxArray;
  // The same jitted step as the wasm bench: value and gradient, then Adam, in one jit.
  const sizes = MLP.layers;
  let params: Params = {};
  for (let l = 0; l < 3; l++) {
    const w = uniform(sizes[l] * sizes[l + 1], 10 + l).map((v) => v / Math.sqrt(sizes[l]));
    params[`w${l}`] = array(w, [sizes[l], sizes[l + 1]]);
    params[`b${l}`] = np.zeros([sizes[l + 1]]);
  }
  const refs = (p: Params): Params =>
    Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a.ref]));
  const zeros = (p: Params): Params =>
    Object.fromEntries(Object.entries(p).map(([k, a]) => [k, np.zerosLike(a.ref)]));
  const loss = (p: Params, xb: Arr, yb: Arr): Arr => {
    let h = jax.nn.relu(np.add(np.matmul(xb, p.w0), p.b0));
    h = jax.nn.relu(np.add(np.matmul(h, p.w1), p.b1));
    const logits = np.add(np.matmul(h, p.w2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(jax.nn.logSoftmax(logits, -1), yb), -1)));
  };
  let m = zeros(params);
  let v = zeros(params);
  const x = array(uniform(MLP.batch * sizes[0], 3), [MLP.batch, sizes[0]]);
  const labels = np.array(
    Int32Array.from({ length: MLP.batch }, (_, k) => k % 10),
    { dtype: np.int32 },
  );
  const y = jax.nn.oneHot(labels, 10);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const train = jax.jit((p: Params, m0: Params, v0: Params, xb: Arr, yb: Arr, c1: Arr, c2: Arr) => {
    const [value, g] = jax.valueAndGrad(loss)(refs(p), xb, yb);
    const [p1, m1, v1]: Params[] = [{}, {}, {}];
    for (const k of Object.keys(p)) {
      m1[k] = np.add(np.multiply(m0[k], b1), np.multiply(g[k].ref, 1 - b1));
      v1[k] = np.add(np.multiply(v0[k], b2), np.multiply(np.multiply(g[k].ref, g[k]), 1 - b2));
      const mHat = np.divide(m1[k].ref, c1.ref);
      const vHat = np.divide(v1[k].ref, c2.ref);
      p1[k] = np.subtract(p[k], np.multiply(np.divide(mHat, np.add(np.sqrt(vHat), eps)), MLP.lr));
    }
    c1.dispose();
    c2.dispose();
    return [value, p1, m1, v1] as [Arr, Params, Params, Params];
  });
  let t = 0;
  const step = await time(
    async () => {
      t++;
      const [value, p1, m1, v1] = train(
        params,
        m,
        v,
        x.ref,
        y.ref,
        np.array(1 - b1 ** t),
        np.array(1 - b2 ** t),
      );
      [params, m, v] = [p1, m1, v1];
      checkLoss(await value.item());
    },
    { warmup: 10, runs: 15, minMs: 30 },
  );
  return step.ms;
}

// ---------------------------------------------------------------- all

/** Each library's two workloads; the matmul part also starts the library on WebGPU. */
const CONTENDERS: [string, () => Promise<Figures["matmul"]>, () => Promise<number>][] = [
  ["Gradbook webgpu", gradbookMatmul, gradbookStep],
  ["TensorFlow.js webgpu", tfjsMatmul, tfjsStep],
  ["jax-js webgpu", jaxMatmul, jaxStep],
];

/** Run every library in turn; one that fails (no adapter, unsupported op) reports its error. */
export async function runWebGpuBench(
  log: (line: string) => void = () => {},
  only: readonly string[] = [],
): Promise<WebGpuBenchResult> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  if (!adapter) throw new Error("This browser has no WebGPU adapter");
  const rows: WebGpuBenchResult["rows"] = [];
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  for (const [name, matmul, step] of CONTENDERS) {
    if (only.length > 0 && !only.some((o) => name.toLowerCase().includes(o.toLowerCase())))
      continue;
    log(`running ${name}...`);
    const row: WebGpuRow = { name, matmul: null, mlpStepMs: null, errors: [] };
    try {
      row.matmul = await matmul();
    } catch (e) {
      row.errors.push(`matmul: ${message(e)}`);
    }
    try {
      row.mlpStepMs = await step();
    } catch (e) {
      row.errors.push(`MLP step: ${message(e)}`);
    }
    rows.push(row);
  }
  const info = adapter.info;
  const name =
    [info.vendor, info.architecture, info.description].filter((s) => s).join(" ") ||
    "unknown adapter";
  return { adapter: name, rows };
}

/** The results as the text table `npm run bench` prints (and the page shows). */
export function formatTable(r: WebGpuBenchResult): string {
  const width = Math.max(...r.rows.map((row) => row.name.length)) + 2;
  const lines = [
    `WebGPU adapter: ${r.adapter}; medians after warm-up`,
    "",
    `${"".padEnd(width)}${MATMUL_SIZES.map((n) => `n=${n}`.padStart(9)).join("")}   MLP step`,
    `${"".padEnd(width)}${"matmul GFLOP/s".padStart(9 * MATMUL_SIZES.length)}         ms`,
  ];
  const cell = (v: number | undefined, digits: number) =>
    (v === undefined ? "-" : v.toFixed(digits)).padStart(9);
  for (const row of r.rows) {
    const cells = MATMUL_SIZES.map((n) => cell(row.matmul?.[n], 1)).join("");
    lines.push(`${row.name.padEnd(width)}${cells}${cell(row.mlpStepMs ?? undefined, 2)}`);
  }
  for (const row of r.rows) for (const e of row.errors) lines.push(`  ${row.name}, ${e}`);
  return lines.join("\n");
}
