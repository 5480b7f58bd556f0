/** Gradbook on its wasm backend, driven through the engine exactly as a student writes it. */

import * as torch from "@gradbook/engine";
import { createWasmBackend } from "@gradbook/kernels";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES, MLP } from "./workloads.js";

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

/** The median time of one step: zero_grad, forward, loss, backward, Adam step, read the loss. */
export async function mlpStep(steps?: { warmup: number; runs: number }): Promise<number> {
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
  const t = await time(
    () => {
      optimizer.zero_grad();
      const loss = lossFn(model(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    },
    { warmup: steps?.warmup ?? 20, runs: steps?.runs ?? 25, minMs: 30 },
  );
  return t.ms;
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
