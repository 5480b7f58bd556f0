/**
 * Finite-difference gradient checks for every differentiable op of the core.
 *
 * For f: inputs -> out and a random grad_out v, backward(v) must give, for every input element
 * x_j, d<f(x), v>/dx_j. We estimate that with central differences in float64 on the host
 * (perturbing one float32 element at a time), and compare with a relative tolerance.
 */
import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";

// ---------------------------------------------------------------- deterministic inputs

/** mulberry32: a small seeded PRNG, independent of the engine's own generator. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = prng(1234);

function numelOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Uniform in [lo, hi), kept at least `gap` away from every value in `kinks`. */
function sample(lo: number, hi: number, kinks: readonly number[] = [], gap = 0.05): number {
  for (;;) {
    const v = lo + (hi - lo) * rng();
    if (kinks.every((k) => Math.abs(v - k) >= gap)) return v;
  }
}

/** A leaf tensor requiring grad with values from `gen`. */
function leaf(shape: readonly number[], gen: () => number = () => sample(-2, 2)): Tensor {
  const data = Float32Array.from({ length: numelOf(shape) }, gen);
  return torch
    .tensor(data)
    .reshape([...shape])
    .detach()
    .requires_grad_(true);
}

/** Distinct values (for max/min and sort-like ops): a shuffled, spaced range plus noise. */
function distinct(shape: readonly number[]): Tensor {
  const n = numelOf(shape);
  const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.3 + 0.05 * rng());
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  return torch
    .tensor(Float32Array.from(vals))
    .reshape([...shape])
    .detach()
    .requires_grad_(true);
}

const pos = () => sample(0.5, 2);
const awayFromZero = () => sample(-2, 2, [0], 0.1);

// ---------------------------------------------------------------- the checker

interface CheckOptions {
  eps?: number;
  rtol?: number;
  atol?: number;
}

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.detach().contiguous().dataSync());
}

/** <f(inputs), v> in float64, with autograd off. */
function dotWith(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], v: Float64Array): number {
  return torch.no_grad(() => {
    const out = values(fn(...inputs));
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i] * v[i];
    return s;
  });
}

function gradcheck(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: CheckOptions = {},
): void {
  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 1e-2;
  const atol = opts.atol ?? 1e-3;
  for (const x of inputs) x.grad = null;
  const out = fn(...inputs);
  expect(out.requires_grad).toBe(true);
  const v = Float64Array.from({ length: out.numel() }, () => sample(-1, 1));
  out.backward(torch.tensor(Float32Array.from(v)).reshape([...out.shape]));
  inputs.forEach((x, k) => {
    expect(x.grad, `input ${k} got no gradient`).not.toBeNull();
    const grad = x.grad as Tensor;
    expect(grad.shape).toEqual(x.shape);
    const analytic = values(grad);
    const base = Float32Array.from(x.detach().contiguous().dataSync());
    const numeric = new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const probe = (delta: number): [number, number] => {
        const data = base.slice();
        data[j] = base[j] + delta;
        const moved = torch.tensor(data).reshape([...x.shape]);
        const args = inputs.map((y, i) => (i === k ? moved : y.detach()));
        return [dotWith(fn, args, v), data[j]];
      };
      const [fp, xp] = probe(eps);
      const [fm, xm] = probe(-eps);
      numeric[j] = (fp - fm) / (xp - xm);
    }
    let scale = 0;
    for (const n of numeric) scale = Math.max(scale, Math.abs(n));
    for (let j = 0; j < base.length; j++) {
      const tol = atol + rtol * Math.max(Math.abs(numeric[j]), 0.1 * scale);
      if (!(Math.abs(analytic[j] - numeric[j]) <= tol)) {
        throw new Error(
          `gradient of input ${k} [flat ${j}] differs: analytic ${analytic[j]} vs numeric ${numeric[j]}\n` +
            `analytic: ${Array.from(analytic).map((a) => a.toFixed(4))}\n` +
            `numeric:  ${Array.from(numeric).map((a) => a.toFixed(4))}`,
        );
      }
    }
  });
}

// ---------------------------------------------------------------- unary ops

describe("gradcheck: unary", () => {
  const cases: [string, (x: Tensor) => Tensor, () => number][] = [
    ["neg", (x) => x.neg(), () => sample(-2, 2)],
    ["exp", (x) => x.exp(), () => sample(-2, 2)],
    ["log", (x) => x.log(), pos],
    ["sqrt", (x) => x.sqrt(), pos],
    ["rsqrt", (x) => x.rsqrt(), pos],
    ["abs", (x) => x.abs(), awayFromZero],
    ["tanh", (x) => x.tanh(), () => sample(-2, 2)],
    ["sigmoid", (x) => x.sigmoid(), () => sample(-3, 3)],
    ["relu", (x) => x.relu(), awayFromZero],
    ["leaky_relu", (x) => x.leaky_relu(0.1), awayFromZero],
    ["gelu", (x) => x.gelu(), () => sample(-3, 3)],
    ["erf", (x) => x.erf(), () => sample(-2, 2)],
    ["clamp(min,max)", (x) => x.clamp(-0.5, 0.7), () => sample(-2, 2, [-0.5, 0.7])],
    ["clamp({min})", (x) => x.clamp({ min: 0.2 }), () => sample(-2, 2, [0.2])],
    ["clamp({max})", (x) => x.clamp({ max: -0.3 }), () => sample(-2, 2, [-0.3])],
    ["pow(3)", (x) => x.pow(3), () => sample(-2, 2)],
    ["pow(2.5)", (x) => x.pow(2.5), pos],
    ["pow(-1.5)", (x) => x.pow(-1.5), pos],
    ["pow(0)", (x) => x.pow(0), () => sample(-2, 2)],
    ["square", (x) => x.square(), () => sample(-2, 2)],
    ["reciprocal", (x) => x.reciprocal(), () => sample(0.5, 2) * (rng() < 0.5 ? -1 : 1)],
    ["sin", (x) => x.sin(), () => sample(-3, 3)],
    ["cos", (x) => x.cos(), () => sample(-3, 3)],
  ];
  for (const [name, f, gen] of cases) {
    it(name, () => {
      gradcheck(f, [leaf([3, 4], gen)]);
    });
  }

  it("composite unary chains", () => {
    gradcheck((x) => x.sigmoid().mul(x.tanh()).exp().log().sqrt(), [leaf([5], pos)]);
  });

  it("non-contiguous input", () => {
    gradcheck((x) => x.t().exp().mul(x.t().sin()), [leaf([3, 4])]);
  });
});

// ---------------------------------------------------------------- binary ops with broadcasting

describe("gradcheck: binary with broadcasting", () => {
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [
      [3, 1],
      [1, 4],
    ],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[4], [2, 3, 4]],
    [[], [2, 3]],
    [
      [2, 1, 3],
      [2, 4, 1],
    ],
  ];
  const ops: [string, (a: Tensor, b: Tensor) => Tensor, () => number, () => number][] = [
    ["add", (a, b) => a.add(b), () => sample(-2, 2), () => sample(-2, 2)],
    ["add alpha", (a, b) => a.add(b, { alpha: -2.5 }), () => sample(-2, 2), () => sample(-2, 2)],
    ["sub", (a, b) => a.sub(b), () => sample(-2, 2), () => sample(-2, 2)],
    ["sub alpha", (a, b) => a.sub(b, { alpha: 3 }), () => sample(-2, 2), () => sample(-2, 2)],
    ["mul", (a, b) => a.mul(b), () => sample(-2, 2), () => sample(-2, 2)],
    ["div", (a, b) => a.div(b), () => sample(-2, 2), awayFromZero],
    ["pow", (a, b) => a.pow(b), pos, () => sample(-2, 2)],
  ];
  for (const [name, f, ga, gb] of ops) {
    for (const [sa, sb] of shapes) {
      it(`${name} [${sa}] x [${sb}]`, () => {
        gradcheck(f, [leaf(sa, ga), leaf(sb, gb)]);
      });
    }
  }

  for (const [sa, sb] of shapes) {
    it(`maximum / minimum [${sa}] x [${sb}]`, () => {
      // Values on a grid offset between a and b, so a and b never tie or come close.
      const a = leaf(sa, () => Math.round(sample(-4, 4)) * 0.5);
      const b = leaf(sb, () => Math.round(sample(-4, 4)) * 0.5 + 0.25);
      gradcheck((x, y) => x.maximum(y), [a, b]);
      gradcheck((x, y) => x.minimum(y), [a, b]);
      gradcheck((x, y) => torch.max(x, y).mul(torch.min(x, y)), [a, b]);
    });
  }

  it("maximum ties split the gradient evenly (as PyTorch)", () => {
    const a = torch.tensor([1, 2, 3], { requires_grad: true });
    const b = torch.tensor([1, 0, 5], { requires_grad: true });
    a.maximum(b).sum().backward();
    expect(a.grad?.tolistSync()).toEqual([0.5, 1, 0]);
    expect(b.grad?.tolistSync()).toEqual([0.5, 0, 1]);
  });

  it("tensor op scalar and scalar op tensor", () => {
    gradcheck((x) => x.add(2).mul(-3).sub(0.5).div(1.5), [leaf([2, 3])]);
    gradcheck((x) => torch.sub(1, x).mul(torch.div(2, x)), [leaf([2, 3], awayFromZero)]);
    gradcheck((x) => torch.pow(2, x), [leaf([4])]);
  });

  it("the same tensor on both sides", () => {
    gradcheck((x) => x.mul(x).add(x.div(x.abs().add(1))), [leaf([3, 2])]);
  });

  it("where with broadcasting (condition, input and other)", () => {
    const cond = torch.tensor([
      [true, false, true, false],
      [false, false, true, true],
      [true, true, false, false],
    ]);
    gradcheck((a, b) => torch.where(cond, a, b), [leaf([3, 4]), leaf([4])]);
    gradcheck((a, b) => torch.where(cond, a, b), [leaf([1, 4]), leaf([3, 1])]);
    gradcheck((a) => torch.where(cond, a, 0.5), [leaf([3, 4])]);
    gradcheck((a) => torch.where(cond, 2, a), [leaf([4])]);
    gradcheck((a) => a.masked_fill(cond, -1), [leaf([3, 4])]);
    gradcheck((a, b) => a.where(cond.logical_not(), b), [leaf([3, 4]), leaf([3, 4])]);
  });
});

// ---------------------------------------------------------------- reductions

describe("gradcheck: reductions", () => {
  const dimCases: [string, { dim?: number | number[] | null; keepdim?: boolean }][] = [
    ["all", {}],
    ["dim 0", { dim: 0 }],
    ["dim 1 keepdim", { dim: 1, keepdim: true }],
    ["dim -1", { dim: -1 }],
    ["dims [0, 2]", { dim: [0, 2] }],
    ["dims [-1, 0] keepdim", { dim: [-1, 0], keepdim: true }],
  ];
  for (const [label, o] of dimCases) {
    it(`sum / mean ${label}`, () => {
      gradcheck((x) => x.sum(o), [leaf([2, 3, 4])]);
      gradcheck((x) => x.mean(o), [leaf([2, 3, 4])]);
    });
    it(`var / std ${label}`, () => {
      gradcheck((x) => x.var(o), [leaf([2, 3, 4])]);
      gradcheck((x) => x.std(o), [leaf([2, 3, 4])]);
      gradcheck((x) => x.var({ ...o, correction: 0 }), [leaf([2, 3, 4])]);
      gradcheck((x) => x.std({ ...o, unbiased: false }), [leaf([2, 3, 4])]);
    });
    it(`amax / amin ${label}`, () => {
      gradcheck((x) => x.amax(o), [distinct([2, 3, 4])]);
      gradcheck((x) => x.amin(o), [distinct([2, 3, 4])]);
    });
    it(`logsumexp ${label}`, () => {
      if (o.dim === undefined) return; // logsumexp requires dim
      gradcheck(
        (x) => x.logsumexp(o.dim as number | number[], o.keepdim ?? false),
        [leaf([2, 3, 4])],
      );
    });
  }

  it("positional dim/keepdim", () => {
    gradcheck((x) => x.sum(1, true).mul(x.mean(-1, true)), [leaf([3, 4])]);
    gradcheck((x) => x.var(0, true, true), [leaf([3, 4])]);
    gradcheck((x) => x.logsumexp(-2), [leaf([3, 4])]);
  });

  it("max / min: full and along a dim (values)", () => {
    gradcheck((x) => x.max(), [distinct([3, 4])]);
    gradcheck((x) => x.min(), [distinct([3, 4])]);
    gradcheck((x) => x.max(1).values, [distinct([3, 4])]);
    gradcheck((x) => x.min(0, true).values, [distinct([3, 4])]);
    gradcheck((x) => x.max(-1, { keepdim: true }).values, [distinct([2, 3, 4])]);
  });

  it("max(dim) sends the gradient to the returned index only; amax splits ties", () => {
    const x = torch.tensor([[1, 3, 3]], { requires_grad: true });
    x.max(1).values.sum().backward();
    expect(x.grad?.tolistSync()).toEqual([[0, 1, 0]]);
    const y = torch.tensor([[1, 3, 3]], { requires_grad: true });
    y.amax(1).sum().backward();
    expect(y.grad?.tolistSync()).toEqual([[0, 0.5, 0.5]]);
  });

  it("prod: full and along a dim", () => {
    gradcheck((x) => x.prod(), [leaf([2, 3], awayFromZero)]);
    gradcheck((x) => x.prod(1), [leaf([2, 3], awayFromZero)]);
    gradcheck((x) => x.prod(0, true), [leaf([3, 2], awayFromZero)]);
  });

  it("prod with zeros in the slice (PyTorch's rule: only a lone zero gets a gradient)", () => {
    const x = torch.tensor(
      [
        [2, 0, 3],
        [0, 0, 5],
        [1, 2, 4],
      ],
      { requires_grad: true },
    );
    x.prod(1).sum().backward();
    expect(x.grad?.tolistSync()).toEqual([
      [0, 6, 0],
      [0, 0, 0],
      [8, 4, 2],
    ]);
    const y = torch.tensor([0, 2, 3], { requires_grad: true });
    y.prod().backward();
    expect(y.grad?.tolistSync()).toEqual([6, 0, 0]);
  });

  it("logsumexp of large values stays finite", () => {
    gradcheck((x) => x.mul(100).logsumexp(1), [leaf([2, 3])], {
      rtol: 2e-2,
      atol: 1e-2,
      eps: 1e-3,
    });
  });

  it("0-d input", () => {
    gradcheck((x) => x.sum(), [leaf([])]);
    gradcheck((x) => x.mean().mul(x.amax()), [leaf([])]);
  });
});

describe("gradcheck: softmax / log_softmax", () => {
  for (const dim of [0, 1, 2, -1, -2, -3]) {
    it(`dim ${dim}`, () => {
      gradcheck((x) => x.softmax(dim), [leaf([2, 3, 4])]);
      gradcheck((x) => x.log_softmax(dim), [leaf([2, 3, 4])]);
      gradcheck((x) => torch.softmax(x, { dim }), [leaf([2, 3, 4])]);
    });
  }
  it("on a non-contiguous view", () => {
    gradcheck((x) => x.t().log_softmax(1), [leaf([4, 3])]);
  });
});

// ---------------------------------------------------------------- matmul

describe("gradcheck: matmul", () => {
  const cases: [string, number[], number[]][] = [
    ["1-D . 1-D", [4], [4]],
    ["2-D x 2-D", [3, 4], [4, 5]],
    ["1-D x 2-D", [4], [4, 5]],
    ["2-D x 1-D", [3, 4], [4]],
    ["batched", [2, 3, 4], [2, 4, 5]],
    ["broadcast batch (3-D x 2-D)", [2, 3, 4], [4, 5]],
    ["broadcast batch (2-D x 3-D)", [3, 4], [2, 4, 5]],
    ["broadcast batch dims", [2, 1, 3, 4], [3, 4, 2]],
    ["1-D x batched", [4], [2, 4, 3]],
    ["batched x 1-D", [2, 3, 4], [4]],
    ["k = 1", [3, 1], [1, 2]],
    ["m = n = 1", [1, 4], [4, 1]],
  ];
  for (const [label, sa, sb] of cases) {
    it(label, () => {
      gradcheck((a, b) => a.matmul(b), [leaf(sa), leaf(sb)]);
    });
  }
  it("transposed-view operands", () => {
    gradcheck((a, b) => a.t().matmul(b), [leaf([4, 3]), leaf([4, 5])]);
    gradcheck((a, b) => a.matmul(b.t()), [leaf([3, 4]), leaf([5, 4])]);
    gradcheck((a, b) => a.t().matmul(b.t()), [leaf([4, 3]), leaf([5, 4])]);
    gradcheck((a, b) => a.mT.matmul(b.transpose(1, 2)), [leaf([2, 4, 3]), leaf([2, 5, 4])]);
  });
  it("non-contiguous operands (slices, steps, permutes, expands)", () => {
    gradcheck((a, b) => a.index(":", "::2").matmul(b.index("1:")), [leaf([3, 8]), leaf([5, 2])]);
    gradcheck(
      (a, b) => a.index(1).matmul(b.permute(1, 0, 2).index(0)),
      [leaf([2, 3, 4]), leaf([4, 2, 5])],
    );
    gradcheck((a, b) => a.expand(2, 3, 4).matmul(b), [leaf([1, 3, 4]), leaf([2, 4, 5])]);
    gradcheck((a, b) => a.unsqueeze(0).expand(3, 2, 4).matmul(b), [leaf([2, 4]), leaf([4, 3])]);
    gradcheck((a, b) => a.index("1:3").matmul(b), [leaf([4, 4]), leaf([4, 2])]);
    gradcheck((a, b) => a.permute(2, 0, 1).matmul(b), [leaf([3, 4, 2]), leaf([4, 3])]);
  });
  it("mm / bmm / dot / torch.matmul", () => {
    gradcheck((a, b) => a.mm(b), [leaf([2, 3]), leaf([3, 2])]);
    gradcheck((a, b) => a.bmm(b), [leaf([2, 2, 3]), leaf([2, 3, 2])]);
    gradcheck((a, b) => a.dot(b), [leaf([5]), leaf([5])]);
    gradcheck((a, b) => torch.matmul(a, b), [leaf([3]), leaf([3, 2])]);
  });
  it("a tensor times itself", () => {
    gradcheck((a) => a.matmul(a), [leaf([3, 3])]);
    gradcheck((a) => a.matmul(a.t()), [leaf([3, 4])]);
  });
});

// ---------------------------------------------------------------- shapes and views

describe("gradcheck: shape ops", () => {
  it("reshape / view of non-contiguous tensors (views where possible)", () => {
    gradcheck((x) => x.t().view(4, 3), [leaf([3, 4])]);
    gradcheck((x) => x.t().reshape(2, 2, 3), [leaf([3, 4])]);
    gradcheck((x) => x.permute(1, 0, 2).reshape(3, 8), [leaf([2, 3, 4])]);
    gradcheck((x) => x.index(":", "::2").reshape(-1), [leaf([3, 4])]);
    gradcheck((x) => x.expand(2, 3, 4).reshape(6, 4), [leaf([3, 4])]);
  });
  it("reshape / view / flatten / unflatten", () => {
    gradcheck((x) => x.reshape(4, 6), [leaf([2, 3, 4])]);
    gradcheck((x) => x.reshape([-1, 2]), [leaf([2, 3, 4])]);
    gradcheck((x) => x.view(6, 4), [leaf([2, 3, 4])]);
    gradcheck((x) => x.t().reshape(-1), [leaf([3, 4])]);
    gradcheck((x) => x.flatten(), [leaf([2, 3, 4])]);
    gradcheck((x) => x.flatten(1), [leaf([2, 3, 4])]);
    gradcheck((x) => x.flatten({ start_dim: 0, end_dim: 1 }), [leaf([2, 3, 4])]);
    gradcheck((x) => x.unflatten(1, [2, 2]), [leaf([3, 4])]);
    gradcheck((x) => x.view_as(torch.zeros(4, 3)), [leaf([3, 4])]);
  });
  it("permute / transpose / t / T / mT", () => {
    gradcheck((x) => x.permute(2, 0, 1), [leaf([2, 3, 4])]);
    gradcheck((x) => x.permute([1, 2, 0]).mul(torch.arange(2).float()), [leaf([2, 3, 4])]);
    gradcheck((x) => x.transpose(0, 2), [leaf([2, 3, 4])]);
    gradcheck((x) => x.transpose(-1, -2), [leaf([2, 3, 4])]);
    gradcheck((x) => x.t(), [leaf([3, 4])]);
    gradcheck((x) => x.t(), [leaf([4])]);
    gradcheck((x) => x.T, [leaf([2, 3, 4])]);
    gradcheck((x) => x.mT, [leaf([2, 3, 4])]);
  });
  it("squeeze / unsqueeze", () => {
    gradcheck((x) => x.squeeze(), [leaf([1, 3, 1, 2])]);
    gradcheck((x) => x.squeeze(2), [leaf([1, 3, 1, 2])]);
    gradcheck((x) => x.squeeze([0, -2]), [leaf([1, 3, 1, 2])]);
    gradcheck((x) => x.unsqueeze(0), [leaf([3, 2])]);
    gradcheck((x) => x.unsqueeze(-1), [leaf([3, 2])]);
    gradcheck((x) => x.unsqueeze(1).mul(x.unsqueeze(0)), [leaf([3])]);
  });
  it("expand / expand_as / repeat", () => {
    gradcheck((x) => x.expand(2, 3, 4), [leaf([3, 1])]);
    gradcheck((x) => x.expand(-1, 5), [leaf([3, 1])]);
    gradcheck((x) => x.expand_as(torch.zeros(2, 4)), [leaf([4])]);
    gradcheck((x) => x.repeat(2, 3), [leaf([2, 3])]);
    gradcheck((x) => x.repeat(2, 1, 2), [leaf([3])]);
    gradcheck((x) => x.t().repeat(1, 2), [leaf([2, 3])]);
  });
  it("clone / contiguous / to(dtype)", () => {
    gradcheck((x) => x.clone(), [leaf([2, 3])]);
    gradcheck((x) => x.t().contiguous(), [leaf([2, 3])]);
    gradcheck((x) => x.contiguous(), [leaf([2, 3])]);
    gradcheck((x) => x.to("float32").mul(2), [leaf([2, 3])]);
    gradcheck((x) => x.to({ dtype: torch.float32 }), [leaf([2, 3])]);
    gradcheck((x) => torch.clone(x.index(1)), [leaf([2, 3])]);
  });
  it("to(int64) and back cuts the graph (integers carry no gradient)", () => {
    const x = leaf([3]);
    const y = x.to("int64");
    expect(y.requires_grad).toBe(false);
    expect(y.to("float32").requires_grad).toBe(false);
    const z = x.mul(2).to("int64").to("float32").add(x);
    expect(z.requires_grad).toBe(true);
  });
});

// ---------------------------------------------------------------- indexing

describe("gradcheck: indexing", () => {
  it("ints, negative ints, slices with steps", () => {
    gradcheck((x) => x.index(1), [leaf([3, 4])]);
    gradcheck((x) => x.index(-1), [leaf([3, 4])]);
    gradcheck((x) => x.index(":", 2), [leaf([3, 4])]);
    gradcheck((x) => x.index(1, -2), [leaf([3, 4])]);
    gradcheck((x) => x.index("1:3"), [leaf([4, 4])]);
    gradcheck((x) => x.index("::2"), [leaf([5, 2])]);
    gradcheck((x) => x.index("1::2", "-3:"), [leaf([6, 4])]);
    gradcheck((x) => x.index(":", "::3"), [leaf([2, 7])]);
    gradcheck((x) => x.index("-2:", ":-1"), [leaf([4, 4])]);
    gradcheck((x) => x.index("1:5:2", 0, ":"), [leaf([6, 2, 3])]);
  });
  it("ellipsis and new axes", () => {
    gradcheck((x) => x.index("...", 1), [leaf([2, 3, 4])]);
    gradcheck((x) => x.index(0, "..."), [leaf([2, 3, 4])]);
    gradcheck((x) => x.index(1, "...", "1:"), [leaf([2, 3, 4])]);
    gradcheck((x) => x.index(null, ":", null), [leaf([3, 2])]);
    gradcheck((x) => x.index("...", null), [leaf([3, 2])]);
    gradcheck((x) => x.index(null, 1), [leaf([3, 2])]);
  });
  it("slices of slices (views of views)", () => {
    gradcheck((x) => x.index("1:").index(":", "::2").index(0), [leaf([3, 5])]);
    gradcheck((x) => x.t().index(1), [leaf([3, 5])]);
  });
  it("int64 tensor index: negative and repeated indices accumulate", () => {
    const idx = torch.tensor([2n, 0n, -1n, 2n, 2n]);
    gradcheck((x) => x.index(idx), [leaf([4, 3])]);
    gradcheck((x) => x.index(":", idx), [leaf([2, 4])]);
    gradcheck((x) => x.index(null, idx), [leaf([4, 3])]);
    gradcheck((x) => x.index(1, idx), [leaf([2, 4])]);
    gradcheck((x) => x.index("...", idx), [leaf([2, 3, 4])]);
    gradcheck((x) => x.t().index(idx.index("0:3")), [leaf([3, 4])]);
    const idx2 = torch.tensor([
      [0n, 1n],
      [1n, -3n],
    ]);
    gradcheck((x) => x.index(idx2), [leaf([3, 2])]);
  });
  it("repeated indices accumulate exactly", () => {
    const x = torch.zeros(3, { requires_grad: true });
    x.index(torch.tensor([1n, 1n, 1n, -1n]))
      .sum()
      .backward();
    expect(x.grad?.tolistSync()).toEqual([0, 3, 1]);
  });
  it("narrow / select / unbind", () => {
    gradcheck((x) => x.narrow(1, 1, 2), [leaf([3, 4])]);
    gradcheck((x) => x.narrow(0, -2, 2), [leaf([3, 4])]);
    gradcheck((x) => x.select(1, -1), [leaf([3, 4])]);
    gradcheck((x) => x.select(0, 2), [leaf([3, 4])]);
    gradcheck(
      (x) => {
        const [a, b, c] = x.unbind(1);
        return a.mul(b).sub(c);
      },
      [leaf([2, 3])],
    );
  });
  it("split into given sizes", () => {
    gradcheck(
      (x) => {
        const [a, b] = x.split([1, 3], 1);
        return a.mul(b.sum(1, true));
      },
      [leaf([2, 4])],
    );
  });
  it("split / chunk (gradients flow to all pieces)", () => {
    gradcheck(
      (x) => {
        const parts = x.split(2, 1);
        return parts[0].sum(1).add(parts[1].mul(2).sum(1)).add(parts[2].sum(1));
      },
      [leaf([3, 5])],
    );
    gradcheck(
      (x) => {
        const [a, b] = x.chunk(2);
        return a.mul(b);
      },
      [leaf([4, 3])],
    );
    gradcheck((x) => x.chunk(3, -1)[1], [leaf([2, 7])]);
    gradcheck((x) => torch.split(x, 1)[2], [leaf([3, 2])]);
  });
  it("index_select with negative and repeated indices", () => {
    const idx = torch.tensor([1n, 1n, 0n, 3n]);
    gradcheck((x) => x.index_select(0, idx), [leaf([4, 3])]);
    gradcheck((x) => x.index_select(1, idx), [leaf([2, 4])]);
    gradcheck((x) => x.index_select(-1, torch.tensor([-1n, 0n])), [leaf([2, 3])]);
    gradcheck((x) => x.t().index_select(0, idx), [leaf([3, 4])]);
    gradcheck((x) => torch.index_select(x, 1, torch.tensor([2n])), [leaf([2, 3, 4])]);
  });
  it("gather", () => {
    const idx = torch.tensor([
      [0n, 2n, 2n],
      [1n, 1n, 0n],
    ]);
    gradcheck((x) => x.gather(1, idx), [leaf([2, 3])]);
    gradcheck((x) => x.gather(0, torch.tensor([[1n, 0n, 1n]])), [leaf([2, 3])]);
    gradcheck((x) => x.t().gather(1, torch.tensor([[0n], [1n], [1n]])), [leaf([2, 3])]);
    gradcheck(
      (x) => torch.gather(x, -1, torch.tensor([[[3n, 3n]], [[0n, 1n]]])),
      [leaf([2, 1, 4])],
    );
  });
});

// ---------------------------------------------------------------- joining

describe("gradcheck: cat / stack", () => {
  it("cat along each dim", () => {
    gradcheck((a, b) => torch.cat([a, b]), [leaf([2, 3]), leaf([1, 3])]);
    gradcheck((a, b) => torch.cat([a, b], 1), [leaf([2, 3]), leaf([2, 1])]);
    gradcheck((a, b) => torch.cat([a, b, a], -1), [leaf([2, 3]), leaf([2, 2])]);
    gradcheck((a, b) => torch.cat([a.t(), b], { dim: 0 }), [leaf([3, 2]), leaf([1, 3])]);
  });
  it("cat with an input that needs no grad", () => {
    const c = torch.ones(2, 3);
    gradcheck((a) => torch.cat([c, a, c]), [leaf([1, 3])]);
  });
  it("stack along each dim", () => {
    for (const d of [0, 1, 2, -1]) {
      gradcheck((a, b) => torch.stack([a, b], d), [leaf([2, 3]), leaf([2, 3])]);
    }
    gradcheck((a) => torch.stack([a, a.mul(2), a.t().t()]), [leaf([2, 3])]);
  });
});

// ---------------------------------------------------------------- a realistic composite

describe("gradcheck: composites", () => {
  it("a two-layer MLP with cross-entropy", () => {
    const target = torch.tensor([1n, 0n, 2n, 1n]);
    gradcheck(
      (x, w1, b1, w2) => {
        const h = x.matmul(w1.t()).add(b1).relu();
        const logits = h.matmul(w2.t());
        return logits.log_softmax(1).gather(1, target.unsqueeze(1)).mean().neg();
      },
      [leaf([4, 5]), leaf([6, 5]), leaf([6]), leaf([3, 6])],
      { eps: 1e-3, atol: 2e-3 },
    );
  });
  it("layer-norm style normalisation", () => {
    gradcheck(
      (x) => {
        const mu = x.mean(-1, true);
        const v = x.var(-1, false, true);
        return x.sub(mu).div(v.add(1e-5).sqrt());
      },
      [leaf([3, 5])],
    );
  });
});
