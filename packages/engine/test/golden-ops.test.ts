/**
 * Every case of ../shared/golden/ops.json: the forward value and the gradient of every input,
 * as real PyTorch computed them.
 */

import { describe, test } from "vitest";
import * as torch from "../src/index.js";
import { expectClose, type GoldenTensor, readGolden, type Tolerance } from "./golden.js";
import { toTensor } from "./program.js";

interface OpCase {
  name: string;
  fn: string;
  inputs: GoldenTensor[];
  scalar_args: number[];
  kwargs: Record<string, unknown>;
  out: GoldenTensor;
  grad_out?: GoldenTensor;
  grads?: (GoldenTensor | null)[];
}

const golden = readGolden<{ tolerance: Tolerance; cases: OpCase[] }>("ops.json");

type Fn = (...args: unknown[]) => torch.Tensor;

/** `torch.sum` -> torch.sum, `F.cross_entropy` -> torch.F.cross_entropy. */
function lookup(fn: string): Fn {
  const [ns, name] = fn.split(".");
  const table = (ns === "F" ? torch.F : torch) as unknown as Record<string, Fn>;
  const f = table[name === "var" ? "var" : name];
  if (typeof f !== "function") throw new Error(`the engine has no ${fn}`);
  return f;
}

/** The call as a student writes it: positional inputs, then kwargs as one options object. */
function call(c: OpCase, inputs: torch.Tensor[]): torch.Tensor {
  const f = lookup(c.fn);
  const kwargs = Object.keys(c.kwargs).length > 0 ? [c.kwargs] : [];
  if (c.fn === "torch.cat" || c.fn === "torch.stack") return f(inputs, ...kwargs);
  // PyTorch's order is layer_norm(input, normalized_shape, weight, bias): name the rest.
  if (c.fn === "F.layer_norm")
    return f(inputs[0], { ...c.kwargs, weight: inputs[1], bias: inputs[2] });
  return f(...inputs, ...c.scalar_args, ...kwargs);
}

const dense = (t: torch.Tensor) => ({ shape: t.shape, data: t.dataSync() });

describe("PyTorch golden ops", () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const inputs = c.inputs.map((g) => toTensor(g, g.requires_grad ?? false));
    const out = call(c, inputs);
    expectClose(dense(out), c.out, golden.tolerance, `${c.name} output`);
    if (!c.grad_out || !c.grads) return;
    out.mul(toTensor(c.grad_out)).sum().backward();
    c.grads.forEach((g, i) => {
      if (g)
        expectClose(
          dense(inputs[i].grad ?? torch.zeros(0)),
          g,
          golden.tolerance,
          `${c.name} grad of input ${i}`,
        );
    });
  });
});
