import { describe, expect, it } from "vitest";
import * as torch from "../src/index.js";

const f32 = (v: number) => Math.fround(v);

function expectClose(actual: unknown, expected: unknown, tol = 1e-6): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    const a = actual as unknown[];
    expect(a.length).toBe(expected.length);
    expected.forEach((e, i) => {
      expectClose(a[i], e, tol);
    });
    return;
  }
  expect(typeof actual).toBe("number");
  expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(tol);
}

describe("torch.tensor", () => {
  it("from nested arrays of numbers: float32", async () => {
    const t = torch.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.dtype).toBe("float32");
    expect(t.shape).toEqual([2, 3]);
    expect(await t.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.tolistSync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("from a number: a 0-d tensor", async () => {
    const t = torch.tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.dim()).toBe(0);
    expect(t.numel()).toBe(1);
    expect(await t.item()).toBe(2.5);
    expect(t.itemSync()).toBe(2.5);
    expect(t.tolistSync()).toBe(2.5);
  });

  it("float values round to float32", () => {
    expect(torch.tensor([0.1]).tolistSync()).toEqual([f32(0.1)]);
  });

  it("bigints make int64", () => {
    const t = torch.tensor([1n, -2n, 3n]);
    expect(t.dtype).toBe("int64");
    expect(t.tolistSync()).toEqual([1, -2, 3]);
    expect(torch.tensor(7n).dtype).toBe("int64");
    expect(torch.tensor([[1n], [2n]]).shape).toEqual([2, 1]);
  });

  it("booleans make bool", () => {
    const t = torch.tensor([true, false, true]);
    expect(t.dtype).toBe("bool");
    expect(t.tolistSync()).toEqual([true, false, true]);
    expect(torch.tensor(true).itemSync()).toBe(true);
  });

  it("mixed booleans and numbers make float32 (as PyTorch)", () => {
    const t = torch.tensor([true, 2.5]);
    expect(t.dtype).toBe("float32");
    expect(t.tolistSync()).toEqual([1, 2.5]);
  });

  it("typed arrays", () => {
    const a = torch.tensor(new Float32Array([1, 2.5]));
    expect(a.dtype).toBe("float32");
    expect(a.tolistSync()).toEqual([1, 2.5]);
    const b = torch.tensor(new Int32Array([1, -2]));
    expect(b.dtype).toBe("int64");
    expect(b.tolistSync()).toEqual([1, -2]);
    const c = torch.tensor(new Float64Array([0.5]));
    expect(c.dtype).toBe("float32");
    const d = torch.tensor(new BigInt64Array([5n, -6n]));
    expect(d.dtype).toBe("int64");
    expect(d.tolistSync()).toEqual([5, -6]);
  });

  it("the typed array is copied, not aliased", () => {
    const src = new Float32Array([1, 2]);
    const t = torch.tensor(src);
    src[0] = 100;
    expect(t.tolistSync()).toEqual([1, 2]);
    const d = t.dataSync();
    d[1] = 50;
    expect(t.tolistSync()).toEqual([1, 2]);
  });

  it("an explicit dtype wins", () => {
    const t = torch.tensor([1.7, -2.7], { dtype: torch.int64 });
    expect(t.dtype).toBe("int64");
    expect(t.tolistSync()).toEqual([1, -2]); // truncation toward zero, as PyTorch
    expect(torch.tensor([0, 2], { dtype: torch.bool }).tolistSync()).toEqual([false, true]);
    expect(torch.tensor([1n, 2n], { dtype: torch.float32 }).dtype).toBe("float32");
  });

  it("empty arrays", () => {
    expect(torch.tensor([]).shape).toEqual([0]);
    expect(torch.tensor([]).dtype).toBe("float32");
    expect(torch.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it("ragged arrays are an error", () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(
      "expected sequence of length 2 at dim 1 (got 1)",
    );
    expect(() => torch.tensor([[1, 2], 3] as never)).toThrow(/expected a sequence at dim 1/);
    expect(() => torch.tensor([1, [2, 3]] as never)).toThrow(/dim 1/);
    expect(() => torch.tensor([[1], [[2]]] as never)).toThrow(/dim 2/);
    expect(() => torch.tensor([1, "a"] as never)).toThrow(/Could not infer dtype of string/);
  });

  it("from another tensor: a detached copy", () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = torch.tensor(x);
    expect(y.requires_grad).toBe(false);
    torch.no_grad(() => y.add_(1));
    expect(x.tolistSync()).toEqual([1, 2]);
  });

  it("requires_grad option", () => {
    const t = torch.tensor([1, 2], { requires_grad: true });
    expect(t.requires_grad).toBe(true);
    expect(t.is_leaf).toBe(true);
  });
});

describe("factories", () => {
  it("zeros / ones / full / empty", () => {
    expect(torch.zeros(2, 3).tolistSync()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(torch.zeros([2]).dtype).toBe("float32");
    expect(torch.ones([2, 1], { dtype: torch.int64 }).tolistSync()).toEqual([[1], [1]]);
    expect(torch.ones(3, { dtype: torch.bool }).tolistSync()).toEqual([true, true, true]);
    expect(torch.full([2], 7).tolistSync()).toEqual([7, 7]);
    expect(torch.full([2], true).dtype).toBe("bool");
    expect(torch.zeros().shape).toEqual([]);
    expect(torch.empty(2, 2).shape).toEqual([2, 2]);
    expect(torch.zeros(0, 3).numel()).toBe(0);
    expect(() => torch.zeros(-1)).toThrow(/invalid size/);
    expect(torch.ones(2, { requires_grad: true }).requires_grad).toBe(true);
  });

  it("arange: integer arguments give int64, fractional float32", () => {
    const a = torch.arange(5);
    expect(a.dtype).toBe("int64");
    expect(a.tolistSync()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(2, 5).tolistSync()).toEqual([2, 3, 4]);
    expect(torch.arange(-1, -10, -3).tolistSync()).toEqual([-1, -4, -7]);
    const b = torch.arange(0, 1, 0.1);
    expect(b.dtype).toBe("float32");
    expect(b.tolistSync()).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map(f32));
    expect(torch.arange(1, 2.5, 0.5).tolistSync()).toEqual([1, 1.5, 2]);
    expect(torch.arange(3, { dtype: torch.float32 }).dtype).toBe("float32");
    expect(torch.arange(5, 2).numel()).toBe(0);
    expect(() => torch.arange(0, 5, 0)).toThrow(/step must be nonzero/);
  });

  it("linspace: exact endpoints and PyTorch's values", () => {
    const t = torch.linspace(0, 1, 7).tolistSync() as number[];
    expect(t).toEqual([
      0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666269302368, 0.8333333134651184, 1,
    ]);
    expect(torch.linspace(-3.3, 7.1, 11).tolistSync()).toEqual([
      -3.299999952316284, -2.259999990463257, -1.2200000286102295, -0.18000006675720215,
      0.8599998950958252, 1.9000000953674316, 2.940000057220459, 3.9800000190734863,
      5.019999980926514, 6.059999942779541, 7.099999904632568,
    ]);
    expect(torch.linspace(2, 3, 1).tolistSync()).toEqual([2]);
    expect(torch.linspace(2, 3, 0).shape).toEqual([0]);
    expect(torch.linspace(0, 1, 2).tolistSync()).toEqual([0, 1]);
  });

  it("eye", () => {
    expect(torch.eye(2).tolistSync()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(torch.eye(2, 3).tolistSync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(torch.eye(2, { dtype: torch.int64 }).dtype).toBe("int64");
  });

  it("*_like keep shape, dtype and device; options override", () => {
    const x = torch.arange(6).reshape(2, 3);
    const z = torch.zeros_like(x);
    expect(z.dtype).toBe("int64");
    expect(z.shape).toEqual([2, 3]);
    expect(torch.ones_like(x, { dtype: torch.float32 }).dtype).toBe("float32");
    expect(torch.full_like(x, 4).tolistSync()).toEqual([
      [4, 4, 4],
      [4, 4, 4],
    ]);
    expect(torch.empty_like(x).shape).toEqual([2, 3]);
    const f = torch.ones(2, 2);
    expect(torch.rand_like(f).shape).toEqual([2, 2]);
    expect(torch.randn_like(f).dtype).toBe("float32");
    const r = torch.zeros_like(f, { requires_grad: true });
    expect(r.requires_grad).toBe(true);
  });

  it("rand / randn / randint / randperm shapes, ranges, dtypes", () => {
    const r = torch.rand(3, 4);
    expect(r.shape).toEqual([3, 4]);
    expect(r.ge(0).all().itemSync()).toBe(true);
    expect(r.lt(1).all().itemSync()).toBe(true);
    expect(torch.randn([2, 2]).dtype).toBe("float32");
    const i = torch.randint(3, 7, [1000]);
    expect(i.dtype).toBe("int64");
    expect(i.min().itemSync()).toBe(3);
    expect(i.max().itemSync()).toBe(6);
    expect(torch.randint(5, [2, 2]).shape).toEqual([2, 2]);
    const p = torch.randperm(10);
    expect(p.dtype).toBe("int64");
    expect([...(p.tolistSync() as number[])].sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(torch.rand(2, { requires_grad: true }).requires_grad).toBe(true);
  });
});

describe("random number generation", () => {
  it("the same seed gives the same numbers; different seeds differ", () => {
    const draw = () => [
      torch.rand(5).tolistSync(),
      torch.randn(5).tolistSync(),
      torch.randint(0, 100, [5]).tolistSync(),
      torch.randperm(8).tolistSync(),
    ];
    torch.manual_seed(42);
    const a = draw();
    torch.manual_seed(42);
    const b = draw();
    torch.manual_seed(43);
    const c = draw();
    expect(b).toEqual(a);
    for (let k = 0; k < 4; k++) expect(c[k]).not.toEqual(a[k]);
    expect(torch.initial_seed()).toBe(43);
  });

  it("the stream is counter-based: rand(2,3) twice equals rand(4,3)", () => {
    torch.manual_seed(7);
    const a = torch.rand(2, 3);
    const b = torch.rand(2, 3);
    torch.manual_seed(7);
    const c = torch.rand(4, 3);
    expect(torch.cat([a, b]).tolistSync()).toEqual(c.tolistSync());
    torch.manual_seed(7);
    const d = torch.randn(3);
    const e = torch.randn(5);
    torch.manual_seed(7);
    expect(torch.randn(8).tolistSync()).toEqual(torch.cat([d, e]).tolistSync());
  });

  it("Generator objects have their own streams", () => {
    const g1 = new torch.Generator().manual_seed(1);
    const g2 = new torch.Generator().manual_seed(1);
    torch.manual_seed(99);
    const x = torch.rand(4, { generator: g1 });
    torch.rand(10); // the global stream does not disturb g2
    const y = torch.rand(4, { generator: g2 });
    expect(x.tolistSync()).toEqual(y.tolistSync());
    const state = g1.get_state();
    const n1 = torch.randn(3, { generator: g1 }).tolistSync();
    g1.set_state(state);
    expect(torch.randn(3, { generator: g1 }).tolistSync()).toEqual(n1);
  });

  it("randn has mean 0 and std 1; rand has mean 1/2 (1e5 samples)", () => {
    torch.manual_seed(0);
    const n = torch.randn(100000);
    expect(Math.abs(n.mean().itemSync())).toBeLessThan(0.01);
    expect(Math.abs(n.std().itemSync() - 1)).toBeLessThan(0.01);
    // tails: about 4.55% of samples beyond 2 sigma
    const tail = n.abs().gt(2).float().mean().itemSync();
    expect(Math.abs(tail - 0.0455)).toBeLessThan(0.004);
    const u = torch.rand(100000);
    expect(Math.abs(u.mean().itemSync() - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(u.var().itemSync() - 1 / 12)).toBeLessThan(0.002);
  });

  it("randint is uniform over its range", () => {
    torch.manual_seed(3);
    const r = torch.randint(0, 4, [40000]);
    for (let k = 0; k < 4; k++) {
      const frac = r.eq(k).float().mean().itemSync();
      expect(Math.abs(frac - 0.25)).toBeLessThan(0.01);
    }
  });

  it("in-place uniform_ / normal_ draw from the global stream", () => {
    torch.manual_seed(5);
    const a = torch.empty(4).uniform_(-1, 1);
    torch.manual_seed(5);
    const b = torch.rand(4).mul(2).sub(1);
    expectClose(a.tolistSync(), b.tolistSync(), 1e-6);
    torch.manual_seed(5);
    const c = torch.empty(4).normal_(1, 2);
    torch.manual_seed(5);
    const d = torch.randn(4).mul(2).add(1);
    expectClose(c.tolistSync(), d.tolistSync(), 1e-6);
  });
});

describe("dtype promotion", () => {
  it("int64 with float gives float32", () => {
    const i = torch.tensor([1n, 2n]);
    expect(i.add(torch.tensor([0.5])).dtype).toBe("float32");
    expect(i.add(torch.tensor([0.5])).tolistSync()).toEqual([1.5, 2.5]);
    expect(i.mul(2.5).dtype).toBe("float32");
    expect(i.mul(2).dtype).toBe("int64");
    expect(i.add(1).tolistSync()).toEqual([2, 3]);
  });

  it("int64 / int64 is true division (float32)", () => {
    const q = torch.tensor([1n, 2n, -7n]).div(torch.tensor([2n, 2n, 2n]));
    expect(q.dtype).toBe("float32");
    expect(q.tolistSync()).toEqual([0.5, 1, -3.5]);
    expect(torch.tensor([3n]).div(2).tolistSync()).toEqual([1.5]);
  });

  it("comparisons give bool", () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.gt(1).dtype).toBe("bool");
    expect(x.gt(1).tolistSync()).toEqual([false, true, true]);
    expect(x.eq(torch.tensor([1n, 0n, 3n])).tolistSync()).toEqual([true, false, true]);
    expect(torch.tensor([1n, 2n]).lt(1.5).tolistSync()).toEqual([true, false]);
    expect(x.le(2).logical_and(x.ge(2)).tolistSync()).toEqual([false, true, false]);
  });

  it("bool sum and bool arithmetic", () => {
    const b = torch.tensor([true, false, true]);
    expect(b.sum().dtype).toBe("int64");
    expect(b.sum().itemSync()).toBe(2);
    expect(b.add(1).dtype).toBe("int64");
    expect(b.add(1).tolistSync()).toEqual([2, 1, 2]);
    expect(b.float().tolistSync()).toEqual([1, 0, 1]);
    expect(b.add(b).dtype).toBe("bool");
    expect(b.add(b).tolistSync()).toEqual([true, false, true]);
    expect(b.mul(torch.tensor([true, true, false])).tolistSync()).toEqual([true, false, false]);
  });

  it("a scalar first argument takes PyTorch's dtype", () => {
    expect(torch.add(2, torch.tensor([1n])).dtype).toBe("int64");
    expect(torch.add(2.5, torch.tensor([1n])).dtype).toBe("float32");
    expect(torch.mul(true, torch.tensor([true])).dtype).toBe("bool");
    expect(torch.sub(10, torch.tensor([1n, 2n])).tolistSync()).toEqual([9, 8]);
  });

  it("masked_fill keeps the dtype", () => {
    const m = torch.tensor([true, false]);
    expect(torch.tensor([1n, 2n]).masked_fill(m, 0.5).dtype).toBe("int64");
    expect(torch.tensor([1n, 2n]).masked_fill(m, -1).tolistSync()).toEqual([-1, 2]);
    expect(torch.tensor([true, true]).masked_fill(m, false).tolistSync()).toEqual([false, true]);
  });

  it("int64 sum stays int64; mean of int64 is an error", () => {
    expect(torch.tensor([1n, 2n]).sum().dtype).toBe("int64");
    expect(() => torch.tensor([1n, 2n]).mean()).toThrow(/mean\(\): could not infer output dtype/);
  });

  it("unary float functions of ints give float32", () => {
    expect(torch.tensor([1n, 4n]).sqrt().tolistSync()).toEqual([1, 2]);
    expect(torch.tensor([0n]).exp().dtype).toBe("float32");
    expect(torch.tensor([-2n, 3n]).abs().tolistSync()).toEqual([2, 3]);
    expect(torch.tensor([-2n, 3n]).abs().dtype).toBe("int64");
    expect(torch.tensor([-2n, 3n]).neg().dtype).toBe("int64");
  });

  it("conversions", () => {
    const x = torch.tensor([1.7, -2.7, 0]);
    expect(x.long().tolistSync()).toEqual([1, -2, 0]);
    expect(x.int().dtype).toBe("int64");
    expect(x.bool().tolistSync()).toEqual([true, true, false]);
    expect(x.to("int64").dtype).toBe("int64");
    expect(x.to({ dtype: torch.bool }).dtype).toBe("bool");
    expect(torch.tensor([1n]).type_as(x).dtype).toBe("float32");
    expect(x.is_floating_point()).toBe(true);
    expect(x.long().is_floating_point()).toBe(false);
    expect(x.element_size()).toBe(4);
    expect(x.long().element_size()).toBe(8);
  });

  it("round is half to even", () => {
    expect(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]).round().tolistSync()).toEqual([
      0, 2, 2, -0, -2,
    ]);
  });
});

describe("broadcasting", () => {
  it("follows PyTorch's rules", () => {
    expect(torch.ones(3, 1).add(torch.ones(4)).shape).toEqual([3, 4]);
    expect(torch.ones(2, 1, 3).mul(torch.ones(4, 1)).shape).toEqual([2, 4, 3]);
    expect(torch.ones(0, 3).add(torch.ones(3)).shape).toEqual([0, 3]);
    expect(torch.ones(1).add(torch.ones([])).shape).toEqual([1]);
    expect(
      torch
        .tensor([[1], [2]])
        .add(torch.tensor([10, 20, 30]))
        .tolistSync(),
    ).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });

  it("mismatch names the sizes and the dimension", () => {
    expect(() => torch.ones(2, 3).add(torch.ones(4))).toThrow(
      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
    );
  });
});

describe("readback and properties", () => {
  it("size / numel / dim / ndim / shape", () => {
    const x = torch.zeros(2, 3, 4);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(1)).toBe(3);
    expect(x.size(-1)).toBe(4);
    expect(x.numel()).toBe(24);
    expect(x.dim()).toBe(3);
    expect(x.ndim).toBe(3);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(() => x.size(3)).toThrow(/Dimension out of range/);
    expect(x.device).toBe("js");
  });

  it("data / dataSync / item / tolist on views read the view's elements", async () => {
    const x = torch.arange(6).reshape(2, 3);
    const v = x.t();
    expect(Array.from(v.dataSync())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(await v.data())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(await v.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(await x.index(1, 2).item()).toBe(5);
    expect(x.index(1).dataSync()).toBeInstanceOf(Int32Array);
    expect(torch.tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
    expect(() => x.itemSync()).toThrow("a Tensor with 6 elements cannot be converted to Scalar");
  });

  it("item of a one-element tensor of any shape", () => {
    expect(torch.tensor([[3]]).itemSync()).toBe(3);
  });
});

describe("views share storage", () => {
  it("writing through x.index(0).copy_(...) changes x", () => {
    const x = torch.zeros(2, 3);
    torch.no_grad(() => x.index(0).copy_(torch.tensor([1, 2, 3])));
    expect(x.tolistSync()).toEqual([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    x.index(":", 1).fill_(9);
    expect(x.tolistSync()).toEqual([
      [1, 9, 3],
      [0, 9, 0],
    ]);
    x.index("...", "::2").mul_(2);
    expect(x.tolistSync()).toEqual([
      [2, 9, 6],
      [0, 9, 0],
    ]);
  });

  it("copy_ broadcasts and casts", () => {
    const x = torch.zeros(2, 3);
    x.copy_(torch.tensor([1n, 2n, 3n]));
    expect(x.tolistSync()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const i = torch.zeros([2], { dtype: torch.int64 });
    i.copy_(torch.tensor([1.9, -1.9]));
    expect(i.tolistSync()).toEqual([1, -1]);
  });

  it("the base sees writes to a view and the view sees writes to the base", () => {
    const x = torch.arange(6).reshape(2, 3);
    const v = x.t();
    const s = x.index(1);
    x.add_(10);
    expect(v.tolistSync()).toEqual([
      [10, 13],
      [11, 14],
      [12, 15],
    ]);
    expect(s.tolistSync()).toEqual([13, 14, 15]);
    v.index(0).zero_();
    expect(x.tolistSync()).toEqual([
      [0, 11, 12],
      [0, 14, 15],
    ]);
  });

  it("reshape / view / permute / expand / detach are views; clone is a copy", () => {
    const x = torch.zeros(2, 2);
    const views = [x.reshape(4), x.view(4), x.permute(1, 0), x.index(0).expand(3, 2), x.detach()];
    const c = x.clone();
    x.fill_(1);
    for (const v of views) expect(v.sum().itemSync()).toBeGreaterThan(0);
    expect(c.sum().itemSync()).toBe(0);
  });
});

describe("contiguous / view / reshape memory semantics (as PyTorch)", () => {
  it("contiguous() of a contiguous view is the view itself", () => {
    const x = torch.zeros(3, 4);
    const row = x.index(1);
    expect(row.is_contiguous()).toBe(true);
    expect(row.contiguous()).toBe(row);
    row.contiguous().fill_(1);
    expect(x.sum().itemSync()).toBe(4);
    const t = x.t();
    expect(t.is_contiguous()).toBe(false);
    const c = t.contiguous();
    expect(c).not.toBe(t);
    expect(c.is_contiguous()).toBe(true);
    c.fill_(5);
    expect(x.sum().itemSync()).toBe(4);
  });

  it("view works on non-contiguous tensors where the memory allows it", () => {
    const x = torch.arange(24).reshape(2, 3, 4);
    const p = x.permute(1, 0, 2); // [3, 2, 4]: the last dim is still contiguous
    const v = p.view(3, 2, 2, 2);
    expect(v.shape).toEqual([3, 2, 2, 2]);
    expect(v.tolistSync()).toEqual(p.reshape(3, 2, 2, 2).tolistSync());
    expect(torch.zeros(2, 3).t().view(3, 2).shape).toEqual([3, 2]);
    expect(torch.zeros(2, 3).t().view(3, 1, 2).shape).toEqual([3, 1, 2]);
    expect(() => p.view(6, 4)).toThrow(/view size is not compatible/);
  });

  it("reshape is a view when it can be, a copy when it must", () => {
    const x = torch.zeros(2, 3);
    const a = x.t().reshape(3, 1, 2); // a view: writes reach x
    a.fill_(1);
    expect(x.sum().itemSync()).toBe(6);
    const b = x.t().reshape(6); // needs a copy: writes don't reach x
    b.fill_(7);
    expect(x.sum().itemSync()).toBe(6);
  });

  it("detach() shares memory but writes into it never touch the original's graph", () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const y = w.mul(2);
    const d = y.detach();
    d.copy_(w.mul(10)); // d now holds a value computed from w, with its own graph
    expect(y.grad_fn?.name).toBe("MulBackward0");
    expect(d.grad_fn?.name).toBe("MulBackward0");
    expect(y.tolistSync()).toEqual([10, 20]); // same memory
  });
});

describe("indexing", () => {
  const x = torch.arange(12).reshape(3, 4).float();
  const x3 = torch.arange(24).reshape(2, 3, 4).float();

  it("ints, slices, steps, negative indices", () => {
    expect(x.index(1).tolistSync()).toEqual([4, 5, 6, 7]);
    expect(x.index(-1, -1).itemSync()).toBe(11);
    expect(x.index("::2", "1::2").tolistSync()).toEqual([
      [1, 3],
      [9, 11],
    ]);
    expect(x.index(":", "-2:").tolistSync()).toEqual([
      [2, 3],
      [6, 7],
      [10, 11],
    ]);
    expect(x.index("1:100").shape).toEqual([2, 4]);
    expect(x.index("3:").shape).toEqual([0, 4]);
    expect(x.index("2:1").shape).toEqual([0, 4]);
  });

  it("ellipsis and null", () => {
    expect(x3.index("...", 0).tolistSync()).toEqual([
      [0, 4, 8],
      [12, 16, 20],
    ]);
    expect(x3.index(1, "...").shape).toEqual([3, 4]);
    expect(x.index(null).shape).toEqual([1, 3, 4]);
    expect(x.index(":", null, 1).shape).toEqual([3, 1]);
    expect(x.index("...", null).shape).toEqual([3, 4, 1]);
  });

  it("int64 tensor indices (negative, repeated, 2-D, mixed with other indices)", () => {
    const idx = torch.tensor([2n, 0n, -1n, 2n]);
    expect(x.index(idx).tolistSync()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [8, 9, 10, 11],
    ]);
    const withNewAxis = x.index(null, idx);
    expect(withNewAxis.shape).toEqual([1, 4, 4]);
    expect(withNewAxis.tolistSync()).toEqual([x.index(idx).tolistSync()]);
    expect(x.index(":", torch.tensor([1n, -1n])).tolistSync()).toEqual([
      [1, 3],
      [5, 7],
      [9, 11],
    ]);
    expect(x3.index(1, torch.tensor([0n, 2n])).tolistSync()).toEqual([
      [12, 13, 14, 15],
      [20, 21, 22, 23],
    ]);
    expect(x3.index("...", torch.tensor([0n, 3n])).shape).toEqual([2, 3, 2]);
    expect(
      x.index(
        torch.tensor([
          [0n, 1n],
          [2n, -1n],
        ]),
      ).shape,
    ).toEqual([2, 2, 4]);
    expect(x3.index(torch.tensor([1n, 0n]), null).shape).toEqual([2, 1, 3, 4]);
    expect(x3.index(":", torch.tensor([2n, 0n]), "1:3").tolistSync()).toEqual([
      [
        [9, 10],
        [1, 2],
      ],
      [
        [21, 22],
        [13, 14],
      ],
    ]);
    expect(x.index(torch.tensor(1n)).tolistSync()).toEqual([4, 5, 6, 7]);
  });

  it("narrow / select / unbind / index_select / gather", () => {
    expect(x.narrow(1, 1, 2).tolistSync()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(x.select(1, -1).tolistSync()).toEqual([3, 7, 11]);
    expect(x.unbind(0).map((t) => t.tolistSync())).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(x.index_select(1, torch.tensor([3n, 0n])).tolistSync()).toEqual([
      [3, 0],
      [7, 4],
      [11, 8],
    ]);
    expect(
      x
        .gather(
          1,
          torch.tensor([
            [0n, 0n],
            [3n, 1n],
            [2n, 2n],
          ]),
        )
        .tolistSync(),
    ).toEqual([
      [0, 0],
      [7, 5],
      [10, 10],
    ]);
  });

  it("split into given sizes", () => {
    expect(
      torch
        .arange(5)
        .split([2, 3])
        .map((t) => t.tolistSync()),
    ).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    expect(torch.split(x, [1, 1, 2], 1).map((t) => t.shape)).toEqual([
      [3, 1],
      [3, 1],
      [3, 2],
    ]);
    expect(() => torch.arange(5).split([2, 2])).toThrow(
      "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split_sizes=[2, 2]",
    );
  });

  it("chunk and split", () => {
    const a = torch.arange(5);
    expect(a.chunk(3).map((t) => t.tolistSync())).toEqual([[0, 1], [2, 3], [4]]);
    expect(
      torch
        .arange(6)
        .chunk(4)
        .map((t) => t.tolistSync()),
    ).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(a.split(2).map((t) => t.tolistSync())).toEqual([[0, 1], [2, 3], [4]]);
    expect(x.split(3, 1).map((t) => t.shape)).toEqual([
      [3, 3],
      [3, 1],
    ]);
    expect(x.chunk(2, -1).map((t) => t.shape)).toEqual([
      [3, 2],
      [3, 2],
    ]);
    expect(torch.chunk(x, 3).length).toBe(3);
  });
});

describe("reductions", () => {
  const m = torch.tensor([
    [1, 5, 2],
    [7, 0, 7],
  ]);

  it("max / min with dim return { values, indices }", () => {
    const r = m.max(1);
    expect(r.values.tolistSync()).toEqual([5, 7]);
    expect(r.indices.tolistSync()).toEqual([1, 0]);
    expect(r.indices.dtype).toBe("int64");
    const k = m.min(0, true);
    expect(k.values.tolistSync()).toEqual([[1, 0, 2]]);
    expect(k.indices.tolistSync()).toEqual([[0, 1, 0]]);
    const t = torch.max(m, 1);
    expect(t.indices.tolistSync()).toEqual([1, 0]);
    expect(m.max().itemSync()).toBe(7);
    expect(torch.min(m).itemSync()).toBe(0);
    expect(m.max(torch.full([3], 4)).tolistSync()).toEqual([
      [4, 5, 4],
      [7, 4, 7],
    ]);
  });

  it("argmax / argmin over all dims give the flattened index", () => {
    expect(m.argmax().itemSync()).toBe(3);
    expect(m.argmin().itemSync()).toBe(4);
    expect(m.argmax().shape).toEqual([]);
    expect(m.argmax({ keepdim: true }).shape).toEqual([1, 1]);
    expect(
      torch
        .tensor([
          [1, 5, 2],
          [7, 0, 9],
        ])
        .argmax(0)
        .tolistSync(),
    ).toEqual([1, 0, 1]);
    expect(m.argmax(-1, true).tolistSync()).toEqual([[1], [0]]);
  });

  it("sum / mean / var / std / prod / amax / logsumexp values", () => {
    expect(m.sum().itemSync()).toBe(22);
    expect(m.sum(0).tolistSync()).toEqual([8, 5, 9]);
    expect(m.sum(1, true).tolistSync()).toEqual([[8], [14]]);
    expect(m.sum([0, 1]).itemSync()).toBe(22);
    expect(m.sum({ dim: -1, keepdim: false }).tolistSync()).toEqual([8, 14]);
    expectClose(m.mean(1).tolistSync(), [8 / 3, 14 / 3], 1e-6);
    expectClose(torch.tensor([1, 2, 4]).var().itemSync(), 2.3333332538604736, 1e-6);
    expectClose(torch.tensor([1, 2, 4]).std(false).itemSync(), 1.2472190856933594, 1e-6);
    expectClose(torch.tensor([1, 2, 4]).var({ correction: 0 }).itemSync(), 14 / 9, 1e-6);
    expect(m.prod(1).tolistSync()).toEqual([10, 0]);
    expect(m.amax([0, 1]).itemSync()).toBe(7);
    expectClose(torch.tensor([1000, 1000]).logsumexp(0).itemSync(), 1000 + Math.log(2), 1e-3);
    expect(torch.tensor([true, false]).all().itemSync()).toBe(false);
    expect(torch.tensor([true, false]).any().itemSync()).toBe(true);
  });

  it("softmax rows sum to one", () => {
    const s = torch.randn(3, 5).softmax(1).sum(1).tolistSync() as number[];
    for (const v of s) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
  });
});

describe("shape ops", () => {
  it("squeeze / unsqueeze / flatten / repeat / expand values", () => {
    expect(torch.zeros(1, 3, 1).squeeze(1).shape).toEqual([1, 3, 1]);
    expect(torch.zeros(1, 3, 1).squeeze().shape).toEqual([3]);
    expect(torch.zeros(1, 3, 1).squeeze(-1).shape).toEqual([1, 3]);
    expect(torch.zeros(3).unsqueeze(-1).shape).toEqual([3, 1]);
    expect(torch.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(torch.zeros([]).flatten().shape).toEqual([1]);
    expect(torch.tensor([1n, 2n]).repeat(2, 2).tolistSync()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(
      torch
        .tensor([[1], [2]])
        .expand(2, 3)
        .tolistSync(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(torch.tensor([1, 2]).expand(2, -1).tolistSync()).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it("cat / stack values", () => {
    const a = torch.tensor([[1, 2]]);
    const b = torch.tensor([[3, 4]]);
    expect(torch.cat([a, b]).tolistSync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(torch.cat([a, b], 1).tolistSync()).toEqual([[1, 2, 3, 4]]);
    expect(torch.stack([a, b], 1).shape).toEqual([1, 2, 2]);
    expect(torch.stack([a.index(0), b.index(0)], -1).tolistSync()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(torch.cat([torch.tensor([1n]), torch.tensor([0.5])]).dtype).toBe("float32");
  });

  it("matmul values for each rank combination", () => {
    const A = torch.tensor([
      [1, 2],
      [3, 4],
    ]);
    const v = torch.tensor([1, -1]);
    expect(A.matmul(A).tolistSync()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(A.matmul(v).tolistSync()).toEqual([-1, -1]);
    expect(v.matmul(A).tolistSync()).toEqual([-2, -2]);
    expect(v.matmul(v).itemSync()).toBe(2);
    expect(A.t().matmul(A).tolistSync()).toEqual([
      [10, 14],
      [14, 20],
    ]);
    const B = torch.stack([A, A.mul(2)]);
    expect(B.matmul(A).tolistSync()).toEqual([
      [
        [7, 10],
        [15, 22],
      ],
      [
        [14, 20],
        [30, 44],
      ],
    ]);
    expect(A.matmul(B).shape).toEqual([2, 2, 2]);
    expect(B.matmul(v).tolistSync()).toEqual([
      [-1, -1],
      [-2, -2],
    ]);
  });
});

describe("where / masked_fill / clamp values", () => {
  it("torch.where with scalars", () => {
    const c = torch.tensor([true, false]);
    expect(torch.where(c, 1, 0).tolistSync()).toEqual([1, 0]);
    expect(torch.where(c, torch.tensor([5, 6]), 0).tolistSync()).toEqual([5, 0]);
    expect(torch.tensor([1, 2]).masked_fill(c, -1).tolistSync()).toEqual([-1, 2]);
    expect(torch.tensor([-2, 0.5, 3]).clamp(0, 1).tolistSync()).toEqual([0, 0.5, 1]);
  });
});

describe("toString and inspection", () => {
  it("String(x) and console.log show PyTorch's form", async () => {
    const x = torch.tensor([1, 2]);
    expect(String(x)).toBe("tensor([1., 2.])");
    const { inspect } = await import("node:util");
    expect(inspect(x)).toBe("tensor([1., 2.])");
  });
});

describe("PyTorch keyword arguments as one options object", () => {
  const x = torch.arange(24).reshape(2, 3, 4);
  const same = (a: { tolistSync(): unknown; shape: readonly number[] }, b: typeof a) => {
    expect(a.shape).toEqual(b.shape);
    expect(a.tolistSync()).toEqual(b.tolistSync());
  };

  it("shape methods", () => {
    same(x.reshape({ shape: [6, 4] }), x.reshape(6, 4));
    same(torch.reshape(x, { shape: [-1, 4] }), x.reshape(6, 4));
    same(x.view({ size: [4, 6] }), x.view(4, 6));
    same(x.permute({ dims: [2, 0, 1] }), x.permute(2, 0, 1));
    same(torch.permute(x, { dims: [2, 0, 1] }), x.permute([2, 0, 1]));
    same(x.transpose({ dim0: 0, dim1: 2 }), x.transpose(0, 2));
    same(torch.transpose(x, { dim0: 0, dim1: 1 }), x.transpose(0, 1));
    same(x.transpose(0, { dim1: 1 }), x.transpose(0, 1));
    same(x.swapaxes({ dim0: 1, dim1: 2 }), x.transpose(1, 2));
    same(x.unsqueeze({ dim: 1 }), x.unsqueeze(1));
    same(x.unsqueeze(1).squeeze({ dim: 1 }), x);
    same(torch.squeeze(x.unsqueeze(0), 0), x);
    same(x.flatten({ start_dim: 1 }), x.flatten(1));
    same(x.unflatten({ dim: 2, sizes: [2, 2] }), x.unflatten(2, [2, 2]));
    same(x.index(0).expand({ size: [2, 3, 4] }), x.index(0).expand(2, 3, 4));
    same(x.repeat({ repeats: [1, 2, 1] }), x.repeat(1, 2, 1));
  });

  it("indexing and splitting methods", () => {
    same(x.narrow({ dim: 2, start: 1, length: 2 }), x.narrow(2, 1, 2));
    same(torch.narrow(x, 1, { start: 0, length: 1 }), x.narrow(1, 0, 1));
    same(x.select({ dim: 1, index: -1 }), x.select(1, -1));
    same(torch.select(x, 0, 1), x.index(1));
    const idx = torch.tensor([2n, 0n]);
    same(x.index_select({ dim: 1, index: idx }), x.index_select(1, idx));
    same(torch.index_select(x, 2, idx), x.index_select(2, idx));
    const g = torch.zeros([2, 3, 1], { dtype: torch.int64 });
    same(x.gather({ dim: 2, index: g }), x.gather(2, g));
    expect(x.split({ split_size: 2, dim: 2 }).length).toBe(2);
    expect(x.split(1, { dim: 1 }).length).toBe(3);
    expect(torch.split(x, { split_size_or_sections: [1, 3], dim: 2 })[1].shape).toEqual([2, 3, 3]);
    expect(x.chunk({ chunks: 2, dim: -1 })[0].shape).toEqual([2, 3, 2]);
    expect(x.unbind({ dim: 2 }).length).toBe(4);
    expect(torch.unbind(x, 1).length).toBe(3);
  });

  it("max / min with { dim, keepdim }", () => {
    const m = torch.tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]);
    const r = m.max({ dim: 1, keepdim: true });
    expect(r.values.tolistSync()).toEqual([[5], [7]]);
    expect(r.indices.tolistSync()).toEqual([[1], [0]]);
    expect(torch.min(m, { dim: 0 }).values.tolistSync()).toEqual([1, 0, 2]);
    expect(torch.max(m, 1, true).values.shape).toEqual([2, 1]);
  });

  it("unknown or missing keywords are errors naming the function", () => {
    // @ts-expect-error: PyTorch's name is `shape`
    expect(() => x.reshape({ size: [6, 4] })).toThrow(
      "reshape() got an unexpected keyword argument 'size'",
    );
    expect(() => x.transpose({ dim0: 0 })).toThrow("transpose() missing required argument 'dim1'");
    expect(() => x.narrow(0, { start: 0 })).toThrow("narrow() missing required argument 'length'");
  });
});

describe("allclose and equal", () => {
  it("agree with PyTorch on equal, close and different tensors", () => {
    const a = torch.tensor([1, 2, 3]);
    expect(a.equal(torch.tensor([1, 2, 3]))).toBe(true);
    expect(a.equal(torch.tensor([1, 2, 4]))).toBe(false);
    expect(a.equal(torch.tensor([[1, 2, 3]]))).toBe(false);
    expect(a.allclose(a.add(1e-7))).toBe(true);
    expect(a.allclose(a.add(1e-3))).toBe(false);
    expect(torch.allclose(a, a.add(1e-3), { atol: 1e-2 })).toBe(true);
  });
});
