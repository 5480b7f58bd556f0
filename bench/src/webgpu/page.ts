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
import { gradbookStep, jaxArray, jaxStep, type TrainingStep, tfjsStep } from "../mlp-steps.js";
import { gflops, time, uniform } from "../timing.js";
import { type Figures, MATMUL_SIZES } from "../workloads.js";

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

// ---------------------------------------------------------------- jax-js

const np = jax.numpy;
type Arr = jax.Array;

async function jaxMatmul(): Promise<Figures["matmul"]> {
  if (!(await jax.init("webgpu")).includes("webgpu")) throw new Error("jax-js: no webgpu device");
  jax.defaultDevice("webgpu");
  const mm = jax.jit((a: Arr, b: Arr) => np.matmul(a, b));
  return matmulFigures(async (n, batch) => {
    const a = jaxArray(uniform(n * n, 1), [n, n]);
    const b = jaxArray(uniform(n * n, 2), [n, n]);
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

/** A training step's median time; its loss is checked every time. */
async function stepTime(step: TrainingStep): Promise<number> {
  const timing = await time(async () => checkLoss(await step()), {
    warmup: 10,
    runs: 15,
    minMs: 30,
  });
  return timing.ms;
}

// ---------------------------------------------------------------- all

/** Each library's two workloads; the matmul part also starts the library on WebGPU. */
const CONTENDERS: [string, () => Promise<Figures["matmul"]>, () => Promise<number>][] = [
  ["Gradbook webgpu", gradbookMatmul, () => stepTime(gradbookStep())],
  ["TensorFlow.js webgpu", tfjsMatmul, () => stepTime(tfjsStep())],
  ["jax-js webgpu", jaxMatmul, () => stepTime(jaxStep())],
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
