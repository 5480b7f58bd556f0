/**
 * Runs one program of ../shared/golden/programs.json as a student writes it. Shared by the
 * Node test and the in-browser test, so both run exactly the same code.
 */

import * as torch from "../src/index.js";

export interface GoldenTensor {
  shape: number[];
  dtype: "float32" | "int64";
  data: number[];
  requires_grad?: boolean;
}

type Spec = { type: string } & Record<string, unknown>;

export interface Program {
  name: string;
  model: Spec[];
  loss: Spec;
  optimizer: Spec;
  batch_size: number;
  epochs: number;
  data: { x: GoldenTensor; y: GoldenTensor; x_eval: GoldenTensor };
  initial_state_dict: Record<string, GoldenTensor>;
  expected: {
    losses: number[];
    final_state_dict: Record<string, GoldenTensor>;
    eval_output: GoldenTensor;
  };
}

export interface ProgramResult {
  losses: number[];
  stateDict: Record<string, { shape: number[]; data: number[] }>;
  evalOutput: { shape: number[]; data: number[] };
}

export function toTensor(g: GoldenTensor, requiresGrad = false): torch.Tensor {
  return torch.tensor(g.data, { dtype: g.dtype }).reshape(g.shape).requires_grad_(requiresGrad);
}

type Ctor<T> = new (...args: unknown[]) => T;

function args(spec: Spec): Record<string, unknown> {
  const { type: _type, ...rest } = spec;
  return rest;
}

async function plain(t: torch.Tensor): Promise<{ shape: number[]; data: number[] }> {
  return { shape: [...t.shape], data: Array.from(await t.data()) };
}

export async function runProgram(p: Program): Promise<ProgramResult> {
  const model = torch.nn.build({ type: "Sequential", children: p.model });
  const init: Record<string, torch.Tensor> = {};
  for (const [k, v] of Object.entries(p.initial_state_dict)) init[k] = toTensor(v);
  model.load_state_dict(init);

  const Loss = (torch.nn as unknown as Record<string, Ctor<torch.nn.Module>>)[p.loss.type];
  const lossFn = new Loss(args(p.loss));
  const Optim = (torch.optim as unknown as Record<string, Ctor<torch.optim.Optimizer>>)[
    p.optimizer.type
  ];
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
  const stateDict: ProgramResult["stateDict"] = {};
  for (const [k, v] of Object.entries(model.state_dict())) stateDict[k] = await plain(v);
  model.eval();
  const out = torch.no_grad(() => model(toTensor(p.data.x_eval)));
  return { losses, stateDict, evalOutput: await plain(out) };
}
