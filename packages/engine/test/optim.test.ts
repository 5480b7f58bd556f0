/**
 * Optimizers and schedulers against real PyTorch: each runs 5 steps on a tiny tanh network and
 * must reproduce PyTorch's losses and final parameters.
 *
 * REF was printed by this script (torch 1.13, whose single-tensor updates are the ones torch
 * 2.x documents; SGD's lr passed explicitly as 1.13 has no default):
 *
 *   import json, torch
 *   def params():
 *       W1 = torch.tensor([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], requires_grad=True)
 *       b1 = torch.tensor([0.1, -0.2, 0.05], requires_grad=True)
 *       W2 = torch.tensor([[0.7, -0.5, 0.3]], requires_grad=True)
 *       b2 = torch.tensor([0.2], requires_grad=True)
 *       return [W1, b1, W2, b2]
 *   x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, -1.5]])
 *   y = torch.tensor([[1.0], [-0.5], [0.25], [0.8]])
 *   def loss_of(p):
 *       W1, b1, W2, b2 = p
 *       return ((x @ W1.T + b1).tanh() @ W2.T + b2 - y).pow(2).mean()
 *   def run(make, steps=5, sign=1.0, sched=None):
 *       p = params(); opt = make(p); s = sched(opt) if sched else None
 *       losses, lrs = [], []
 *       for _ in range(steps):
 *           opt.zero_grad(); loss = loss_of(p); (sign * loss).backward(); opt.step()
 *           losses.append(loss.item())
 *           if s: s.step(); lrs.append(s.get_last_lr())
 *       out = {"losses": losses, "params": [t.detach().flatten().tolist() for t in p]}
 *       if s: out["lrs"] = lrs
 *       return out
 *   O = torch.optim
 *   cases = {
 *     "sgd": run(lambda p: O.SGD(p, lr=0.1)),
 *     "sgd_momentum": run(lambda p: O.SGD(p, lr=0.1, momentum=0.9)),
 *     "sgd_dampening": run(lambda p: O.SGD(p, lr=0.1, momentum=0.5, dampening=0.3)),
 *     "sgd_nesterov_wd": run(lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
 *     "sgd_maximize": run(lambda p: O.SGD(p, lr=0.1, momentum=0.9, maximize=True), sign=-1.0),
 *     "adam": run(lambda p: O.Adam(p, lr=0.01)),
 *     "adam_wd_amsgrad": run(lambda p: O.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)),
 *     "adamw": run(lambda p: O.AdamW(p, lr=0.01)),
 *     "adamw_amsgrad": run(lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True)),
 *     "adam_maximize": run(lambda p: O.Adam(p, lr=0.01, maximize=True), sign=-1.0),
 *     "rmsprop": run(lambda p: O.RMSprop(p, lr=0.01)),
 *     "rmsprop_centered_momentum": run(lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.01)),
 *     "param_groups": run(lambda p: O.SGD([{"params": p[:2], "lr": 0.1}, {"params": p[2:]}], lr=0.01, momentum=0.9)),
 *     "step_lr": run(lambda p: O.SGD(p, lr=0.1), steps=6, sched=lambda o: O.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
 *     "exponential_lr": run(lambda p: O.Adam(p, lr=0.01), steps=4, sched=lambda o: O.lr_scheduler.ExponentialLR(o, gamma=0.9)),
 *   }
 *   print(json.dumps(cases))  # each float rounded to 9 significant digits
 */

import { describe, expect, it, vi } from "vitest";
import { no_grad } from "../src/autograd.js";
import { tensor, zeros } from "../src/creation.js";
import {
  Adam,
  AdamW,
  lr_scheduler,
  type Optimizer,
  type ParamsInput,
  RMSprop,
  SGD,
} from "../src/optim/index.js";
import type { Tensor } from "../src/tensor.js";

const REF = {
  sgd: {
    losses: [0.601636529, 0.394990474, 0.279224783, 0.207654953, 0.158962533],
    params: [
      [0.681190729, -0.0103941467, 0.156568572, 0.771919012, -0.533012867, 0.224080279],
      [0.112115145, -0.140454888, 0.0616329126],
      [0.77037698, -0.219555587, 0.220428199],
      [0.185136825],
    ],
  },
  sgd_momentum: {
    losses: [0.601636529, 0.394990474, 0.184630156, 0.0754107386, 0.0353219174],
    params: [
      [0.975440085, 0.430523396, 0.0905866176, 0.722718358, -0.430152953, 0.411840975],
      [0.133966953, -0.0500689037, 0.0777692497],
      [0.836421132, 0.191600099, 0.0614321865],
      [0.149154708],
    ],
  },
  sgd_dampening: {
    losses: [0.601636529, 0.394990474, 0.246836409, 0.159423798, 0.107039712],
    params: [
      [0.734642029, 0.075060226, 0.14320907, 0.761756003, -0.513743579, 0.26038301],
      [0.120946214, -0.122418419, 0.0651294142],
      [0.772334933, -0.140172318, 0.190422982],
      [0.183798313],
    ],
  },
  sgd_nesterov_wd: {
    losses: [0.601636529, 0.263563871, 0.106375068, 0.0396533385, 0.0160259642],
    params: [
      [0.978689194, 0.37907362, 0.0898590088, 0.714707434, -0.419121087, 0.398512483],
      [0.0841817111, -0.0513719246, 0.0713165849],
      [0.88899529, 0.179933414, 0.0322088934],
      [0.103942364],
    ],
  },
  sgd_maximize: {
    losses: [0.601636529, 0.394990474, 0.184630156, 0.0754107386, 0.0353219174],
    params: [
      [0.975440085, 0.430523396, 0.0905866176, 0.722718358, -0.430152953, 0.411840975],
      [0.133966953, -0.0500689037, 0.0777692497],
      [0.836421132, 0.191600099, 0.0614321865],
      [0.149154708],
    ],
  },
  adam: {
    losses: [0.601636529, 0.562553525, 0.526353836, 0.492916465, 0.461915612],
    params: [
      [0.549712062, -0.250358641, 0.15015088, 0.750079274, -0.550343215, 0.149695992],
      [0.148623139, -0.150007114, 0.0989293009],
      [0.666721702, -0.450226277, 0.250925153],
      [0.235857695],
    ],
  },
  adam_wd_amsgrad: {
    losses: [0.601636529, 0.562553525, 0.526418507, 0.493104011, 0.462283492],
    params: [
      [0.549389005, -0.250634193, 0.150286496, 0.750152707, -0.550475478, 0.149405658],
      [0.147670522, -0.150093392, 0.0977598801],
      [0.653653622, -0.450410277, 0.251287282],
      [0.224013805],
    ],
  },
  adamw: {
    losses: [0.601636529, 0.562482893, 0.526224375, 0.492738485, 0.461698025],
    params: [
      [0.54945159, -0.250219673, 0.150059789, 0.749689758, -0.550053596, 0.149634838],
      [0.148562342, -0.149918243, 0.0988953859],
      [0.666511834, -0.449987292, 0.250783324],
      [0.235820696],
    ],
  },
  adamw_amsgrad: {
    losses: [0.601636529, 0.561848223, 0.525063396, 0.491144359, 0.459750682],
    params: [
      [0.547113061, -0.248971924, 0.149241984, 0.746191561, -0.547451973, 0.149085552],
      [0.148016602, -0.14912045, 0.0985908508],
      [0.664628327, -0.447841287, 0.249510229],
      [0.235484138],
    ],
  },
  adam_maximize: {
    losses: [0.601636529, 0.562553525, 0.526353836, 0.492916465, 0.461915612],
    params: [
      [0.549712062, -0.250358641, 0.15015088, 0.750079274, -0.550343215, 0.149695992],
      [0.148623139, -0.150007114, 0.0989293009],
      [0.666721702, -0.450226277, 0.250925153],
      [0.235857695],
    ],
  },
  rmsprop: {
    losses: [0.601636529, 0.328528017, 0.217951626, 0.151650339, 0.10508018],
    params: [
      [0.738081157, -0.0659295395, -0.0310441032, 0.50334096, -0.383579999, 0.328310758],
      [0.133606076, 0.0496420674, 0.142034322],
      [0.873511612, -0.256167293, 0.250400722],
      [0.120912656],
    ],
  },
  rmsprop_centered_momentum: {
    losses: [0.601636529, 0.482184768, 0.342698634, 0.225164458, 0.137407273],
    params: [
      [0.792062759, -0.0164346434, -0.101684034, 0.472798556, -0.322388589, 0.380729169],
      [0.255812436, 0.120676264, 0.235821903],
      [0.7298944, -0.20018056, 0.089976199],
      [0.147027001],
    ],
  },
  param_groups: {
    losses: [0.601636529, 0.450166106, 0.275259823, 0.165274873, 0.100158297],
    params: [
      [0.988788962, 0.506781936, 0.0537686497, 0.688416183, -0.393040448, 0.495376915],
      [0.130712464, 0.0174054299, 0.0861044973],
      [0.716277301, -0.418403536, 0.280802608],
      [0.195968196],
    ],
  },
  step_lr: {
    losses: [0.601636529, 0.394990474, 0.279224783, 0.24157925, 0.210549057, 0.19727917],
    params: [
      [0.643216968, -0.0628197417, 0.165729076, 0.775800645, -0.54754442, 0.199237213],
      [0.12115445, -0.152770624, 0.0604292192],
      [0.738745034, -0.279970676, 0.235630095],
      [0.197588414],
    ],
    lrs: [[0.1], [0.05], [0.05], [0.025], [0.025], [0.0125]],
  },
  exponential_lr: {
    losses: [0.601636529, 0.562553525, 0.529851794, 0.502357483],
    params: [
      [0.534284234, -0.265741587, 0.165661648, 0.765640438, -0.565731347, 0.134281605],
      [0.13392055, -0.165609375, 0.0840240568],
      [0.671008527, -0.465693384, 0.265935928],
      [0.230134681],
    ],
    lrs: [[0.009], [0.0081], [0.00729], [0.006561]],
  },
} as const;

type Case = keyof typeof REF;

function params(): Tensor[] {
  return [
    tensor([
      [0.5, -0.3],
      [0.2, 0.8],
      [-0.6, 0.1],
    ]),
    tensor([0.1, -0.2, 0.05]),
    tensor([[0.7, -0.5, 0.3]]),
    tensor([0.2]),
  ].map((t) => t.requires_grad_());
}

const x = tensor([
  [1.0, 2.0],
  [-1.0, 0.5],
  [0.3, -0.7],
  [2.0, -1.5],
]);
const y = tensor([[1.0], [-0.5], [0.25], [0.8]]);

function lossOf([W1, b1, W2, b2]: Tensor[]): Tensor {
  return x.matmul(W1.T).add(b1).tanh().matmul(W2.T).add(b2).sub(y).pow(2).mean();
}

interface Run {
  losses: number[];
  params: number[][];
  lrs: number[][];
}

/** The training loop of the Python script. */
function run(
  make: (p: Tensor[]) => Optimizer,
  opts: {
    steps?: number;
    sign?: number;
    sched?: (o: Optimizer) => lr_scheduler.LRScheduler;
    p?: Tensor[];
  } = {},
): Run {
  const p = opts.p ?? params();
  const opt = make(p);
  const s = opts.sched?.(opt);
  const out: Run = { losses: [], params: [], lrs: [] };
  for (let i = 0; i < (opts.steps ?? 5); i++) {
    opt.zero_grad();
    const loss = lossOf(p);
    loss.mul(opts.sign ?? 1).backward();
    opt.step();
    out.losses.push(loss.itemSync());
    if (s) {
      s.step();
      out.lrs.push(s.get_last_lr());
    }
  }
  out.params = p.map((t) => Array.from(t.dataSync()));
  return out;
}

function expectNumbers(actual: readonly number[], expected: readonly number[], tol = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > tol * (1 + Math.abs(expected[i]))) {
      expect.fail(`element ${i}: got ${a}, PyTorch ${expected[i]} (all: ${actual.join(", ")})`);
    }
  });
}

function expectMatches(name: Case, got: Run): void {
  const ref = REF[name];
  expectNumbers(got.losses, ref.losses);
  got.params.forEach((p, i) => {
    expectNumbers(p, ref.params[i]);
  });
  if ("lrs" in ref) {
    expect(got.lrs.length).toBe(ref.lrs.length);
    got.lrs.forEach((lrs, i) => {
      expectNumbers(lrs, ref.lrs[i], 1e-12);
    });
  }
}

describe("optimizers follow PyTorch's trajectories", () => {
  const cases: [Case, (p: Tensor[]) => Optimizer, number?][] = [
    ["sgd", (p) => new SGD(p, { lr: 0.1 })],
    ["sgd_momentum", (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ["sgd_dampening", (p) => new SGD(p, 0.1, 0.5, 0.3)],
    [
      "sgd_nesterov_wd",
      (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 }),
    ],
    ["sgd_maximize", (p) => new SGD(p, { lr: 0.1, momentum: 0.9, maximize: true }), -1],
    ["adam", (p) => new Adam(p, { lr: 0.01 })],
    [
      "adam_wd_amsgrad",
      (p) => new Adam(p, { lr: 0.01, betas: [0.8, 0.99], weight_decay: 0.1, amsgrad: true }),
    ],
    ["adamw", (p) => new AdamW(p, { lr: 0.01 })],
    ["adamw_amsgrad", (p) => new AdamW(p, 0.01, { weight_decay: 0.1, amsgrad: true })],
    ["adam_maximize", (p) => new Adam(p, { lr: 0.01, maximize: true }), -1],
    ["rmsprop", (p) => new RMSprop(p, { lr: 0.01 })],
    [
      "rmsprop_centered_momentum",
      (p) =>
        new RMSprop(p, { lr: 0.01, alpha: 0.9, centered: true, momentum: 0.9, weight_decay: 0.01 }),
    ],
    [
      "param_groups",
      (p) =>
        new SGD([{ params: p.slice(0, 2), lr: 0.1 }, { params: p.slice(2) }], {
          lr: 0.01,
          momentum: 0.9,
        }),
    ],
  ];
  for (const [name, make, sign] of cases) {
    it(name, () => {
      expectMatches(name, run(make, { sign }));
    });
  }

  // Dense float32 parameters take the fused kernels; a transposed view takes the op-by-op path.
  it("the fused update and the op-by-op path give the same bits", () => {
    const grads = [0, 1, 2].map((k) =>
      tensor([
        [0.5, -1, 2],
        [k - 1, 0.25, -3],
      ]),
    );
    for (const [name, make] of cases) {
      const dense = tensor([
        [1, -2, 3],
        [0.5, 0, -0.75],
      ]).requires_grad_();
      const view = no_grad(() => dense.detach().t().contiguous().t()).requires_grad_();
      const opts = [make([dense]), make([view])];
      for (const g of grads) {
        dense.grad = g.clone();
        view.grad = g.clone();
        for (const o of opts) o.step();
      }
      expect(view.is_contiguous(), name).toBe(false);
      expect(view.tolistSync(), name).toEqual(dense.tolistSync());
    }
  });

  it("StepLR halves the lr every 2 epochs", () => {
    const got = run((p) => new SGD(p, { lr: 0.1 }), {
      steps: 6,
      sched: (o) => new lr_scheduler.StepLR(o, { step_size: 2, gamma: 0.5 }),
    });
    expectMatches("step_lr", got);
  });

  it("ExponentialLR multiplies the lr by gamma every epoch", () => {
    const got = run((p) => new Adam(p, { lr: 0.01 }), {
      steps: 4,
      sched: (o) => new lr_scheduler.ExponentialLR(o, 0.9),
    });
    expectMatches("exponential_lr", got);
  });
});

describe("Optimizer", () => {
  it("has PyTorch's defaults", () => {
    const p = params();
    expect(new SGD(p).defaults).toEqual({
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weight_decay: 0,
      nesterov: false,
      maximize: false,
    });
    expect(new Adam(p).param_groups[0]).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
    });
    expect(new AdamW(p).defaults.weight_decay).toBe(1e-2);
    expect(new RMSprop(p).defaults).toMatchObject({
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      momentum: 0,
      centered: false,
    });
  });

  it("validates hyperparameters with PyTorch's messages", () => {
    const p = params();
    expect(() => new SGD(p, { lr: -1 })).toThrow("Invalid learning rate: -1");
    expect(() => new SGD(p, { lr: 0.1, momentum: -0.5 })).toThrow("Invalid momentum value: -0.5");
    expect(() => new SGD(p, { lr: 0.1, weight_decay: -1 })).toThrow(
      "Invalid weight_decay value: -1",
    );
    expect(() => new SGD(p, { lr: 0.1, nesterov: true })).toThrow(
      "Nesterov momentum requires a momentum and zero dampening",
    );
    expect(() => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(
      "Nesterov momentum requires a momentum and zero dampening",
    );
    expect(() => new Adam(p, { betas: [1, 0.999] })).toThrow(
      "Invalid beta parameter at index 0: 1",
    );
    expect(() => new Adam(p, { betas: [0.9, -0.1] })).toThrow(
      "Invalid beta parameter at index 1: -0.1",
    );
    expect(() => new Adam(p, { eps: -1e-8 })).toThrow("Invalid epsilon value: -1e-8");
    expect(() => new RMSprop(p, { alpha: -0.1 })).toThrow("Invalid alpha value: -0.1");
    expect(() => new SGD(p, { lr: 0.1, momentom: 0.9 } as never)).toThrow(
      "SGD() got an unexpected keyword argument 'momentom'",
    );
  });

  it("checks what it is given to optimize", () => {
    const [w] = params();
    expect(() => new SGD(w as unknown as ParamsInput, { lr: 0.1 })).toThrow(
      "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor",
    );
    expect(() => new SGD([], { lr: 0.1 })).toThrow("optimizer got an empty parameter list");
    expect(() => new SGD([w.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
    expect(() => new SGD([{ params: [w] }, { params: [w] }], { lr: 0.1 })).toThrow(
      "some parameters appear in more than one parameter group",
    );
  });

  it("takes any iterable of parameters, e.g. a generator like model.parameters()", () => {
    const p = params();
    function* parameters() {
      yield* p;
    }
    const opt = new SGD(parameters(), { lr: 0.1 });
    expect(opt.param_groups[0].params).toEqual(p);
  });

  it("skips parameters whose grad is null", () => {
    const p = params();
    const opt = new Adam(p, { lr: 0.1 });
    p[0].grad = zeros([3, 2]).add(1);
    opt.step();
    expect(Array.from(p[1].dataSync())).toEqual(Array.from(params()[1].dataSync()));
    expect(opt.state.has(p[1])).toBe(false);
    expect(opt.state.get(p[0])?.step).toBe(1);
    // Adam's first step moves every element by lr, whatever the gradient's size.
    expectNumbers(Array.from(p[0].dataSync()), [0.4, -0.4, 0.1, 0.7, -0.7, 0]);
  });

  it("zero_grad sets grads to null, or to zeros with set_to_none false", () => {
    const p = params();
    const opt = new SGD(p, { lr: 0.1 });
    lossOf(p).backward();
    expect(p.every((t) => t.grad !== null)).toBe(true);
    const kept = p[0].grad!;
    opt.zero_grad(false);
    expect(p[0].grad).toBe(kept);
    expect(Array.from(kept.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    opt.zero_grad({ set_to_none: false });
    expect(p[0].grad).toBe(kept);
    opt.zero_grad();
    expect(p.every((t) => t.grad === null)).toBe(true);
  });

  it("returns the closure's loss from step(closure)", () => {
    const p = params();
    const opt = new SGD(p, { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = lossOf(p);
      l.backward();
      return l;
    });
    expectNumbers([(loss as Tensor).itemSync()], [REF.sgd.losses[0]]);
    expectNumbers([lossOf(p).itemSync()], [REF.sgd.losses[1]]);
  });

  it("add_param_group fills in the defaults", () => {
    const p = params();
    const opt = new SGD(p.slice(0, 2), { lr: 0.1, momentum: 0.9 });
    opt.add_param_group({ params: p[2], lr: 0.01 });
    expect(opt.param_groups[1]).toMatchObject({ lr: 0.01, momentum: 0.9, params: [p[2]] });
    expect(() => opt.add_param_group({ params: [p[0]] })).toThrow(
      "some parameters appear in more than one parameter group",
    );
  });

  it("prints as PyTorch does", () => {
    const opt = new Adam(params(), { lr: 0.01 });
    expect(String(opt)).toBe(
      [
        "Adam (",
        "Parameter Group 0",
        "    amsgrad: False",
        "    betas: (0.9, 0.999)",
        "    eps: 1e-08",
        "    lr: 0.01",
        "    maximize: False",
        "    weight_decay: 0",
        ")",
      ].join("\n"),
    );
  });
});

describe("state_dict", () => {
  it("has PyTorch's layout", () => {
    const p = params();
    const opt = new Adam([{ params: p.slice(0, 2) }, { params: p.slice(2), lr: 0.1 }]);
    lossOf(p).backward();
    opt.step();
    const sd = opt.state_dict();
    expect(sd.param_groups.map((g) => g.params)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(sd.param_groups[1]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 });
    expect(Object.keys(sd.state)).toEqual(["0", "1", "2", "3"]);
    expect(sd.state[2].step).toBe(1);
    expect(sd.state[2].exp_avg.shape).toEqual([1, 3]);
    expect(sd.state[2].exp_avg_sq.shape).toEqual([1, 3]);
  });

  it("round-trips: a restored optimizer continues exactly where the first one was", () => {
    const make = (p: Tensor[]) => new Adam(p, { lr: 0.01 });
    const first = params();
    const opt = make(first);
    for (let i = 0; i < 2; i++) {
      opt.zero_grad();
      lossOf(first).backward();
      opt.step();
    }
    const saved = opt.state_dict();

    // A fresh model with the trained weights and a fresh optimizer that loads the state.
    const second = params();
    no_grad(() => {
      second.forEach((t, i) => {
        t.copy_(first[i]);
      });
    });
    const restored = make(second);
    restored.param_groups[0].lr = 123; // overwritten by the load
    restored.load_state_dict(saved);
    expect(restored.param_groups[0].lr).toBe(0.01);
    expect(restored.state.get(second[0])?.step).toBe(2);

    const rest = run(() => restored, { steps: 3, p: second });
    expectNumbers(rest.losses, REF.adam.losses.slice(2));
    rest.params.forEach((q, i) => {
      expectNumbers(q, REF.adam.params[i]);
    });
    // The loaded state is a copy: training the restored optimizer left the saved one alone.
    expect(saved.state[0].step).toBe(2);
  });

  it("rejects a state dict of another shape", () => {
    const p = params();
    const sd = new SGD(p, { lr: 0.1 }).state_dict();
    expect(() =>
      new SGD([{ params: p.slice(0, 2) }, { params: p.slice(2) }]).load_state_dict(sd),
    ).toThrow("loaded state dict has a different number of parameter groups");
    expect(() => new SGD(p.slice(1)).load_state_dict(sd)).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });

  it("keeps SGD's momentum buffer", () => {
    const p = params();
    const opt = new SGD(p, { lr: 0.1, momentum: 0.9 });
    lossOf(p).backward();
    opt.step();
    const buf = opt.state_dict().state[0].momentum_buffer;
    expect(buf.shape).toEqual([3, 2]);
    // The buffer starts as a copy of the first gradient.
    expect(Array.from(buf.dataSync())).toEqual(Array.from(p[0].grad!.dataSync()));
    expect(new SGD(params(), { lr: 0.1 }).state.size).toBe(0);
  });
});

describe("lr_scheduler", () => {
  it("StepLR sets initial_lr and has PyTorch's state_dict", () => {
    const opt = new SGD(params(), { lr: 0.1 });
    const sched = new lr_scheduler.StepLR(opt, 2);
    expect(opt.param_groups[0].initial_lr).toBe(0.1);
    expect(sched.get_last_lr()).toEqual([0.1]);
    opt.step();
    sched.step();
    opt.step();
    sched.step();
    expect(sched.get_last_lr()[0]).toBeCloseTo(0.01, 12);
    expect(sched.state_dict()).toMatchObject({
      step_size: 2,
      gamma: 0.1,
      base_lrs: [0.1],
      last_epoch: 2,
    });

    // As in PyTorch, resuming restores both: the scheduler scales the optimizer's current lr.
    const opt2 = new SGD(params(), { lr: 0.1 });
    const sched2 = new lr_scheduler.StepLR(opt2, 2);
    opt2.load_state_dict(opt.state_dict());
    sched2.load_state_dict(sched.state_dict());
    opt2.step();
    sched2.step();
    opt2.step();
    sched2.step();
    expect(sched2.last_epoch).toBe(4);
    expect(sched2.get_last_lr()[0]).toBeCloseTo(0.001, 12);
  });

  it("scales every group from its own lr", () => {
    const p = params();
    const opt = new SGD([{ params: p.slice(0, 2), lr: 1 }, { params: p.slice(2) }], { lr: 0.1 });
    const sched = new lr_scheduler.ExponentialLR(opt, { gamma: 0.5 });
    opt.step();
    sched.step();
    expect(sched.get_last_lr()).toEqual([0.5, 0.05]);
  });

  it("warns when scheduler.step() comes before optimizer.step()", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const opt = new SGD(params(), { lr: 0.1 });
    const sched = new lr_scheduler.StepLR(opt, { step_size: 1 });
    sched.step();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("before `optimizer.step()`"));
    warn.mockClear();
    const opt2 = new SGD(params(), { lr: 0.1 });
    const sched2 = new lr_scheduler.StepLR(opt2, { step_size: 1 });
    opt2.step();
    sched2.step();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("checks its arguments", () => {
    const opt = new SGD(params(), { lr: 0.1 });
    expect(() => new lr_scheduler.StepLR({} as Optimizer, 2)).toThrow("Object is not an Optimizer");
    expect(() => new lr_scheduler.StepLR(new SGD(params()), 2, 0.1, 5)).toThrow(
      "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    );
    expect(() => new lr_scheduler.StepLR(opt, 0)).toThrow("positive integer step_size");
  });
});
