// Train a digit classifier on the 8x8 digits, the way a PyTorch tutorial does it.
// Run with `npm start` from the repository root.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as torch from "@gradbook/engine";

const { nn, optim } = torch;
const { DataLoader, TensorDataset, random_split } = torch.utils.data;

const rows = gunzipSync(readFileSync(new URL("./data/digits.csv.gz", import.meta.url)))
  .toString()
  .trim()
  .split("\n")
  .map((line) => line.split(",").map(Number));
const x = torch.tensor(rows.map((r) => r.slice(0, 64))).div(16);
const y = torch.tensor(
  rows.map((r) => r[64]),
  { dtype: torch.int64 },
);

torch.manual_seed(0);
const [train, val] = random_split(new TensorDataset(x, y), [0.8, 0.2]);
const loader = new DataLoader(train, { batch_size: 64, shuffle: true });

const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
console.log(String(model));

async function accuracy(dataset) {
  model.eval();
  const [xs, ys] = [...new DataLoader(dataset, { batch_size: dataset.__len__() })][0];
  const correct = torch.no_grad(() => model(xs).argmax(1).eq(ys).sum());
  model.train();
  return (await correct.item()) / dataset.__len__();
}

const start = performance.now();
for (let epoch = 1; epoch <= 15; epoch++) {
  let total = 0;
  for (const [xb, yb] of loader) {
    optimizer.zero_grad();
    const loss = lossFn(model(xb), yb);
    loss.backward();
    optimizer.step();
    total += (await loss.item()) * xb.shape[0];
  }
  const acc = await accuracy(val);
  console.log(
    `epoch ${epoch}: train loss ${(total / train.__len__()).toFixed(4)}, val accuracy ${(acc * 100).toFixed(1)}%`,
  );
}
console.log(
  `trained in ${((performance.now() - start) / 1000).toFixed(1)} s; live tensors:`,
  torch.memory(),
);
