/** Losses: every reduction mode against PyTorch's values (forward and gradient), and the errors a student meets. */

import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";

const { nn } = torch;
const F = torch.nn.functional;

/**
 * Computed by PyTorch 1.13 (float32) on the inputs below. `grad` is the gradient of the input
 * logits x; for reduction "none" backward ran on sum(loss * [1, 2, 3, ...]).
 */
const PYTORCH: Record<string, { value: number[]; grad: number[] }> = {
  ce_mean: {
    value: [0.66549504],
    grad: [
      0.094302148, 0.028403265, -0.12270541, -0.072945833, 0.053327683, 0.019618159, 0.039569374,
      -0.10480824, 0.065238871, 0.083333328, -0.16666667, 0.083333328,
    ],
  },
  ce_w_ign_mean: {
    value: [0.72082907],
    grad: [
      0.053886943, 0.016230438, -0.070117384, 0, 0, 0, 0.090444289, -0.23956171, 0.14911743,
      -0.19047621, 0.095238097, 0.095238097,
    ],
  },
  ce_ls_mean: {
    value: [0.82636636],
    grad: [
      0.049209174, -0.017536685, -0.031672489, 0, 0, 0, 0.063859642, -0.19102678, 0.12716717,
      -0.14920636, 0.060317457, 0.088888884,
    ],
  },
  ce_ls_now_mean: {
    value: [0.81565821],
    grad: [
      0.11462508, 0.026759908, -0.14138499, 0, 0, 0, 0.041648053, -0.11752209, 0.075874045,
      -0.19999999, 0.099999987, 0.099999987,
    ],
  },
  ce_prob_mean: {
    value: [1.1259606],
    grad: [
      0.052309725, -0.081624448, 0.029314723, -0.053328268, 0.037549809, 0.015778461, -0.032043226,
      0.0090122111, 0.023031021, 0.0013888777, -0.11944445, 0.11805554,
    ],
  },
  nll_w_mean: {
    value: [-0.64545453],
    grad: [0, 0, -0.090909094, -0.18181819, 0, 0, 0, -0.36363637, 0, 0, -0.36363637, 0],
  },
  mse_mean: {
    value: [0.82083338],
    grad: [
      0.033333335, -0.33333334, -0.083333336, 0.083333336, 0.050000004, -0.20000002, -0.06666667,
      0.15000001, -0.15000001, -0.16666667, -0.16666667, 0,
    ],
  },
  l1_mean: {
    value: [0.74166662],
    grad: [
      0.083333336, -0.083333336, -0.083333336, 0.083333336, 0.083333336, -0.083333336, -0.083333336,
      0.083333336, -0.083333336, -0.083333336, -0.083333336, 0,
    ],
  },
  bce_mean: {
    value: [0.97432947],
    grad: [
      0.045819499, -0.12184309, -0.01573086, -0.01520213, 0.095740423, -0.0070078233, 0.033442698,
      0.11849158, -0.019792534, -0.041666668, -0.083333336, 0.020833334,
    ],
  },
  bcel_mean: {
    value: [1.0886298],
    grad: [
      0.045819495, -0.1218431, -0.0078654299, -0.045606393, 0.095740415, -4.7534704e-5, 0.033442695,
      0.11849158, -0.0098962672, -0.125, -0.083333336, 0.020833334,
    ],
  },
  ce_sum: {
    value: [2.6619802],
    grad: [
      0.37720859, 0.11361306, -0.49082166, -0.29178333, 0.21331073, 0.078472637, 0.1582775,
      -0.41923296, 0.26095548, 0.33333331, -0.66666669, 0.33333331,
    ],
  },
  ce_w_ign_sum: {
    value: [2.5229018],
    grad: [
      0.1886043, 0.056806531, -0.24541083, 0, 0, 0, 0.31655499, -0.83846593, 0.52191097,
      -0.66666669, 0.33333331, 0.33333331,
    ],
  },
  ce_ls_sum: {
    value: [2.8922825],
    grad: [
      0.17223211, -0.061378401, -0.11085372, 0, 0, 0, 0.22350875, -0.66859376, 0.44508505,
      -0.52222228, 0.21111107, 0.31111109,
    ],
  },
  ce_ls_now_sum: {
    value: [2.4469745],
    grad: [
      0.34387526, 0.080279723, -0.424155, 0, 0, 0, 0.12494417, -0.3525663, 0.22762215, -0.60000002,
      0.29999998, 0.29999998,
    ],
  },
  ce_prob_sum: {
    value: [4.5038424],
    grad: [
      0.2092389, -0.32649779, 0.11725889, -0.21331307, 0.15019923, 0.063113846, -0.1281729,
      0.036048844, 0.092124082, 0.005555511, -0.47777781, 0.47222215,
    ],
  },
  nll_w_sum: { value: [-3.55], grad: [0, 0, -0.5, -1, 0, 0, 0, -2, 0, 0, -2, 0] },
  mse_sum: {
    value: [9.8500004],
    grad: [0.40000001, -4, -1, 1, 0.60000002, -2.4000001, -0.80000001, 1.8, -1.8, -2, -2, 0],
  },
  l1_sum: { value: [8.8999996], grad: [1, -1, -1, 1, 1, -1, -1, 1, -1, -1, -1, 0] },
  bce_sum: {
    value: [11.691954],
    grad: [
      0.54983395, -1.4621172, -0.18877032, -0.18242556, 1.148885, -0.084093876, 0.40131235,
      1.421899, -0.23751041, -0.5, -1, 0.25,
    ],
  },
  bcel_sum: {
    value: [13.063559],
    grad: [
      0.54983395, -1.4621172, -0.094385162, -0.54727674, 1.148885, -0.00057041645, 0.40131235,
      1.421899, -0.11875521, -1.5, -1, 0.25,
    ],
  },
  ce_none: {
    value: [0.67495692, 0.34500524, 0.54340553, 1.0986123],
    grad: [
      0.37720859, 0.11361306, -0.49082166, -0.58356667, 0.42662147, 0.15694527, 0.47483248,
      -1.2576989, 0.78286648, 1.3333333, -2.6666667, 1.3333333,
    ],
  },
  ce_w_ign_none: {
    value: [0.33747846, 0, 1.0868111, 1.0986123],
    grad: [
      0.1886043, 0.056806531, -0.24541083, 0, 0, 0, 0.94966495, -2.5153978, 1.565733, -2.6666667,
      1.3333333, 1.3333333,
    ],
  },
  ce_ls_none: {
    value: [0.64747274, 0, 1.1095768, 1.1352327],
    grad: [
      0.17223211, -0.061378401, -0.11085372, 0, 0, 0, 0.67052621, -2.0057817, 1.3352551, -2.0888891,
      0.84444427, 1.2444444,
    ],
  },
  ce_ls_now_none: {
    value: [0.73495692, 0, 0.61340553, 1.0986123],
    grad: [
      0.34387526, 0.080279723, -0.424155, 0, 0, 0, 0.37483239, -1.0576988, 0.68286633, -2.4000001,
      1.1999999, 1.1999999,
    ],
  },
  ce_prob_none: {
    value: [1.272087, 0.46742201, 1.1530354, 1.611298],
    grad: [
      0.2092389, -0.32649779, 0.11725889, -0.42662615, 0.30039847, 0.12622769, -0.38451874,
      0.10814647, 0.27637222, 0.022222044, -1.9111112, 1.8888886,
    ],
  },
  nll_w_none: { value: [-0.25, -1.5, -1.8, -0], grad: [0, 0, -0.5, -2, 0, 0, 0, -6, 0, 0, -8, 0] },
  mse_none: {
    value: [
      0.040000003, 4, 0.25, 0.25, 0.090000004, 1.4400001, 0.16000001, 0.80999994, 0.80999994, 1, 1,
      0,
    ],
    grad: [0.40000001, -8, -3, 4, 3, -14.400001, -5.5999999, 14.4, -16.199999, -20, -22, 0],
  },
  l1_none: {
    value: [0.2, 2, 0.5, 0.5, 0.30000001, 1.2, 0.40000001, 0.89999998, 0.89999998, 1, 1, 0],
    grad: [1, -2, -3, 4, 5, -6, -7, 8, -9, -10, -11, 0],
  },
  bce_none: {
    value: [
      0.7981388, 2.6265233, 0.23703848, 0.20141332, 1.7087104, 0.37659302, 0.51301527, 2.4823077,
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: PyTorch's value, which is ln 2
      0.32219833, 0.69314718, 1.3862944, 0.34657359,
    ],
    grad: [
      0.54983395, -2.9242344, -0.566311, -0.72970223, 5.7444248, -0.50456327, 2.8091865, 11.375192,
      -2.1375937, -5, -11, 3,
    ],
  },
  bcel_none: {
    value: [
      0.79813892, 2.6265233, 0.11851925, 0.60424, 1.7087106, 0.2386948, 0.51301527, 2.4823079,
      0.16109917, 2.0794415, 1.3862944, 0.34657359,
    ],
    grad: [
      0.54983395, -2.9242344, -0.2831555, -2.1891069, 5.7444248, -0.0034224987, 2.8091865,
      11.375192, -1.0687969, -15, -11, 3,
    ],
  },
  ce3d: {
    value: [1.8507357],
    grad: [
      -0.17764172, 0.017202998, 0.097673453, 0.2095754, 0.079968266, -0.22677839, 0.037291609,
      0.056679882, -0.18851653, -0.22695568, 0.15122493, 0.17027579,
    ],
  },
};

const X = [
  [0.2, -1.0, 0.5],
  [1.5, 0.3, -0.7],
  [-0.4, 0.9, 0.1],
  [0.0, 0.0, 0.0],
];
const labels = (v: number[]) => torch.tensor(v, { dtype: "int64" });
const Y = () => labels([2, 0, 1, 1]);
const Y_IGNORE = () => labels([2, -100, 1, 0]);
const W = () => torch.tensor([1.0, 2.0, 0.5]);
const PROBS = () =>
  torch.tensor([
    [0.1, 0.2, 0.7],
    [1.0, 0.0, 0.0],
    [0.3, 0.3, 0.4],
    [0.5, 0.5, 0.0],
  ]);
const TARGETS = () =>
  torch.tensor([
    [0.0, 1.0, 1.0],
    [1.0, 0.0, 0.5],
    [0.0, 0.0, 1.0],
    [1.0, 1.0, 0.0],
  ]);

type Reduction = "mean" | "sum" | "none";

const LOSSES: Record<string, (x: Tensor, reduction: Reduction) => Tensor> = {
  ce: (x, reduction) => new nn.CrossEntropyLoss({ reduction })(x, Y()),
  ce_w_ign: (x, reduction) => new nn.CrossEntropyLoss({ weight: W(), reduction })(x, Y_IGNORE()),
  ce_ls: (x, reduction) =>
    new nn.CrossEntropyLoss({ weight: W(), label_smoothing: 0.2, reduction })(x, Y_IGNORE()),
  ce_ls_now: (x, reduction) => F.cross_entropy(x, Y_IGNORE(), { label_smoothing: 0.1, reduction }),
  ce_prob: (x, reduction) =>
    new nn.CrossEntropyLoss({ weight: W(), label_smoothing: 0.1, reduction })(x, PROBS()),
  nll_w: (x, reduction) => new nn.NLLLoss(W(), { reduction })(x, Y()),
  mse: (x, reduction) => new nn.MSELoss({ reduction })(x, TARGETS()),
  l1: (x, reduction) => new nn.L1Loss({ reduction })(x, TARGETS()),
  bce: (x, reduction) => new nn.BCELoss({ weight: W(), reduction })(x.sigmoid(), TARGETS()),
  bcel: (x, reduction) =>
    new nn.BCEWithLogitsLoss({ weight: W(), pos_weight: torch.tensor([3, 1, 0.5]), reduction })(
      x,
      TARGETS(),
    ),
};

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    if (!(Math.abs(actual[i] - e) <= 1e-5 + 1e-4 * Math.abs(e))) {
      expect.fail(`${what}[${i}]: ${actual[i]}, PyTorch gives ${e}`);
    }
  });
}

describe("losses against PyTorch", () => {
  for (const [name, loss] of Object.entries(LOSSES)) {
    for (const reduction of ["mean", "sum", "none"] as const) {
      it(`${name}, reduction ${reduction}`, () => {
        const ref = PYTORCH[`${name}_${reduction}`];
        const x = torch.tensor(X, { requires_grad: true });
        const out = loss(x, reduction);
        const perElement = ["mse", "l1", "bce", "bcel"].includes(name);
        expect(out.shape).toEqual(reduction !== "none" ? [] : perElement ? [4, 3] : [4]);
        expectClose(out.dataSync(), ref.value, "value");
        const order = torch
          .arange(1, out.numel() + 1, { dtype: "float32" })
          .reshape([...out.shape]);
        out.mul(order).sum().backward();
        expectClose(x.grad!.dataSync(), ref.grad, "grad");
      });
    }
  }

  it("cross_entropy over [N, C, d] inputs with [N, d] targets", () => {
    const x = torch
      .tensor([
        [
          [0.2, -1.0],
          [0.5, 1.5],
          [0.3, -0.7],
        ],
        [
          [-0.4, 0.9],
          [0.1, 0.0],
          [1.0, 2.0],
        ],
      ])
      .requires_grad_();
    const loss = F.cross_entropy(x, labels([0, 2, 1, 1]).reshape(2, 2));
    expectClose([loss.itemSync()], PYTORCH.ce3d.value, "value");
    loss.backward();
    expectClose(x.grad!.dataSync(), PYTORCH.ce3d.grad, "grad");
  });
});

describe("loss edge cases", () => {
  it("BCE stays finite where a sigmoid saturates to exactly 0 or 1", () => {
    const logits = torch.tensor([[40], [-120], [0]], { requires_grad: true });
    const loss = new nn.BCELoss()(logits.sigmoid(), torch.tensor([[0], [1], [1]]));
    expect(loss.itemSync()).toBeCloseTo((100 + 100 + Math.log(2)) / 3, 4);
    loss.backward();
    expect(Array.from(logits.grad!.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("BCEWithLogits has the exact gradient at 0 (sigmoid(0) - y)", () => {
    const x = torch.zeros(2, 1).requires_grad_();
    F.binary_cross_entropy_with_logits(x, torch.tensor([[1], [0]]), {
      reduction: "sum",
    }).backward();
    expect(x.grad!.tolistSync()).toEqual([[-0.5], [0.5]]);
  });

  it("takes unbatched [C] inputs with 0-d targets, and int targets for MSE", () => {
    const x = torch.tensor([1, 2, 3]);
    const expected = -Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
    expect(F.cross_entropy(x, torch.tensor(1, { dtype: "int64" })).itemSync()).toBeCloseTo(
      expected,
      5,
    );
    expect(
      F.mse_loss(torch.tensor([1, 2]), torch.tensor([0, 0], { dtype: "int64" })).itemSync(),
    ).toBe(2.5);
  });

  it("accepts PyTorch's deprecated size_average / reduce in their positions", () => {
    const x = torch.tensor([1, 2]);
    const t = torch.tensor([0, 0]);
    expect(F.mse_loss(x, t, false).itemSync()).toBe(5);
    expect(F.mse_loss(x, t, null, false).shape).toEqual([2]);
    expect(new nn.MSELoss(null, null, "sum")(x, t).itemSync()).toBe(5);
  });
});

describe("loss errors a student can act on", () => {
  const logits = () => torch.randn(4, 3);

  it("asks for int64 class labels", () => {
    const message =
      "expected scalar type Long but found Float: class-index targets must be int64 (e.g. torch.tensor(labels, { dtype: torch.int64 }) or y.long())";
    expect(() => new nn.NLLLoss()(logits(), torch.tensor([0, 1, 2, 1]))).toThrow(message);
    expect(() => new nn.CrossEntropyLoss()(logits(), torch.tensor([0, 1, 2, 1]))).toThrow(message);
  });

  it("refuses targets that would broadcast", () => {
    expect(() => new nn.MSELoss()(torch.randn(8, 1), torch.randn(8))).toThrow(
      "Using a target size ([8]) that is different to the input size ([8, 1]). This will likely lead to incorrect results due to broadcasting.",
    );
    expect(() => F.binary_cross_entropy_with_logits(torch.randn(8, 1), torch.rand(8))).toThrow(
      "Using a target size ([8]) that is different to the input size ([8, 1])",
    );
  });

  it("names an out-of-range label", () => {
    expect(() => F.cross_entropy(logits(), labels([0, 7, 1, 2]))).toThrow(
      "Target 7 is out of bounds.",
    );
    expect(() => F.nll_loss(logits(), labels([0, -1, 1, 2]))).toThrow(
      "Target -1 is out of bounds.",
    );
  });

  it("checks batch sizes and target shapes", () => {
    expect(() => F.cross_entropy(logits(), labels([0, 1]))).toThrow(
      "Expected input batch_size (4) to match target batch_size (2).",
    );
    expect(() => F.cross_entropy(logits(), labels([0, 1, 2, 1]).reshape(4, 1))).toThrow(
      "0D or 1D target tensor expected, multi-target not supported",
    );
    expect(() => F.cross_entropy(torch.randn(2, 3, 5), labels([0, 1]))).toThrow(
      "Expected target size [2, 5], got [2]",
    );
    expect(() => F.nll_loss(logits(), Y(), { weight: torch.ones(4) })).toThrow(
      "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [4]",
    );
  });

  it("wants probabilities in BCELoss", () => {
    expect(() => new nn.BCELoss()(torch.tensor([[2.5]]), torch.tensor([[1]]))).toThrow(
      "all elements of input should be between 0 and 1",
    );
  });

  it("rejects an unknown reduction", () => {
    expect(() => new nn.MSELoss({ reduction: "avg" as "mean" })).toThrow(
      "avg is not a valid value for reduction",
    );
  });
});
