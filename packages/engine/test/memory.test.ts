/**
 * Memory is automatic: dropped tensors return their buffers (FinalizationRegistry), saved
 * tensors go when backward is done, and a long training loop stays flat. Needs `--expose-gc`
 * (set for the test workers in vitest.config.ts).
 */
import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";

const gc = (globalThis as { gc?: () => void }).gc;

/** Collect garbage and let FinalizationRegistry callbacks (separate macrotasks) run. */
async function settle(): Promise<void> {
  if (!gc) throw new Error("run node with --expose-gc (see vitest.config.ts)");
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function live(): Promise<{ tensors: number; bytes: number }> {
  await settle();
  const m = torch.memory();
  return { tensors: m.tensors, bytes: m.bytes };
}

/** A small MLP from core ops only, trained with manual SGD. */
function makeModel() {
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

describe("memory", () => {
  it("a 10,000-step training loop keeps live tensors and bytes flat", async () => {
    const params = makeModel();
    const x = torch.randn(32, 8);
    const target = torch.randint(0, 4, [32]);
    let at100: { tensors: number; bytes: number } | null = null;
    let firstLoss = 0;
    let lastLoss = 0;
    for (let i = 1; i <= 10000; i++) {
      const loss = step(params, x, target, 0.1);
      if (i === 1) firstLoss = loss.itemSync();
      if (i === 10000) lastLoss = loss.itemSync();
      if (i % 1000 === 0) await settle(); // as a long-running notebook would, now and then
      if (i === 100) at100 = await live();
    }
    const at10000 = await live();
    expect(at100).not.toBeNull();
    const before = at100 as { tensors: number; bytes: number };
    // Flat: at most a small constant slack, never growth proportional to the steps.
    expect(at10000.bytes).toBeLessThanOrEqual(before.bytes + 1024);
    expect(at10000.tensors).toBeLessThanOrEqual(before.tensors + 8);
    expect(lastLoss).toBeLessThan(firstLoss); // and it did train
  }, 120_000);

  it("dropped tensors and graphs are returned to the backend", async () => {
    const base = await live();
    (() => {
      const x = torch.randn([1000], { requires_grad: true });
      const y = x.exp().mul(x).sum();
      y.backward();
      torch.randn(50, 50).matmul(torch.randn(50, 50));
    })();
    const after = await live();
    expect(after.bytes).toBeLessThanOrEqual(base.bytes);
    expect(after.tensors).toBeLessThanOrEqual(base.tensors);
  });

  it("the graph holds only saved tensors, and backward releases them", async () => {
    const base = (await live()).bytes;
    const x = torch.randn([10000], { requires_grad: true }); // 40 KB
    let loss = x.exp().sin().sum();
    // Alive: x, exp's result (saved by exp and sin) and loss (4 bytes); not sin's result,
    // which nothing saves (sum needs only the shape).
    expect((await live()).bytes - base).toBe(80004);
    loss.backward();
    x.grad = null;
    expect((await live()).bytes - base).toBe(40004);
    loss = torch.tensor(0);
    expect((await live()).bytes - base).toBe(40004);
  });

  it("intermediate results nothing saves are freed before backward", async () => {
    const base = (await live()).bytes;
    const w = torch.randn([100, 100], { requires_grad: true }); // 40 KB
    const y = w.mul(2).add(1).index("0:1").sum();
    // Alive: w and y. Not w * 2 + 1 (40 KB): add, the slice and sum need only shapes, so the
    // intermediate results are gone; MulBackward0 keeps the 2 as a number, not a tensor.
    expect((await live()).bytes - base).toBe(40000 + 4);
    y.backward();
    expect(w.grad?.shape).toEqual([100, 100]);
  });

  it("explicit dispose() frees memory at once (no GC needed)", () => {
    const before = torch.memory();
    const t = torch.zeros(1000);
    expect(torch.memory().bytes).toBe(before.bytes + 4000);
    expect(torch.memory().tensors).toBe(before.tensors + 1);
    t.dispose();
    expect(torch.memory().bytes).toBe(before.bytes);
    expect(torch.memory().tensors).toBe(before.tensors);
    const u = torch.ones(10);
    u[Symbol.dispose]();
    expect(torch.memory().bytes).toBe(before.bytes);
    expect(() => u.add(1)).toThrow("This tensor was disposed; its memory is gone.");
  });

  it("disposing a view frees the memory it shares with its base", () => {
    const before = torch.memory().bytes;
    const t = torch.zeros(100);
    const v = t.index("0:10");
    v.dispose();
    expect(torch.memory().bytes).toBe(before);
    expect(() => t.sum()).toThrow(/disposed/);
  });

  it("in-place updates reuse the tensor: no growth from sub_ / copy_", async () => {
    const p = torch.zeros(1000);
    const g = torch.ones(1000);
    const start = await live();
    for (let i = 0; i < 200; i++) p.sub_(g.mul(0.01));
    const end = await live();
    expect(end.bytes).toBeLessThanOrEqual(start.bytes);
    expect(p.index(0).itemSync()).toBeCloseTo(-2, 4);
  });
});

describe("temporaries are freed without waiting for garbage collection", () => {
  it("backward keeps only the new .grads, and Adam's step keeps nothing new", () => {
    torch.manual_seed(1);
    const model = new torch.nn.Sequential(
      new torch.nn.Linear(8, 16),
      new torch.nn.Tanh(),
      new torch.nn.Linear(16, 3),
    );
    const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
    const x = torch.randn(32, 8);
    const y = torch.randint(0, 3, [32]);
    const lossFn = new torch.nn.CrossEntropyLoss();
    const trainStep = () => {
      optimizer.zero_grad();
      const loss = lossFn(model(x), y);
      const beforeBackward = torch.memory().tensors;
      loss.backward();
      const afterBackward = torch.memory().tensors;
      optimizer.step();
      return {
        backward: afterBackward - beforeBackward,
        step: torch.memory().tensors - afterBackward,
      };
    };
    trainStep(); // the first step creates Adam's state
    const { backward, step } = trainStep();
    // No gc() here: only the four parameters' gradients may appear.
    expect(backward).toBe(model.parameters().length);
    expect(step).toBe(0);
  });
});
