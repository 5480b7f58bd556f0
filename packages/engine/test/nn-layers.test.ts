/** Layers, nn.functional and nn.init: values against hand computations and naive loops, gradients by finite differences. */

import { beforeEach, describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";

const { nn } = torch;
const F = torch.nn.functional;

type Grid = number[][];
type Images = number[][][][];

beforeEach(() => {
  torch.manual_seed(0);
});

function flat(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i]));
    if (!ok) expect.fail(`element ${i}: ${actual[i]} vs expected ${expected[i]}`);
  }
}

/** d/dx of f(x) (a scalar) by central differences, element by element. */
function numericGrad(f: (x: Tensor) => Tensor, x: Tensor, eps = 1e-2): number[] {
  const base = flat(x);
  return base.map((_, i) => {
    const at = (d: number) => {
      const v = [...base];
      v[i] += d;
      return torch.no_grad(() => f(torch.tensor(v).reshape(x.shape as number[]))).itemSync();
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

// ---------------------------------------------------------------- naive references

function naiveConv2d(
  x: Images,
  w: Images,
  b: number[] | null,
  stride: [number, number],
  pad: [number, number],
  dil: [number, number],
  groups = 1,
): Images {
  const [n, cin, h, wd] = [x.length, x[0].length, x[0][0].length, x[0][0][0].length];
  const [cout, cinG, kh, kw] = [w.length, w[0].length, w[0][0].length, w[0][0][0].length];
  const oh = Math.floor((h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  const coutG = cout / groups;
  expect(cinG * groups).toBe(cin);
  const out: Images = [];
  for (let bi = 0; bi < n; bi++) {
    const planes: Grid[] = [];
    for (let o = 0; o < cout; o++) {
      const g = Math.floor(o / coutG);
      const plane: Grid = [];
      for (let oy = 0; oy < oh; oy++) {
        const row: number[] = [];
        for (let ox = 0; ox < ow; ox++) {
          let s = b ? b[o] : 0;
          for (let c = 0; c < cinG; c++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const y = oy * stride[0] - pad[0] + i * dil[0];
                const xx = ox * stride[1] - pad[1] + j * dil[1];
                if (y >= 0 && y < h && xx >= 0 && xx < wd)
                  s += x[bi][g * cinG + c][y][xx] * w[o][c][i][j];
              }
            }
          }
          row.push(s);
        }
        plane.push(row);
      }
      planes.push(plane);
    }
    out.push(planes);
  }
  return out;
}

/** Max pooling, and the gradient of sum(out * g): each window's g goes to its first maximum. */
function naiveMaxPool(
  x: Images,
  k: [number, number],
  s: [number, number],
  p: [number, number],
  g?: Images,
): { out: Images; grad: Images } {
  const grad = x.map((img) => img.map((plane) => plane.map((row) => row.map(() => 0))));
  const out = x.map((img, bi) =>
    img.map((plane, c) => {
      const [h, w] = [plane.length, plane[0].length];
      const oh = Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1;
      const ow = Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1;
      const rows: Grid = [];
      for (let oy = 0; oy < oh; oy++) {
        const row: number[] = [];
        for (let ox = 0; ox < ow; ox++) {
          let best = Number.NEGATIVE_INFINITY;
          let at: [number, number] | null = null;
          for (let i = 0; i < k[0]; i++) {
            for (let j = 0; j < k[1]; j++) {
              const y = oy * s[0] - p[0] + i;
              const xx = ox * s[1] - p[1] + j;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              if (plane[y][xx] > best) {
                best = plane[y][xx];
                at = [y, xx];
              }
            }
          }
          row.push(best);
          if (g && at) grad[bi][c][at[0]][at[1]] += g[bi][c][oy][ox];
        }
        rows.push(row);
      }
      return rows;
    }),
  );
  return { out, grad };
}

const nested = (t: Tensor) => t.tolistSync() as Images;
const flatNested = (v: unknown): number[] =>
  Array.isArray(v) ? v.flatMap(flatNested) : [v as number];

// ---------------------------------------------------------------- Linear

describe("Linear", () => {
  it("computes x W^T + b", () => {
    const lin = new nn.Linear(3, 2);
    const x = torch.randn(4, 3);
    const [W, b, X] = [
      lin.weight.tolistSync() as Grid,
      lin.bias!.tolistSync() as number[],
      x.tolistSync() as Grid,
    ];
    const expected = X.flatMap((row) =>
      W.map((wr, o) => wr.reduce((s, w, i) => s + w * row[i], b[o])),
    );
    expectClose(flat(lin(x)), expected);
    expect(lin(torch.randn(2, 5, 3)).shape).toEqual([2, 5, 2]);
    expect(lin(torch.randn(3)).shape).toEqual([2]);
  });

  it("gives PyTorch's matmul error for the wrong in_features", () => {
    expect(() => new nn.Linear(6, 3)(torch.randn(5, 7))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (5x7 and 6x3)",
    );
    expect(() => new nn.Linear(6, 3)(torch.randn(2, 5, 7))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (10x7 and 6x3)",
    );
  });

  it("has gradients x^T g and sum(g)", () => {
    const lin = new nn.Linear(3, 2);
    const x = torch.randn(4, 3);
    lin(x).sum().backward();
    const bias = lin.bias as Tensor;
    expectClose(flat(bias.grad as Tensor), [4, 4]);
    const colSums = (x.tolistSync() as Grid).reduce((s, r) => s.map((v, i) => v + r[i]), [0, 0, 0]);
    expectClose(flat(lin.weight.grad!), [...colSums, ...colSums], 1e-4);
  });
});

// ---------------------------------------------------------------- init

describe("init", () => {
  const bounds = (t: Tensor) => {
    const v = flat(t);
    return [Math.min(...v), Math.max(...v)];
  };

  it("initialises Linear and Conv2d as PyTorch: U(-1/sqrt(fan_in), 1/sqrt(fan_in))", () => {
    const lin = new nn.Linear(100, 50);
    for (const t of [lin.weight, lin.bias!]) {
      const [lo, hi] = bounds(t);
      expect(lo).toBeGreaterThanOrEqual(-0.1);
      expect(hi).toBeLessThanOrEqual(0.1);
      expect(hi - lo).toBeGreaterThan(t.numel() > 100 ? 0.19 : 0.15);
    }
    const conv = new nn.Conv2d(3, 8, 3);
    const [lo, hi] = bounds(conv.weight);
    expect(Math.max(-lo, hi)).toBeLessThanOrEqual(1 / Math.sqrt(27));
    expect(Math.max(-lo, hi)).toBeGreaterThan(0.9 / Math.sqrt(27));
    expect(lin.weight.is_leaf && lin.weight.requires_grad).toBe(true);
  });

  it("initialises BatchNorm and LayerNorm with ones and zeros", () => {
    const bn = new nn.BatchNorm1d(3);
    expect(bn.weight!.tolistSync()).toEqual([1, 1, 1]);
    expect(bn.bias!.tolistSync()).toEqual([0, 0, 0]);
    expect(bn.running_mean!.tolistSync()).toEqual([0, 0, 0]);
    expect(bn.running_var!.tolistSync()).toEqual([1, 1, 1]);
    expect(new nn.LayerNorm(2).weight!.tolistSync()).toEqual([1, 1]);
  });

  it("fills in place within each scheme's bounds, without recording a graph", () => {
    const w = new nn.Parameter(torch.empty(200, 50));
    expect(nn.init.kaiming_uniform_(w, { nonlinearity: "relu" })).toBe(w);
    expect(Math.max(...bounds(w).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    expect(w.grad_fn).toBeNull();
    nn.init.xavier_uniform_(w);
    expect(Math.max(...bounds(w).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 250));
    nn.init.kaiming_normal_(w, { mode: "fan_out" });
    expect(w.std().itemSync()).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)) / Math.sqrt(200), 2);
    nn.init.xavier_normal_(w, 2);
    expect(w.std().itemSync()).toBeCloseTo(2 * Math.sqrt(2 / 250), 2);
    nn.init.normal_(w, { mean: 3, std: 0.5 });
    expect(w.mean().itemSync()).toBeCloseTo(3, 1);
    nn.init.uniform_(w, -2, -1);
    expect(bounds(w)[0]).toBeGreaterThanOrEqual(-2);
    expect(bounds(w)[1]).toBeLessThanOrEqual(-1);
    nn.init.constant_(w, 0.5);
    expect(bounds(w)).toEqual([0.5, 0.5]);
    nn.init.ones_(w);
    nn.init.zeros_(w);
    expect(bounds(w)).toEqual([0, 0]);
    expect(w.is_leaf && w.requires_grad).toBe(true);
  });

  it("computes gains and fans as PyTorch", () => {
    expect(nn.init.calculate_gain("tanh")).toBeCloseTo(5 / 3);
    expect(nn.init.calculate_gain("relu")).toBeCloseTo(Math.SQRT2);
    expect(nn.init.calculate_gain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04));
    expect(nn.init.calculate_gain("sigmoid")).toBe(1);
    expect(nn.init._calculate_fan_in_and_fan_out(torch.empty(8, 3, 5, 5))).toEqual([75, 200]);
    expect(() => nn.init.xavier_uniform_(torch.empty(4))).toThrow(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
  });
});

// ---------------------------------------------------------------- BatchNorm

/** Per-channel mean, biased and unbiased variance of rows [N][C]. */
function channelStats(rows: Grid): { mean: number[]; biased: number[]; unbiased: number[] } {
  const n = rows.length;
  const mean = rows[0].map((_, c) => rows.reduce((s, r) => s + r[c], 0) / n);
  const ss = rows[0].map((_, c) => rows.reduce((s, r) => s + (r[c] - mean[c]) ** 2, 0));
  return { mean, biased: ss.map((v) => v / n), unbiased: ss.map((v) => v / (n - 1)) };
}

describe("BatchNorm", () => {
  const rows: Grid = [
    [1, 2, 3],
    [4, 6, 8],
    [0, 1, -1],
    [3, 3, 3],
  ];

  it("normalizes with batch statistics in training and updates running stats (unbiased variance)", () => {
    const bn = new nn.BatchNorm1d(3);
    const y = bn(torch.tensor(rows));
    const { mean, biased, unbiased } = channelStats(rows);
    const expected = rows.flatMap((r) =>
      r.map((v, c) => (v - mean[c]) / Math.sqrt(biased[c] + 1e-5)),
    );
    expectClose(flat(y), expected, 1e-5);
    expectClose(
      flat(bn.running_mean!),
      mean.map((m) => 0.1 * m),
    );
    expectClose(
      flat(bn.running_var!),
      unbiased.map((v) => 0.9 + 0.1 * v),
    );
    expect(bn.num_batches_tracked!.itemSync()).toBe(1);
    expect(bn.running_mean!.requires_grad).toBe(false);
  });

  it("uses the running statistics in eval, and doesn't update them", () => {
    const bn = new nn.BatchNorm1d(3);
    torch.no_grad(() => {
      bn.running_mean!.copy_(torch.tensor([1, 2, 3]));
      bn.running_var!.copy_(torch.tensor([4, 9, 16]));
      bn.weight!.copy_(torch.tensor([2, 2, 2]));
      bn.bias!.copy_(torch.tensor([1, 0, -1]));
    });
    bn.eval();
    const y = bn(torch.tensor([[3, 2, 11]]));
    expectClose(flat(y), [
      (2 / Math.sqrt(4 + 1e-5)) * 2 + 1,
      0,
      (8 / Math.sqrt(16 + 1e-5)) * 2 - 1,
    ]);
    expect(bn.num_batches_tracked!.itemSync()).toBe(0);
    expect(bn.running_mean!.tolistSync()).toEqual([1, 2, 3]);
  });

  it("takes [N, C, L] (BatchNorm1d) and [N, C, H, W] (BatchNorm2d) inputs, with stats per channel", () => {
    const x3 = torch.randn(4, 2, 5);
    const bn1 = new nn.BatchNorm1d(2);
    bn1(x3);
    const perChannel = (x: Tensor) =>
      x.transpose(0, 1).reshape(2, -1).transpose(0, 1).tolistSync() as Grid;
    const s3 = channelStats(perChannel(x3));
    expectClose(
      flat(bn1.running_mean!),
      s3.mean.map((m) => 0.1 * m),
      1e-4,
    );
    expectClose(
      flat(bn1.running_var!),
      s3.unbiased.map((v) => 0.9 + 0.1 * v),
      1e-4,
    );
    const x4 = torch.randn(3, 2, 4, 4);
    const bn2 = new nn.BatchNorm2d(2, { momentum: 0.5 });
    const y = bn2(x4);
    const s4 = channelStats(perChannel(x4));
    expectClose(
      flat(bn2.running_var!),
      s4.unbiased.map((v) => 0.5 + 0.5 * v),
      1e-4,
    );
    const yStats = channelStats(perChannel(y));
    expectClose(yStats.mean, [0, 0], 1e-4);
    expectClose(yStats.biased, [1, 1], 1e-3);
  });

  it("keeps a cumulative average with momentum null", () => {
    const bn = new nn.BatchNorm1d(3, { momentum: null });
    bn(torch.tensor(rows));
    bn(torch.tensor(rows).mul(3));
    const { mean } = channelStats(rows);
    expectClose(
      flat(bn.running_mean!),
      mean.map((m) => (m + 3 * m) / 2),
    );
  });

  it("without running stats, uses batch statistics in eval too", () => {
    const bn = new nn.BatchNorm1d(3, { track_running_stats: false, affine: false });
    expect(Object.keys(bn.state_dict())).toEqual([]);
    bn.eval();
    const y = bn(torch.tensor(rows));
    const { mean, biased } = channelStats(rows);
    expectClose(
      flat(y),
      rows.flatMap((r) => r.map((v, c) => (v - mean[c]) / Math.sqrt(biased[c] + 1e-5))),
    );
  });

  it("has gradients that match finite differences", () => {
    const bn = new nn.BatchNorm1d(3);
    const g = torch.randn(4, 3);
    const f = (x: Tensor) => bn(x).mul(g).sum();
    const x = torch.randn(4, 3).requires_grad_();
    f(x).backward();
    expectClose(flat(x.grad!), numericGrad(f, x), 2e-2);
  });

  it("explains shape errors", () => {
    expect(() => new nn.BatchNorm1d(3)(torch.randn(1, 3))).toThrow(
      "Expected more than 1 value per channel when training, got input size [1, 3]",
    );
    expect(() => new nn.BatchNorm1d(3)(torch.randn(2, 3, 4, 5))).toThrow(
      "expected 2D or 3D input (got 4D input)",
    );
    expect(() => new nn.BatchNorm2d(3)(torch.randn(2, 3))).toThrow(
      "expected 4D input (got 2D input)",
    );
    expect(() => new nn.BatchNorm1d(3)(torch.randn(4, 5))).toThrow(
      "running_mean should contain 5 elements not 3",
    );
  });
});

describe("LayerNorm", () => {
  it("normalizes each sample over the last dims", () => {
    const ln = new nn.LayerNorm(3);
    const rows: Grid = [
      [1, 2, 6],
      [0, -1, 4],
    ];
    const expected = rows.flatMap((r) => {
      const m = r.reduce((a, b) => a + b) / 3;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / 3;
      return r.map((x) => (x - m) / Math.sqrt(v + 1e-5));
    });
    expectClose(flat(ln(torch.tensor(rows))), expected);
    expect(new nn.LayerNorm([2, 3])(torch.randn(4, 2, 3)).shape).toEqual([4, 2, 3]);
    expect(() => ln(torch.randn(4, 5))).toThrow(
      "Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[4, 5]",
    );
  });
});

// ---------------------------------------------------------------- Dropout

describe("Dropout", () => {
  it("drops with probability p and scales by 1/(1-p) in training; is the identity in eval", () => {
    const drop = new nn.Dropout(0.25);
    const x = torch.ones(4000).requires_grad_();
    const y = drop(x);
    const values = flat(y);
    expect(values.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.2);
    expect(dropped).toBeLessThan(0.3);
    y.sum().backward();
    expect(flat(x.grad!)).toEqual(values);
    drop.eval();
    expect(drop(x)).toBe(x);
  });

  it("repeats with the same seed, and checks p", () => {
    torch.manual_seed(7);
    const a = flat(F.dropout(torch.ones(50)));
    torch.manual_seed(7);
    expect(flat(F.dropout(torch.ones(50)))).toEqual(a);
    expect(flat(F.dropout(torch.ones(3), { p: 0.5, training: false }))).toEqual([1, 1, 1]);
    expect(flat(F.dropout(torch.ones(3), 1))).toEqual([0, 0, 0]);
    expect(() => new nn.Dropout(1.5)).toThrow(
      "dropout probability has to be between 0 and 1, but got 1.5",
    );
  });
});

// ---------------------------------------------------------------- activations

describe("activations", () => {
  const x = torch.tensor([[-2, -0.5, 0, 0.5, 3]]);
  const xs = [-2, -0.5, 0, 0.5, 3];

  it("compute their formulas, as modules and as functions", () => {
    expectClose(
      flat(new nn.ReLU()(x)),
      xs.map((v) => Math.max(v, 0)),
    );
    expectClose(
      flat(new nn.LeakyReLU(0.1)(x)),
      xs.map((v) => (v > 0 ? v : 0.1 * v)),
    );
    expectClose(
      flat(F.leaky_relu(x, { negative_slope: 0.2 })),
      xs.map((v) => (v > 0 ? v : 0.2 * v)),
    );
    expectClose(flat(new nn.Tanh()(x)), xs.map(Math.tanh));
    expectClose(
      flat(new nn.Sigmoid()(x)),
      xs.map((v) => 1 / (1 + Math.exp(-v))),
    );
    const tanhGelu = (v: number) =>
      0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expectClose(flat(new nn.GELU({ approximate: "tanh" })(x)), xs.map(tanhGelu));
    expectClose(flat(F.gelu(x)), flat(x.gelu()));
    const exp = xs.map(Math.exp);
    const total = exp.reduce((a, b) => a + b);
    expectClose(
      flat(new nn.Softmax(1)(x)),
      exp.map((e) => e / total),
    );
    expectClose(
      flat(new nn.LogSoftmax({ dim: 1 })(x)),
      exp.map((e) => Math.log(e / total)),
    );
    expectClose(flat(F.softmax(x, { dim: 0 })), [1, 1, 1, 1, 1]);
    expect(new nn.Identity(3, { anything: true })(x)).toBe(x);
    expect(new nn.Flatten()(torch.zeros(2, 3, 4)).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0, 1)(torch.zeros(2, 3, 4)).shape).toEqual([6, 4]);
  });

  it("softmax without dim picks PyTorch's legacy dim", () => {
    expectClose(flat(new nn.Softmax()(torch.zeros(2, 4))), Array(8).fill(0.25));
    expectClose(flat(F.softmax(torch.zeros(4))), Array(4).fill(0.25));
  });

  it("one_hot makes int64 rows", () => {
    const labels = torch.tensor([0, 2, 1], { dtype: "int64" });
    const oh = F.one_hot(labels);
    expect(oh.dtype).toBe("int64");
    expect(oh.tolistSync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(F.one_hot(labels, 4).shape).toEqual([3, 4]);
    expect(() => F.one_hot(labels, 2)).toThrow("Class values must be smaller than num_classes.");
    expect(() => F.one_hot(torch.tensor([1, 2]))).toThrow(
      "one_hot is only applicable to index tensor",
    );
  });
});

// ---------------------------------------------------------------- conv2d

describe("conv2d", () => {
  const cases: {
    name: string;
    x: number[];
    w: number[];
    stride: [number, number];
    padding: [number, number];
    dilation: [number, number];
    groups: number;
  }[] = [
    {
      name: "plain",
      x: [2, 3, 6, 5],
      w: [4, 3, 3, 3],
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
      groups: 1,
    },
    {
      name: "stride and padding",
      x: [1, 2, 7, 6],
      w: [3, 2, 3, 2],
      stride: [2, 1],
      padding: [1, 2],
      dilation: [1, 1],
      groups: 1,
    },
    {
      name: "dilation",
      x: [1, 1, 7, 7],
      w: [2, 1, 3, 3],
      stride: [1, 2],
      padding: [2, 1],
      dilation: [2, 2],
      groups: 1,
    },
    {
      name: "groups",
      x: [2, 4, 5, 5],
      w: [6, 2, 3, 3],
      stride: [1, 1],
      padding: [1, 1],
      dilation: [1, 1],
      groups: 2,
    },
  ];

  for (const c of cases) {
    it(`matches a naive loop and finite differences: ${c.name}`, () => {
      const x = torch.randn(c.x).requires_grad_();
      const w = torch.randn(c.w).requires_grad_();
      const b = torch.randn([c.w[0]]).requires_grad_();
      const conv = (xx: Tensor, ww: Tensor, bb: Tensor) =>
        F.conv2d(xx, ww, bb, {
          stride: c.stride,
          padding: c.padding,
          dilation: c.dilation,
          groups: c.groups,
        });
      const out = conv(x, w, b);
      const expected = naiveConv2d(
        nested(x),
        nested(w),
        flat(b),
        c.stride,
        c.padding,
        c.dilation,
        c.groups,
      );
      expect(out.shape).toEqual([
        expected.length,
        expected[0].length,
        expected[0][0].length,
        expected[0][0][0].length,
      ]);
      expectClose(flat(out), flatNested(expected), 1e-4);

      const g = torch.randn([...out.shape]);
      out.mul(g).sum().backward();
      expectClose(
        flat(x.grad!),
        numericGrad((xx) => conv(xx, w, b).mul(g).sum(), x),
        1e-2,
      );
      expectClose(
        flat(w.grad!),
        numericGrad((ww) => conv(x, ww, b).mul(g).sum(), w),
        1e-2,
      );
      expectClose(
        flat(b.grad!),
        numericGrad((bb) => conv(x, w, bb).mul(g).sum(), b),
        1e-2,
      );
    });
  }

  it("Conv2d takes unbatched input and 'same' padding", () => {
    const conv = new nn.Conv2d(3, 5, 3, { padding: "same" });
    expect(conv(torch.randn(3, 8, 9)).shape).toEqual([5, 8, 9]);
    expect(conv(torch.randn(2, 3, 8, 9)).shape).toEqual([2, 5, 8, 9]);
    const valid = new nn.Conv2d(3, 5, [3, 1], { padding: "valid", stride: [2, 1] });
    expect(valid(torch.randn(1, 3, 8, 9)).shape).toEqual([1, 5, 3, 9]);
  });

  it("explains shape errors", () => {
    const w = torch.randn(8, 1, 3, 3);
    expect(() => F.conv2d(torch.randn(3, 28), w)).toThrow(
      "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [3, 28]",
    );
    expect(() => new nn.Conv2d(1, 8, 3)(torch.randn(1, 3, 28, 28))).toThrow(
      "Given groups=1, weight of size [8, 1, 3, 3], expected input[1, 3, 28, 28] to have 1 channels, but got 3 channels instead",
    );
    expect(() => F.conv2d(torch.randn(1, 1, 2, 2), w)).toThrow(
      "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
    );
  });
});

// ---------------------------------------------------------------- max_pool2d

describe("max_pool2d", () => {
  const cases: {
    name: string;
    x: number[];
    k: [number, number];
    s: [number, number];
    p: [number, number];
  }[] = [
    { name: "2x2", x: [2, 3, 6, 6], k: [2, 2], s: [2, 2], p: [0, 0] },
    { name: "overlapping with padding", x: [1, 2, 5, 7], k: [3, 3], s: [2, 1], p: [1, 1] },
    { name: "odd size, rectangular", x: [1, 1, 7, 5], k: [2, 3], s: [2, 2], p: [1, 0] },
  ];

  for (const c of cases) {
    it(`matches a naive loop, with gradients to the maxima: ${c.name}`, () => {
      const x = torch.randn(c.x).requires_grad_();
      const out = F.max_pool2d(x, c.k, c.s, c.p);
      const g = torch.randn([...out.shape]);
      const ref = naiveMaxPool(nested(x), c.k, c.s, c.p, nested(g));
      expectClose(flat(out), flatNested(ref.out), 0);
      out.mul(g).sum().backward();
      expectClose(flat(x.grad!), flatNested(ref.grad), 1e-6);
      expectClose(
        flat(x.grad!),
        numericGrad((xx) => F.max_pool2d(xx, c.k, c.s, c.p).mul(g).sum(), x, 1e-3),
        2e-2,
      );
    });
  }

  it("routes a tied window's gradient to its first maximum, as PyTorch", () => {
    const x = torch.ones(1, 1, 2, 4).requires_grad_();
    new nn.MaxPool2d(2)(x).sum().backward();
    expect(x.grad!.tolistSync()).toEqual([
      [
        [
          [1, 0, 1, 0],
          [0, 0, 0, 0],
        ],
      ],
    ]);
  });

  it("takes unbatched input and checks padding", () => {
    expect(new nn.MaxPool2d(2)(torch.randn(3, 8, 8)).shape).toEqual([3, 4, 4]);
    expect(
      new nn.MaxPool2d({ kernel_size: 3, stride: 1, padding: 1 })(torch.randn(1, 1, 5, 5)).shape,
    ).toEqual([1, 1, 5, 5]);
    expect(() => F.max_pool2d(torch.randn(1, 1, 5, 5), 2, { padding: 2 })).toThrow(
      "pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
    );
    expect(() => F.max_pool2d(torch.randn(5, 5), 2)).toThrow(
      "input to max_pool2d, but got input of size: [5, 5]",
    );
  });
});
