/** nn.Module machinery: calling convention, callable modules, hooks, discovery, state_dict, printing, describe/build. */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as torch from "../src/index.js";

const { nn } = torch;

/** Same shape and values (Tensor.equal is avoided: see the report on its bool comparison). */
function expectSame(a: Tensor, b: Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.tolistSync()).toEqual(b.tolistSync());
}

beforeEach(() => {
  torch.manual_seed(0);
});

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  act = new nn.ReLU();
  fc2 = new nn.Linear(8, 2);
  scale = new nn.Parameter(torch.ones(1));

  override forward(x: Tensor): Tensor {
    return this.fc2(this.act(this.fc1(x))).mul(this.scale);
  }
}

describe("calling convention", () => {
  it("takes arguments by position or by PyTorch name", () => {
    const a = new nn.Linear(4, 16);
    const b = new nn.Linear({ in_features: 4, out_features: 16, bias: false });
    const c = new nn.Linear(4, { out_features: 16, bias: false });
    expect([a.in_features, a.out_features, a.bias !== null]).toEqual([4, 16, true]);
    expect([b.in_features, b.out_features, b.bias]).toEqual([4, 16, null]);
    expect(c.bias).toBeNull();
    expect(new nn.LogSoftmax(1).dim).toBe(1);
    expect(new nn.LogSoftmax({ dim: 1 }).dim).toBe(1);
    expect(new nn.BatchNorm1d(3, { momentum: null }).momentum).toBeNull();
    expect(new nn.Conv2d(1, 8, 3, { padding: 1 }).padding).toEqual([1, 1]);
    expect(new nn.Dropout({ p: 0.2 }).p).toBe(0.2);
  });

  it("reports missing and unknown arguments as Python does", () => {
    expect(() => new nn.Linear(4)).toThrow(
      "Linear() missing 1 required positional argument: 'out_features'",
    );
    expect(() => new nn.Linear()).toThrow(
      "Linear() missing 2 required positional arguments: 'in_features' and 'out_features'",
    );
    expect(() => new nn.Linear(4, 2, { bais: false } as never)).toThrow(
      "Linear() got an unexpected keyword argument 'bais'",
    );
    expect(() => new nn.Linear(4, 2, true, { bias: false })).toThrow(
      "Linear() got multiple values for argument 'bias'",
    );
    expect(() => new nn.Tanh({ dim: 1 } as never)).toThrow(
      "Tanh() got an unexpected keyword argument 'dim'",
    );
  });
});

describe("callable modules and hooks", () => {
  it("calls forward through model(x)", () => {
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.Tanh());
    const x = torch.randn(2, 4);
    expect(typeof model).toBe("function");
    expect(model).toBeInstanceOf(nn.Sequential);
    expect(model).toBeInstanceOf(nn.Module);
    expectSame(model(x), model.forward(x));
  });

  it("leaves name and length free for subclasses", () => {
    class Named extends nn.Module {
      override name = "encoder";
      override length = 3;
    }
    const m = new Named();
    expect([m.name, m.length]).toEqual(["encoder", 3]);
    expect(new nn.Sequential(new nn.ReLU(), new nn.Tanh()).length).toBe(2);
  });

  it("runs hooks via model(x) but not via model.forward(x)", () => {
    const layer = new nn.Linear(3, 2);
    const seen: string[] = [];
    const pre = layer.register_forward_pre_hook((_m, args) => {
      seen.push(`pre ${args[0].shape}`);
    });
    const post = layer.register_forward_hook((_m, _args, out) => {
      seen.push(`post ${out.shape}`);
    });
    const x = torch.randn(5, 3);
    layer(x);
    expect(seen).toEqual(["pre 5,3", "post 5,2"]);
    layer.forward(x);
    expect(seen).toHaveLength(2);
    pre.remove();
    post.remove();
    layer(x);
    expect(seen).toHaveLength(2);
  });

  it("lets hooks replace the input and the output", () => {
    const relu = new nn.ReLU();
    relu.register_forward_pre_hook((_m, [x]) => x.neg());
    relu.register_forward_hook((_m, _args, out) => out.mul(10));
    const y = relu(torch.tensor([1, -2]));
    expect(y.tolistSync()).toEqual([0, 20]);
  });

  it("says when forward is missing", () => {
    class Empty extends nn.Module {}
    expect(() => new Empty()(torch.ones(1))).toThrow(
      'Module [Empty] is missing the required "forward" function',
    );
  });
});

describe("discovery of parameters, buffers and submodules", () => {
  it("names parameters as PyTorch: own first, then children in assignment order", () => {
    const net = new Net();
    expect(net.named_parameters().map(([n]) => n)).toEqual([
      "scale",
      "fc1.weight",
      "fc1.bias",
      "fc2.weight",
      "fc2.bias",
    ]);
    expect(net.parameters()).toHaveLength(5);
    expect(net.parameters()[0]).toBe(net.scale);
    expect(net.named_children().map(([n]) => n)).toEqual(["fc1", "act", "fc2"]);
    expect(net.named_modules().map(([n]) => n)).toEqual(["", "fc1", "act", "fc2"]);
    expect(net.parameters(false)).toEqual([net.scale]);
  });

  it("names nested Sequential parameters with dotted indices", () => {
    class Deep extends nn.Module {
      body = new nn.Sequential(
        new nn.Linear(2, 3),
        new nn.ReLU(),
        new nn.Sequential(new nn.Linear(3, 1)),
      );
      override forward(x: Tensor): Tensor {
        return this.body(x);
      }
    }
    expect(new Deep().named_parameters().map(([n]) => n)).toEqual([
      "body.0.weight",
      "body.0.bias",
      "body.2.0.weight",
      "body.2.0.bias",
    ]);
    expect(new Deep().get_submodule("body.2.0")).toBeInstanceOf(nn.Linear);
    expect(() => new Deep().get_submodule("body.9")).toThrow("Sequential has no attribute `9`");
    expect(new Deep().get_parameter("body.0.bias").shape).toEqual([3]);
  });

  it("lists a shared parameter once, but keeps both names in state_dict", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = this.a;
    }
    const m = new Tied();
    expect(m.named_parameters().map(([n]) => n)).toEqual(["a.weight", "a.bias"]);
    expect(Object.keys(m.state_dict())).toEqual(["a.weight", "a.bias", "b.weight", "b.bias"]);
  });

  it("registers buffers, persistent or not, and skips null entries", () => {
    class WithBuffers extends nn.Module {
      w = new nn.Parameter(torch.zeros(2));
      nothing = null;
      constructor() {
        super();
        this.register_buffer("steps", torch.zeros(1));
        this.register_buffer("cache", torch.ones(2), { persistent: false });
        this.register_buffer("empty", null);
      }
    }
    const m = new WithBuffers();
    expect(m.named_buffers().map(([n]) => n)).toEqual(["steps", "cache"]);
    expect(Object.keys(m.state_dict())).toEqual(["w", "steps"]);
    expect(() => m.register_buffer("w", torch.zeros(1))).toThrow("attribute 'w' already exists");
    expect(() => m.register_buffer("a.b", torch.zeros(1))).toThrow(`buffer name can't contain "."`);
  });

  it("has BatchNorm1d's state_dict keys in PyTorch's order", () => {
    const bn = new nn.BatchNorm1d(3);
    const sd = bn.state_dict();
    expect(Object.keys(sd)).toEqual([
      "weight",
      "bias",
      "running_mean",
      "running_var",
      "num_batches_tracked",
    ]);
    expect(sd.num_batches_tracked.dtype).toBe("int64");
    expect(sd.num_batches_tracked.shape).toEqual([]);
    expect(bn.named_parameters().map(([n]) => n)).toEqual(["weight", "bias"]);
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
    expect(Object.keys(seq.state_dict())).toEqual([
      "0.weight",
      "0.bias",
      "1.weight",
      "1.bias",
      "1.running_mean",
      "1.running_var",
      "1.num_batches_tracked",
    ]);
  });

  it("gives state_dict values detached, sharing memory with the model", () => {
    const lin = new nn.Linear(2, 2);
    const w = lin.state_dict().weight;
    expect(w.requires_grad).toBe(false);
    expect(w.grad_fn).toBeNull();
    torch.no_grad(() => lin.weight.fill_(3));
    expect(w.tolistSync()).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(lin.state_dict({ keep_vars: true }).weight).toBe(lin.weight);
  });
});

describe("Parameter", () => {
  it("is a leaf tensor that requires grad and shares its data's memory", () => {
    const t = torch.zeros(2);
    const p = new nn.Parameter(t);
    expect(p).toBeInstanceOf(nn.Parameter);
    expect(p).toBeInstanceOf(torch.Tensor);
    expect([p.requires_grad, p.is_leaf]).toEqual([true, true]);
    torch.no_grad(() => p.fill_(1));
    expect(t.tolistSync()).toEqual([1, 1]);
    expect(new nn.Parameter(t, false).requires_grad).toBe(false);
    expect(String(new nn.Parameter(torch.tensor([1, 2])))).toBe(
      "Parameter containing:\ntensor([1., 2.], requires_grad=True)",
    );
  });
});

describe("load_state_dict", () => {
  it("copies values in and round-trips", () => {
    const a = new Net();
    const b = new Net();
    const result = b.load_state_dict(a.state_dict());
    expect(result).toEqual({ missing_keys: [], unexpected_keys: [] });
    const x = torch.randn(3, 4);
    expectSame(b(x), a(x));
    expect(b.fc1.weight.requires_grad).toBe(true);
    expect(b.fc1.weight.is_leaf).toBe(true);
  });

  it("words strict errors as PyTorch", () => {
    const m = new nn.Sequential(new nn.Linear(4, 16));
    expect(() => m.load_state_dict({ "0.weight": torch.zeros(16, 4), x: torch.zeros(1) })).toThrow(
      'Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias". \n\tUnexpected key(s) in state_dict: "x". ',
    );
    expect(() =>
      m.load_state_dict({ "0.weight": torch.zeros(3, 4), "0.bias": torch.zeros(16) }),
    ).toThrow(
      "Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 0.weight: copying a param with shape [3, 4] from checkpoint, the shape in current model is [16, 4].",
    );
  });

  it("leaves the model unchanged when it fails", () => {
    const m = new nn.Linear(2, 2);
    const before = m.weight.tolistSync();
    expect(() => m.load_state_dict({ weight: torch.ones(2, 2), bias: torch.ones(3) })).toThrow(
      "size mismatch for bias",
    );
    expect(m.weight.tolistSync()).toEqual(before);
  });

  it("reports missing and unexpected keys when not strict", () => {
    const m = new nn.Sequential(new nn.Linear(4, 16));
    const result = m.load_state_dict({ "0.weight": torch.ones(16, 4), x: torch.zeros(1) }, false);
    expect(result).toEqual({ missing_keys: ["0.bias"], unexpected_keys: ["x"] });
    expect(m.get(0).state_dict().weight.sum().itemSync()).toBe(64);
    expect(
      m.load_state_dict({ "0.weight": torch.ones(16, 4) }, { strict: false }).missing_keys,
    ).toEqual(["0.bias"]);
  });

  it("loads the int64 buffer of BatchNorm", () => {
    const a = new nn.BatchNorm1d(2);
    const b = new nn.BatchNorm1d(2);
    a(torch.randn(4, 2));
    b.load_state_dict(a.state_dict());
    expect(b.num_batches_tracked!.itemSync()).toBe(1);
    expectSame(b.running_mean!, a.running_mean!);
  });
});

describe("modes and gradients", () => {
  it("train/eval set training on every module", () => {
    const net = new Net();
    expect(net.training).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.fc1.training).toBe(true);
    net.train(false);
    expect(net.fc2.training).toBe(false);
  });

  it("zero_grad sets gradients to null (or zeros)", () => {
    const net = new Net();
    net(torch.randn(3, 4)).sum().backward();
    expect(net.fc1.weight.grad).not.toBeNull();
    net.zero_grad({ set_to_none: false });
    expect(net.fc1.weight.grad!.abs().sum().itemSync()).toBe(0);
    net.zero_grad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("to(device) keeps the same parameter objects", () => {
    const net = new Net();
    const before = net.parameters();
    expect(net.to("cpu")).toBe(net);
    expect(net.parameters()).toEqual(before);
    expect(net.fc1.weight.device).toBe(torch.get_default_device());
  });

  it("requires_grad_ freezes parameters", () => {
    const net = new Net();
    net.fc1.requires_grad_(false);
    expect(net.fc1.weight.requires_grad).toBe(false);
    expect(net.fc2.weight.requires_grad).toBe(true);
  });

  it("apply visits children before the module", () => {
    const order: string[] = [];
    new Net().apply((m) => order.push(m._get_name()));
    expect(order).toEqual(["Linear", "ReLU", "Linear", "Net"]);
    const model = new nn.Sequential(new nn.Linear(3, 3), new nn.Linear(3, 3));
    model.apply((m) => {
      if (m instanceof nn.Linear) nn.init.zeros_(m.weight);
    });
    expect(model.get<InstanceType<typeof nn.Linear>>(1).weight.abs().sum().itemSync()).toBe(0);
  });
});

describe("containers", () => {
  it("Sequential indexes, iterates, slices, appends and inserts", () => {
    const relu = new nn.ReLU();
    const seq = new nn.Sequential(new nn.Linear(2, 3), relu);
    expect(seq.get(1)).toBe(relu);
    expect(seq.get(-1)).toBe(relu);
    expect(seq[1]).toBe(relu);
    expect([...seq]).toHaveLength(2);
    expect(() => seq.get(2)).toThrow("index 2 is out of range");
    seq.append(new nn.Linear(3, 1));
    seq.insert(1, new nn.Tanh());
    expect([...seq].map((m) => m._get_name())).toEqual(["Linear", "Tanh", "ReLU", "Linear"]);
    expect(seq(torch.randn(5, 2)).shape).toEqual([5, 1]);
    expect(String(seq.slice(1, 3))).toBe("Sequential(\n  (1): Tanh()\n  (2): ReLU()\n)");
  });

  it("Sequential takes named children from one object", () => {
    const seq = new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.ReLU() });
    expect(Object.keys(seq.state_dict())).toEqual(["fc.weight", "fc.bias"]);
    expect(String(seq)).toBe(
      "Sequential(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n  (act): ReLU()\n)",
    );
  });

  it("ModuleList registers its modules", () => {
    class Stack extends nn.Module {
      layers = new nn.ModuleList([1, 2, 3].map(() => new nn.Linear(2, 2)));
      override forward(x: Tensor): Tensor {
        for (const layer of this.layers) x = layer(x).relu();
        return x;
      }
    }
    const s = new Stack();
    expect(s.parameters()).toHaveLength(6);
    expect(s.named_parameters()[2][0]).toBe("layers.1.weight");
    expect(s(torch.randn(4, 2)).shape).toEqual([4, 2]);
    expect(s.layers.length).toBe(3);
    expect(() => s.layers(torch.ones(1))).toThrow("Module [ModuleList] is missing");
  });
});

describe("printing", () => {
  it("prints leaf modules and a Sequential as PyTorch", () => {
    expect(String(new nn.ReLU())).toBe("ReLU()");
    expect(String(new nn.Sequential(new nn.Linear(4, 16), new nn.Tanh()))).toBe(
      "Sequential(\n  (0): Linear(in_features=4, out_features=16, bias=True)\n  (1): Tanh()\n)",
    );
  });

  it("prints nested custom modules exactly as PyTorch", () => {
    class CNN extends nn.Module {
      features = new nn.Sequential(
        new nn.Conv2d(1, 8, 3, { padding: 1 }),
        new nn.BatchNorm2d(8),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
      );
      flatten = new nn.Flatten();
      head = new nn.Sequential(
        new nn.Linear(8 * 14 * 14, 64),
        new nn.LeakyReLU(0.2),
        new nn.Dropout(0.25),
        new nn.Linear(64, 10),
        new nn.LogSoftmax({ dim: 1 }),
      );
      override forward(x: Tensor): Tensor {
        return this.head(this.flatten(this.features(x)));
      }
    }
    // Printed by PyTorch for the same model.
    expect(String(new CNN())).toBe(`CNN(
  (features): Sequential(
    (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (2): ReLU()
    (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  )
  (flatten): Flatten(start_dim=1, end_dim=-1)
  (head): Sequential(
    (0): Linear(in_features=1568, out_features=64, bias=True)
    (1): LeakyReLU(negative_slope=0.2)
    (2): Dropout(p=0.25, inplace=False)
    (3): Linear(in_features=64, out_features=10, bias=True)
    (4): LogSoftmax(dim=1)
  )
)`);
  });

  it("prints every layer's arguments as PyTorch", () => {
    const model = new nn.Sequential(
      new nn.Linear(4, 16, false),
      new nn.GELU({ approximate: "tanh" }),
      new nn.LayerNorm([2, 3]),
      new nn.Softmax(),
      new nn.Identity(),
      new nn.BatchNorm1d(3, { momentum: null, affine: false }),
      new nn.Conv2d(3, 4, [3, 5], { stride: 2, dilation: 2, bias: false }),
      new nn.MaxPool2d([2, 3], { stride: 1, padding: 1 }),
    );
    expect(String(model)).toBe(`Sequential(
  (0): Linear(in_features=4, out_features=16, bias=False)
  (1): GELU(approximate='tanh')
  (2): LayerNorm((2, 3), eps=1e-05, elementwise_affine=True)
  (3): Softmax(dim=None)
  (4): Identity()
  (5): BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=True)
  (6): Conv2d(3, 4, kernel_size=(3, 5), stride=(2, 2), dilation=(2, 2), bias=False)
  (7): MaxPool2d(kernel_size=(2, 3), stride=1, padding=1, dilation=1, ceil_mode=False)
)`);
    expect(String(new nn.CrossEntropyLoss())).toBe("CrossEntropyLoss()");
  });

  it("prints runs of identical modules in a ModuleList once, as PyTorch 2", () => {
    const list = new nn.ModuleList([
      new nn.Linear(2, 2),
      new nn.Linear(2, 2),
      new nn.Linear(2, 2),
      new nn.ReLU(),
    ]);
    expect(String(list)).toBe(
      "ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n  (3): ReLU()\n)",
    );
  });
});

describe("describe and build", () => {
  it("round-trips a model made of built-in modules", () => {
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Dropout(0.1),
      new nn.Linear(4 * 4 * 4, 3, false),
      new nn.LogSoftmax(1),
    );
    const spec = nn.describe(model);
    expect(spec.children![6]).toEqual({
      type: "Linear",
      in_features: 64,
      out_features: 3,
      bias: false,
    });
    const json = JSON.parse(JSON.stringify(spec));
    const rebuilt = nn.build(json);
    expect(String(rebuilt)).toBe(String(model));
    expect(nn.describe(rebuilt)).toEqual(spec);
    rebuilt.load_state_dict(model.state_dict());
    model.eval();
    rebuilt.eval();
    const x = torch.randn(2, 1, 8, 8);
    expectSame(rebuilt(x), model(x));
  });

  it("keeps the names of a named Sequential", () => {
    const model = new nn.Sequential({ enc: new nn.Linear(2, 2), act: new nn.GELU() });
    const rebuilt = nn.build(nn.describe(model));
    expect(Object.keys(rebuilt.state_dict())).toEqual(["enc.weight", "enc.bias"]);
  });

  it("builds every model of the golden programs with PyTorch's state_dict keys", () => {
    const shared =
      process.env.GRADBOOK_SHARED ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));
    const { programs } = JSON.parse(readFileSync(`${shared}golden/programs.json`, "utf8")) as {
      programs: {
        model: { type: string }[];
        loss: { type: string };
        initial_state_dict: Record<string, { shape: number[] }>;
      }[];
    };
    for (const p of programs) {
      const model = nn.build({ type: "Sequential", children: p.model });
      const shapes = Object.entries(model.state_dict()).map(([k, v]) => [k, [...v.shape]]);
      expect(shapes).toEqual(Object.entries(p.initial_state_dict).map(([k, v]) => [k, v.shape]));
      expect(nn.build(p.loss)).toBeInstanceOf(nn.Module);
    }
  });

  it("describes losses, with their class weights", () => {
    const loss = new nn.CrossEntropyLoss({ weight: [1, 2], label_smoothing: 0.1 });
    const spec = nn.describe(loss);
    expect(spec).toEqual({
      type: "CrossEntropyLoss",
      weight: [1, 2],
      ignore_index: -100,
      reduction: "mean",
      label_smoothing: 0.1,
    });
    const rebuilt = nn.build(spec);
    expect(Object.keys(rebuilt.state_dict())).toEqual(["weight"]);
  });

  it("refuses custom modules with a message that says what to do", () => {
    expect(() => nn.describe(new Net())).toThrow(
      /Can't describe Net: it is a custom Module subclass.*state_dict\(\)/,
    );
    class MyLinear extends nn.Linear {}
    expect(() => nn.describe(new nn.Sequential(new MyLinear(2, 2)))).toThrow(
      "Can't describe MyLinear",
    );
  });

  it("rejects unknown types and arguments", () => {
    expect(() => nn.build({ type: "Transformer" })).toThrow("unknown module type 'Transformer'");
    expect(() => nn.build({ type: "Linear", in_features: 2, out_feature: 3 })).toThrow(
      "Linear() got an unexpected keyword argument 'out_feature'",
    );
  });
});
