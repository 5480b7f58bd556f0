/**
 * Every program of ../shared/golden/programs.json, run as a student writes it: the loss of
 * every step, the final state_dict and the eval outputs must match PyTorch's.
 */

import { describe, expect, test } from "vitest";
import * as torch from "../src/index.js";
import { expectClose, type GoldenTensor, readGolden, type Tolerance, toTensor } from "./golden.js";

type Spec = { type: string } & Record<string, unknown>;

interface Program {
  name: string;
  model: Spec[];
  loss: Spec;
  optimizer: Spec;
  batch_size: number;
  epochs: number;
  data: { x: GoldenTensor; y: GoldenTensor; x_eval: GoldenTensor };
  initial_state_dict: Record<string, GoldenTensor>;
  expected: { losses: number[]; final_state_dict: Record<string, GoldenTensor>; eval_output: GoldenTensor };
}

const golden = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

type Ctor<T> = new (...args: unknown[]) => T;

function args(spec: Spec): Record<string, unknown> {
  const { type: _type, ...rest } = spec;
  return rest;
}

describe("PyTorch golden programs", () => {
  test.each(golden.programs.map((p) => [p.name, p] as const))("%s", async (_name, p) => {
    const model = torch.nn.build({ type: "Sequential", children: p.model });
    const init: Record<string, torch.Tensor> = {};
    for (const [k, v] of Object.entries(p.initial_state_dict)) init[k] = toTensor(v);
    model.load_state_dict(init);

    const Loss = (torch.nn as unknown as Record<string, Ctor<torch.nn.Module>>)[p.loss.type];
    const lossFn = new Loss(args(p.loss));
    const Optim = (torch.optim as unknown as Record<string, Ctor<torch.optim.Optimizer>>)[p.optimizer.type];
    const optimizer = new Optim(model.parameters(), args(p.optimizer));
    const dataset = new torch.utils.data.TensorDataset(toTensor(p.data.x), toTensor(p.data.y));
    const loader = new torch.utils.data.DataLoader(dataset, { batch_size: p.batch_size });

    const losses: number[] = [];
    model.train();
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      for (const [xb, yb] of loader) {
        optimizer.zero_grad();
        const loss = lossFn(model(xb), yb);
        loss.backward();
        optimizer.step();
        losses.push(await loss.item());
      }
    }
    expect(losses.length).toBe(p.expected.losses.length);
    const tol = golden.tolerance;
    losses.forEach((l, i) => {
      const e = p.expected.losses[i];
      if (!(Math.abs(l - e) <= tol.atol + tol.rtol * Math.abs(e))) {
        expect.fail(`step ${i}: loss ${l}, PyTorch gives ${e}`);
      }
    });

    const final = model.state_dict();
    expect(Object.keys(final)).toEqual(Object.keys(p.expected.final_state_dict));
    for (const [k, v] of Object.entries(p.expected.final_state_dict)) expectClose(final[k], v, tol, `final ${k}`);

    model.eval();
    const out = torch.no_grad(() => model(toTensor(p.data.x_eval)));
    expectClose(out, p.expected.eval_output, tol, "eval output");
  });
});
