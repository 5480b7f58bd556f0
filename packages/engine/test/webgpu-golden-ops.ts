/**
 * The cases of ../shared/golden/ops.json run as golden-ops.test.ts runs them, but read back
 * asynchronously, so they work on the webgpu backend (in Node and, bundled, in Chromium).
 */

import * as torch from "../src/index.js";
import type { GoldenTensor } from "./program.js";
import { toTensor } from "./program.js";

export interface OpCase {
  name: string;
  fn: string;
  inputs: GoldenTensor[];
  scalar_args: number[];
  kwargs: Record<string, unknown>;
  out: GoldenTensor;
  grad_out?: GoldenTensor;
  grads?: (GoldenTensor | null)[];
}

export interface Plain {
  shape: number[];
  data: number[];
}

export interface OpResult {
  out: Plain;
  /** The gradient of each input (null where the case has none). */
  grads: (Plain | null)[];
}

type Fn = (...args: unknown[]) => torch.Tensor;

/** `torch.sum` -> torch.sum, `F.cross_entropy` -> torch.F.cross_entropy. */
function lookup(fn: string): Fn {
  const [ns, name] = fn.split(".");
  const table = (ns === "F" ? torch.F : torch) as unknown as Record<string, Fn>;
  const f = table[name];
  if (typeof f !== "function") throw new Error(`the engine has no ${fn}`);
  return f;
}

/** The call as a student writes it: positional inputs, then kwargs as one options object. */
function call(c: OpCase, inputs: torch.Tensor[]): torch.Tensor {
  const f = lookup(c.fn);
  const kwargs = Object.keys(c.kwargs).length > 0 ? [c.kwargs] : [];
  if (c.fn === "torch.cat" || c.fn === "torch.stack") return f(inputs, ...kwargs);
  if (c.fn === "F.layer_norm")
    return f(inputs[0], { ...c.kwargs, weight: inputs[1], bias: inputs[2] });
  return f(...inputs, ...c.scalar_args, ...kwargs);
}

async function plain(t: torch.Tensor): Promise<Plain> {
  return { shape: [...t.shape], data: Array.from(await t.data()) };
}

export async function runOpCase(c: OpCase): Promise<OpResult> {
  const inputs = c.inputs.map((g) => toTensor(g, g.requires_grad ?? false));
  const out = call(c, inputs);
  const result: OpResult = { out: await plain(out), grads: [] };
  if (c.grad_out && c.grads) {
    out.mul(toTensor(c.grad_out)).sum().backward();
    for (const [i, g] of c.grads.entries()) {
      const grad = inputs[i].grad;
      result.grads.push(g && grad ? await plain(grad) : null);
    }
  }
  return result;
}
