import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";
import { record } from "../src/ops.js";

function list(t: Tensor | null): unknown {
  if (!t) throw new Error("expected a tensor, got null");
  return t.tolistSync();
}

function close(t: Tensor | null, expected: number[], tol = 1e-5): void {
  const got = list(t) as number[];
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => {
    expect(Math.abs(g - expected[i])).toBeLessThanOrEqual(tol);
  });
}

describe("backward basics", () => {
  it("leaves never share a gradient's memory with each other or with the caller", () => {
    const x = torch.zeros([6], { requires_grad: true });
    const y = torch.zeros([2, 3], { requires_grad: true });
    // add passes one gradient to both inputs; x gets it through a reshape (a view of it).
    x.reshape([2, 3]).add(y).mul(2).sum().backward();
    x.grad?.zero_();
    expect(list(y.grad)).toEqual([
      [2, 2, 2],
      [2, 2, 2],
    ]);
    const z = torch.zeros([3], { requires_grad: true });
    const gradient = torch.ones([3]);
    z.add(0).backward(gradient); // add hands the caller's gradient straight to z
    gradient.zero_();
    expect(list(z.grad)).toEqual([1, 1, 1]);
  });

  it("matmul gives column-major operands (w.t()) the gradients of contiguous copies", () => {
    const a = torch.randn([4, 3], { requires_grad: true });
    const w = torch.randn([5, 3], { requires_grad: true });
    const x = torch.randn([4, 5]);
    const [a2, w2] = [a, w].map((t) => t.detach().clone().requires_grad_());
    a.t().matmul(x).sum().backward(); // column-major left operand
    a2.t().contiguous().matmul(x).sum().backward();
    x.matmul(w).matmul(w.t()).sum().backward(); // w on both sides, the right one column-major
    x.matmul(w2).matmul(w2.t().contiguous()).sum().backward();
    expect(a.grad?.is_contiguous()).toBe(true);
    close(a.grad?.flatten() ?? null, (list(a2.grad) as number[][]).flat(), 1e-5);
    close(w.grad?.flatten() ?? null, (list(w2.grad) as number[][]).flat(), 1e-5);
  });

  it("computes the gradient of a scalar and accumulates over two backward calls", () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    x.mul(x).sum().backward();
    expect(list(x.grad)).toEqual([2, 4, 6]);
    x.mul(3).sum().backward();
    expect(list(x.grad)).toEqual([5, 7, 9]);
    x.grad = null;
    x.sum().backward();
    expect(list(x.grad)).toEqual([1, 1, 1]);
  });

  it("the accumulated gradient is a fresh tensor, not an alias of an internal one", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(1);
    y.backward(torch.ones(2));
    const g = x.grad as Tensor;
    torch.no_grad(() => g.mul_(10));
    y.backward(torch.ones(2), { retain_graph: true });
    expect(list(x.grad)).toEqual([11, 11]);
  });

  it("non-scalar backward without a gradient is an error", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    expect(() => x.mul(2).backward()).toThrow(
      "grad can be implicitly created only for scalar outputs",
    );
  });

  it("one-element non-0-d outputs get an implicit gradient", () => {
    const x = torch.tensor([[3]], { requires_grad: true });
    x.square().backward();
    expect(list(x.grad)).toEqual([[6]]);
  });

  it("backward with an explicit gradient (positional and named)", () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    x.mul(2).backward(torch.tensor([1, 0.5, -1]));
    expect(list(x.grad)).toEqual([2, 1, -2]);
    x.grad = null;
    x.mul(2).backward({ gradient: torch.tensor([1, 1, 1]) });
    expect(list(x.grad)).toEqual([2, 2, 2]);
  });

  it("an explicit gradient of the wrong shape is an error", () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    expect(() => x.mul(2).backward(torch.ones(2))).toThrow(/Mismatch in shape/);
  });

  it("backward of a tensor that does not require grad is an error", () => {
    expect(() => torch.ones(2).sum().backward()).toThrow(
      "element 0 of tensors does not require grad and does not have a grad_fn",
    );
  });

  it("backward on a leaf itself", () => {
    const x = torch.tensor(2, { requires_grad: true });
    x.backward();
    expect(list(x.grad)).toBe(1);
    x.backward();
    expect(list(x.grad)).toBe(2);
  });

  it("a second backward through freed saved tensors errors; retain_graph keeps them", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(
      "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed)",
    );

    const z = torch.tensor([1, 2], { requires_grad: true });
    const w = z.mul(z).sum();
    w.backward({ retain_graph: true });
    w.backward(null, true);
    expect(list(z.grad)).toEqual([4, 8]);
    w.backward();
    expect(list(z.grad)).toEqual([6, 12]);
    expect(() => w.backward()).toThrow(/backward through the graph a second time/);
  });

  it("graphs without saved tensors may be walked twice (as in PyTorch)", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.add(1).sum();
    y.backward();
    y.backward();
    expect(list(x.grad)).toEqual([2, 2]);
  });
});

describe("graph structure", () => {
  it("diamond graphs sum the gradients of both paths", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const a = x.mul(2);
    const b = x.square();
    const c = a.add(b).mul(a); // (2x + x^2) * 2x = 4x^2 + 2x^3 -> 8x + 6x^2
    c.sum().backward();
    expect(list(x.grad)).toEqual([14, 40]);
  });

  it("x used many times", () => {
    const x = torch.tensor(3, { requires_grad: true });
    const y = x.mul(x).mul(x).add(x).add(x.mul(x));
    y.backward(); // 3x^2 + 1 + 2x
    expect(list(x.grad)).toBe(34);
  });

  it("leaves get gradients only where they influence the output", () => {
    const a = torch.tensor([1, 2], { requires_grad: true });
    const b = torch.tensor([3, 4], { requires_grad: true });
    const unused = b.mul(5); // never used in the output
    expect(unused.requires_grad).toBe(true);
    a.mul(2).sum().backward();
    expect(list(a.grad)).toEqual([2, 2]);
    expect(b.grad).toBeNull();
  });

  it("a branch that no gradient reaches is still released", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.exp();
    const dead = y.mul(0).detach(); // cut off: contributes nothing
    const out = torch.cat([y, dead.requires_grad_(false)]).sum();
    out.backward();
    expect(() => out.backward()).toThrow(/second time/);
    // A branch whose gradient is not needed (one input needs no grad) still frees its node.
    const w = torch.tensor([2, 3], { requires_grad: true });
    const c = torch.tensor([1, 1]);
    const z = w.mul(c).add(c.exp().sum()).sum();
    z.backward();
    expect(list(w.grad)).toEqual([1, 1]);
  });

  it("a node whose rule sends no gradient on: the branch behind it is still released", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.exp(); // ExpBackward0 saves its result
    // A rule that returns no gradient for its input (as a non-differentiable step would).
    const z = record(y.detach().clone(), "DeadEndBackward", [y], () => [null]);
    z.sum().backward();
    expect(x.grad).toBeNull();
    // ExpBackward0 got no gradient but was released with the rest of the graph.
    expect(() => y.sum().backward()).toThrow(/backward through the graph a second time/);
  });

  it("is_leaf and requires_grad", () => {
    const a = torch.tensor([1, 2]);
    expect(a.is_leaf).toBe(true);
    expect(a.requires_grad).toBe(false);
    const w = torch.tensor([1, 2], { requires_grad: true });
    expect(w.is_leaf).toBe(true);
    const y = w.mul(2);
    expect(y.is_leaf).toBe(false);
    expect(y.requires_grad).toBe(true);
    const z = a.mul(2);
    expect(z.is_leaf).toBe(true);
    expect(z.requires_grad).toBe(false);
    expect(z.grad_fn).toBeNull();
    const d = y.detach();
    expect(d.is_leaf).toBe(true);
    expect(d.requires_grad).toBe(false);
    w.requires_grad = false;
    expect(w.mul(2).requires_grad).toBe(false);
  });

  it("requires_grad_ on a non-leaf: true is a no-op, false an error (as PyTorch)", () => {
    const y = torch.tensor([1, 2], { requires_grad: true }).mul(2);
    expect(() => y.requires_grad_(true)).not.toThrow();
    expect(() => y.requires_grad_(false)).toThrow(
      "you can only change requires_grad flags of leaf variables.",
    );
  });

  it("requires_grad on integer and bool tensors is an error", () => {
    expect(() => torch.tensor([1n, 2n]).requires_grad_()).toThrow(
      "only Tensors of floating point and complex dtype can require gradients",
    );
    expect(() => torch.tensor([1, 2], { dtype: torch.int64, requires_grad: true })).toThrow(
      "only Tensors of floating point and complex dtype can require gradients",
    );
    expect(() => {
      torch.tensor([true]).requires_grad = true;
    }).toThrow(/floating point/);
    expect(() => torch.arange(3).requires_grad_(false)).not.toThrow();
  });

  it("integer results of float inputs do not require grad", () => {
    const x = torch.tensor([1.5, -2], { requires_grad: true });
    expect(x.gt(0).requires_grad).toBe(false);
    expect(x.argmax().requires_grad).toBe(false);
    expect(x.max(0).indices.requires_grad).toBe(false);
    expect(x.long().requires_grad).toBe(false);
  });
});

describe("grad_fn names (PyTorch's)", () => {
  const x = torch.randn([3, 4], { requires_grad: true });
  const v = torch.randn([4], { requires_grad: true });
  const cases: [string, () => Tensor, string][] = [
    ["add", () => x.add(1), "AddBackward0"],
    ["add tensor", () => x.add(x), "AddBackward0"],
    ["sub", () => x.sub(x), "SubBackward0"],
    ["mul", () => x.mul(2), "MulBackward0"],
    ["div", () => x.div(2), "DivBackward0"],
    ["neg", () => x.neg(), "NegBackward0"],
    ["exp", () => x.exp(), "ExpBackward0"],
    ["pow scalar", () => x.pow(2), "PowBackward0"],
    ["pow tensor", () => x.abs().pow(x), "PowBackward1"],
    ["relu", () => x.relu(), "ReluBackward0"],
    ["sigmoid", () => x.sigmoid(), "SigmoidBackward0"],
    ["tanh", () => x.tanh(), "TanhBackward0"],
    ["2-D matmul", () => x.matmul(x.t()), "MmBackward0"],
    ["mm", () => x.mm(x.t()), "MmBackward0"],
    ["full sum", () => x.sum(), "SumBackward0"],
    ["sum(dim)", () => x.sum(1), "SumBackward1"],
    ["sum(dims, keepdim)", () => x.sum([0, 1], true), "SumBackward1"],
    ["full mean", () => x.mean(), "MeanBackward0"],
    ["mean(dim)", () => x.mean(0), "MeanBackward1"],
    ["amax", () => x.amax(1), "AmaxBackward0"],
    ["amin", () => x.amin(), "AminBackward0"],
    ["full max", () => x.max(), "MaxBackward1"],
    ["max(dim)", () => x.max(1).values, "MaxBackward0"],
    ["full min", () => x.min(), "MinBackward1"],
    ["min(dim)", () => x.min(1).values, "MinBackward0"],
    ["softmax", () => x.softmax(1), "SoftmaxBackward0"],
    ["log_softmax", () => x.log_softmax(1), "LogSoftmaxBackward0"],
    ["t", () => x.t(), "TBackward0"],
    ["transpose", () => x.transpose(0, 1), "TransposeBackward0"],
    ["permute", () => x.permute(1, 0), "PermuteBackward0"],
    ["view", () => x.view(12), "ViewBackward0"],
    ["unsqueeze", () => x.unsqueeze(0), "UnsqueezeBackward0"],
    ["squeeze()", () => x.unsqueeze(0).squeeze(), "SqueezeBackward0"],
    ["squeeze(dim)", () => x.unsqueeze(0).squeeze(0), "SqueezeBackward1"],
    ["expand", () => v.expand(3, 4), "ExpandBackward0"],
    ["select", () => x.index(0), "SelectBackward0"],
    ["slice", () => x.index("0:2"), "SliceBackward0"],
    ["index_select", () => x.index_select(0, torch.tensor([0n])), "IndexSelectBackward0"],
    ["gather", () => x.gather(1, torch.tensor([[0n], [1n], [2n]])), "GatherBackward0"],
    ["cat", () => torch.cat([x, x]), "CatBackward0"],
    ["clone", () => x.clone(), "CloneBackward0"],
    ["where", () => torch.where(x.gt(0), x, 0), "WhereBackward0"],
    ["maximum", () => x.maximum(x), "MaximumBackward0"],
    ["clamp", () => x.clamp(0, 1), "ClampBackward1"],
    ["stack", () => torch.stack([x, x]), "StackBackward0"],
    ["full prod", () => x.prod(), "ProdBackward0"],
    ["prod(dim)", () => x.prod(1), "ProdBackward1"],
    ["matrix x vector", () => x.matmul(v), "MvBackward0"],
    ["vector . vector", () => v.matmul(v), "DotBackward0"],
    ["index_select via tensor index", () => x.index(torch.tensor([0n])), "IndexSelectBackward0"],
    ["to(float32) of a float tensor is itself", () => x.mul(1).to("float32"), "MulBackward0"],
  ];
  for (const [label, f, name] of cases) {
    it(`${label} -> ${name}`, () => {
      expect(f().grad_fn?.name).toBe(name);
    });
  }

  it("a leaf has no grad_fn", () => {
    expect(x.grad_fn).toBeNull();
  });

  it("grad_fn.next links to the inputs' nodes (AccumulateGrad for leaves)", () => {
    const y = x.mul(2).sum();
    const mul = y.grad_fn?.next[0];
    expect(mul?.name).toBe("MulBackward0");
    expect(mul?.next[0]?.name).toBe("AccumulateGrad");
  });
});

describe("detach / no_grad / enable_grad", () => {
  it("detach cuts the graph but shares memory", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const d = x.detach();
    expect(d.requires_grad).toBe(false);
    const y = x.mul(d).sum();
    y.backward();
    expect(list(x.grad)).toEqual([1, 2]);
    torch.no_grad(() => d.add_(10));
    expect(list(x)).toEqual([11, 12]);
  });

  it("no_grad records nothing and returns the function's value", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = torch.no_grad(() => x.mul(2));
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    expect(torch.is_grad_enabled()).toBe(true);
    const z = torch.no_grad(() => torch.enable_grad(() => x.mul(2)));
    expect(z.requires_grad).toBe(true);
  });

  it("no_grad restores the mode when the function throws", () => {
    expect(() =>
      torch.no_grad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(torch.is_grad_enabled()).toBe(true);
    torch.set_grad_enabled(false);
    expect(() =>
      torch.enable_grad(() => {
        expect(torch.is_grad_enabled()).toBe(true);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(torch.is_grad_enabled()).toBe(false);
    torch.set_grad_enabled(true);
  });

  it("async functions keep no_grad until they settle, then restore it", async () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const p = torch.no_grad(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return x.mul(2);
    });
    const y = await p;
    expect(y.requires_grad).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
    await expect(
      torch.no_grad(async () => {
        await Promise.resolve();
        throw new Error("async boom");
      }),
    ).rejects.toThrow("async boom");
    expect(torch.is_grad_enabled()).toBe(true);
  });

  it("backward works inside no_grad (as in PyTorch)", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.square().sum();
    torch.no_grad(() => y.backward());
    expect(list(x.grad)).toEqual([2, 4]);
  });

  it("backward itself records nothing: the gradients have no grad_fn", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    x.square().sum().backward();
    expect(x.grad?.requires_grad).toBe(false);
    expect(x.grad?.grad_fn).toBeNull();
  });
});

describe("retain_grad", () => {
  it("keeps .grad of a non-leaf", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(3);
    y.retain_grad();
    const z = y.square().sum();
    z.backward({ retain_graph: true });
    expect(list(y.grad)).toEqual([6, 12]);
    expect(list(x.grad)).toEqual([18, 36]);
    // Retained gradients accumulate like leaves' (PyTorch).
    z.backward();
    expect(list(y.grad)).toEqual([12, 24]);
  });

  it("non-leaves without retain_grad keep .grad null", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(3);
    y.sum().backward();
    expect(y.grad).toBeNull();
  });

  it("retain_grad on the root", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(3).sum();
    y.retain_grad();
    y.backward();
    expect(list(y.grad)).toBe(1);
  });
});

describe("in-place operations and the version counter", () => {
  it("modifying a saved input before backward raises the version error", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const a = torch.tensor([3, 4]);
    const y = w.mul(a).sum();
    a.add_(1);
    expect(() => y.backward()).toThrow(
      "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]] is at version 1; expected version 0 instead.",
    );
  });

  it("modifying a saved output (exp saves its result) under no_grad", () => {
    const x = torch.tensor([0, 1], { requires_grad: true });
    const y = x.exp();
    torch.no_grad(() => y.mul_(2));
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it("writing through a view bumps the version of the base", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const a = torch.tensor([
      [3, 4],
      [5, 6],
    ]);
    const y = w.mul(a).sum();
    a.index(0).fill_(0);
    expect(() => y.backward()).toThrow(/modified by an inplace operation/);
  });

  it("modifying a tensor that was not saved is fine", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const a = torch.tensor([3, 4]);
    const y = w.add(a).sum(); // add saves nothing
    a.zero_();
    y.backward();
    expect(list(w.grad)).toEqual([1, 1]);
    // mul by a scalar needs only the scalar: w itself is not needed (PyTorch's rule)
    const h = torch.tensor([1, 2], { requires_grad: true }).mul(1);
    const out = h.mul(5).sum();
    torch.no_grad(() => h.add_(1));
    out.backward();
  });

  it("in-place on a leaf that requires grad is an error outside no_grad", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    expect(() => w.add_(1)).toThrow(
      "a leaf Variable that requires grad is being used in an in-place operation.",
    );
    expect(() => w.zero_()).toThrow(/leaf Variable that requires grad/);
    expect(() => w.index(0).fill_(1)).toThrow(/in-place/);
    torch.no_grad(() => w.sub_(w.mul(0.5)));
    expect(list(w)).toEqual([0.5, 1]);
  });

  it("in-place on a non-leaf records the op (as PyTorch)", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    y.add_(1);
    expect(y.grad_fn?.name).toBe("AddBackward0");
    expect(list(y)).toEqual([3, 5]);
    y.mul_(3);
    expect(y.grad_fn?.name).toBe("MulBackward0");
    y.sum().backward(); // d/dx 3(2x+1) = 6
    expect(list(x.grad)).toEqual([6, 6]);
  });

  it("y.mul_(y) overwrites a value its own backward needs: the version error (as PyTorch)", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2).add(1);
    y.mul_(y);
    expect(list(y)).toEqual([9, 25]);
    expect(() => y.sum().backward()).toThrow(
      /\[torch.FloatTensor \[2\]\], which is output 0 of AddBackward0, is at version 1; expected version 0 instead/,
    );
  });

  it("in-place writes through a view of a non-leaf (CopySlices)", () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    const y = x.mul(2);
    y.index(0).mul_(5);
    expect(y.grad_fn?.name).toBe("CopySlices");
    expect(list(y)).toEqual([10, 4, 6]);
    y.mul(torch.tensor([1, 10, 100]))
      .sum()
      .backward();
    expect(list(x.grad)).toEqual([10, 20, 200]);
  });

  it("copying a result into a row of a buffer (an RNN-style loop)", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const out = torch.zeros(3, 2);
    for (let t = 0; t < 3; t++) out.index(t).copy_(w.mul(t + 1));
    expect(out.requires_grad).toBe(true);
    expect(list(out)).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    out.sum().backward();
    expect(list(w.grad)).toEqual([6, 6]);
  });

  it("copy_ into a tensor that does not require grad makes it part of the graph", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const buf = torch.zeros(2);
    buf.copy_(x.mul(3));
    expect(buf.requires_grad).toBe(true);
    buf.sum().backward();
    expect(list(x.grad)).toEqual([3, 3]);
  });
});

describe("gradients through views", () => {
  it("gradient of a view lands in the right places of the base", () => {
    const x = torch.zeros([2, 3], { requires_grad: true });
    x.index(1, "::2")
      .mul(torch.tensor([2, 3]))
      .sum()
      .backward();
    expect(list(x.grad)).toEqual([
      [0, 0, 0],
      [2, 0, 3],
    ]);
  });

  it("broadcast gradients are summed back to the input's shape", () => {
    const b = torch.tensor([1, 2, 3], { requires_grad: true });
    const x = torch.ones(4, 3);
    x.add(b).sum().backward();
    expect(list(b.grad)).toEqual([4, 4, 4]);
    const c = torch.tensor([[1], [2]], { requires_grad: true });
    torch.ones(3, 2, 4).mul(c).sum().backward();
    expect(list(c.grad)).toEqual([[12], [12]]);
  });

  it("a scalar loss from mean of softmax cross-entropy", () => {
    const logits = torch.tensor(
      [
        [2, 1, 0.1],
        [0.5, 2.5, 0.3],
      ],
      { requires_grad: true },
    );
    const target = torch.tensor([0n, 1n]);
    const loss = logits.log_softmax(1).gather(1, target.unsqueeze(1)).mean().neg();
    loss.backward();
    const p = logits.detach().softmax(1).tolistSync() as number[][];
    close((logits.grad as Tensor).reshape(-1), [
      (p[0][0] - 1) / 2,
      p[0][1] / 2,
      p[0][2] / 2,
      p[1][0] / 2,
      (p[1][1] - 1) / 2,
      p[1][2] / 2,
    ]);
  });
});
