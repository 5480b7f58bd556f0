/** Gradbook on its wasm backend, driven through the engine exactly as a student writes it. */

import * as torch from "@gradbook/engine";
import { createWasmBackend } from "@gradbook/kernels";
import { gradbookStep } from "./mlp-steps.js";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES } from "./workloads.js";

async function matmul(): Promise<Figures["matmul"]> {
  const out: Figures["matmul"] = {};
  for (const n of MATMUL_SIZES) {
    const a = torch.tensor(uniform(n * n, 1)).reshape([n, n]);
    const b = torch.tensor(uniform(n * n, 2)).reshape([n, n]);
    const t = await time(() => a.matmul(b).dispose(), { runs: n >= 1024 ? 7 : 15 });
    out[n] = gflops(n, t.ms);
  }
  return out;
}

/** The median time of one training step, ending with the loss read. */
async function mlpStep(): Promise<number> {
  return (await time(gradbookStep(), { warmup: 20, runs: 25, minMs: 30 })).ms;
}

function contender(threads: number): Contender {
  return {
    name: `Gradbook wasm, ${threads} thread${threads > 1 ? "s" : ""}`,
    async run() {
      // A fresh backend with this many threads takes over the "wasm" device.
      torch.registerBackend(await createWasmBackend({ threads }));
      await torch.set_default_device("wasm");
      return { matmul: await matmul(), mlpStepMs: await mlpStep() };
    },
  };
}

export const gradbook = [contender(1), contender(2)];
