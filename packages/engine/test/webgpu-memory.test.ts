/**
 * GPU memory stays flat on the webgpu backend: dropped tensors' buffers return to the pool,
 * backward's and the optimizer's temporaries are freed at once, and a 10,000-step training
 * loop neither grows the live tensors nor the device memory the pool holds.
 */

import type { WebGpuBackend } from "@gradbook/kernels";
import { beforeAll, describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";
import { useWebGpu } from "./webgpu-setup.js";

const gc = (globalThis as { gc?: () => void }).gc;

/** Collect garbage and let FinalizationRegistry callbacks (separate macrotasks) run. */
async function settle(): Promise<void> {
  if (!gc) throw new Error("run node with --expose-gc (see vitest.config.ts)");
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await useWebGpu();
}, 60_000);

/** Live tensor memory as the engine reports it, and everything the GPU holds (pool included). */
function usage(): { tensors: number; bytes: number; device: number } {
  const m = torch.memory();
  return { tensors: m.tensors, bytes: m.bytes, device: gpu.info().deviceBytes };
}

function mlp(): Tensor[] {
  torch.manual_seed(0);
  const w1 = torch.randn(16, 8).mul(0.3).requires_grad_();
  const b1 = torch.zeros(16, { requires_grad: true });
  const w2 = torch.randn(4, 16).mul(0.3).requires_grad_();
  const b2 = torch.zeros(4, { requires_grad: true });
  return [w1, b1, w2, b2];
}

function step(params: Tensor[], x: Tensor, target: Tensor, lr: number): Tensor {
  const [w1, b1, w2, b2] = params;
  const h = x.matmul(w1.t()).add(b1).relu();
  const logits = h.matmul(w2.t()).add(b2);
  const loss = logits.log_softmax(1).gather(1, target.unsqueeze(1)).mean().neg();
  loss.backward();
  torch.no_grad(() => {
    for (const p of params) {
      p.sub_((p.grad as Tensor).mul(lr));
      p.grad = null;
    }
  });
  return loss;
}

describe("webgpu memory", () => {
  it("a 10,000-step training loop keeps live tensors, their bytes and the pool flat", async () => {
    expect(torch.get_default_device()).toBe("webgpu");
    const params = mlp();
    const x = torch.randn(32, 8);
    const target = torch.randint(0, 4, [32]);
    let at100: ReturnType<typeof usage> | null = null;
    const device: number[] = []; // device memory after each collection, every 1,000 steps
    let firstLoss = 0;
    let lastLoss = 0;
    for (let i = 1; i <= 10_000; i++) {
      const loss = step(params, x, target, 0.1);
      // A student's loop reads the loss now and then (to print or plot it).
      if (i % 50 === 0 || i === 1) {
        const value = await loss.item();
        if (i === 1) firstLoss = value;
        lastLoss = value;
      }
      if (i % 1000 === 0) {
        await settle(); // as a long-running notebook would, now and then
        // The idle pool's size at this instant depends on the collector's timing (how much
        // garbage it just freed), so measure what the device holds beyond the idle pool.
        torch.empty_cache();
        device.push(usage().device);
      }
      if (i === 100) {
        await settle();
        at100 = usage();
      }
    }
    await settle();
    const end = usage();
    const start = at100 as ReturnType<typeof usage>;
    // Flat: live tensors and bytes don't grow with the steps (every buffer handed out came
    // back), and neither does the device memory they occupy.
    expect(end.bytes).toBeLessThanOrEqual(start.bytes + 1024);
    expect(end.tensors).toBeLessThanOrEqual(start.tensors + 8);
    expect(Math.max(...device.slice(1))).toBeLessThanOrEqual(device[0]);
    expect(lastLoss).toBeLessThan(firstLoss);
  }, 600_000);

  it("backward and optimizer temporaries are freed at once, no collection needed", async () => {
    const model = new torch.nn.Sequential(
      new torch.nn.Linear(64, 64),
      new torch.nn.Tanh(),
      new torch.nn.Linear(64, 8),
    );
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = torch.randn(128, 64);
    const loss = model(x).square().mean();
    await settle();
    const before = usage().bytes;
    loss.backward();
    const grads = model.parameters().reduce((s, p) => s + p.numel() * 4, 0);
    // Only the .grads were added (the forward's saved tensors are still referenced by `loss`'s
    // variables until collected, so nothing else may have grown either).
    expect(usage().bytes - before).toBeLessThanOrEqual(grads);
    opt.step();
    // Adam's state: exp_avg and exp_avg_sq per parameter, plus a step counter each.
    expect(usage().bytes - before).toBeLessThanOrEqual(3 * grads + 4 * 4);
    await loss.item();
  });

  it("dropped tensors return their buffers to the pool, and the pool reuses them", async () => {
    await settle();
    const base = usage();
    const round = async () => {
      const a = torch.randn(100, 100);
      await a.matmul(a).sum().item();
    };
    for (let i = 0; i < 10; i++) {
      await round();
      await settle();
    }
    await settle();
    const after = usage();
    expect(after.bytes).toBeLessThanOrEqual(base.bytes);
    expect(after.tensors).toBeLessThanOrEqual(base.tensors);
    // Ten rounds of two 100x100 tensors, but the pool only needed the first round's buffers.
    expect(after.device - base.device).toBeLessThan(3 * 100 * 100 * 4);
  });

  it("empty_cache() gives the idle pool back and keeps live tensors", async () => {
    const kept = torch.arange(1000);
    const dropped = torch.ones(5000);
    await dropped.add(1).sum().item();
    dropped.dispose();
    expect(gpu.info().idleBytes).toBeGreaterThanOrEqual(5000 * 4);
    torch.empty_cache();
    expect(gpu.info().idleBytes).toBe(0);
    expect(await kept.sum().item()).toBe(499500);
  });

  it("explicit dispose() frees GPU memory at once", () => {
    const before = torch.memory().bytes;
    const t = torch.zeros(1000);
    expect(torch.memory().bytes).toBe(before + 4000);
    t.dispose();
    expect(torch.memory().bytes).toBe(before);
  });

  it("synchronous reads name the asynchronous ones", () => {
    const t = torch.ones(3);
    expect(() => t.dataSync()).toThrow("await x.data()");
    expect(() => t.sum().itemSync()).toThrow("await x.item()");
    expect(() => t.to("js")).toThrow("await x.tolist()");
    expect(String(t)).toContain("await x.tolist() to read");
  });
});
