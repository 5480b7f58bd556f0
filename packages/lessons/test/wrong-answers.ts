/**
 * A wrong answer for every exercise, with what its check must say about it: the checks are
 * tested to catch common mistakes and to explain them.
 */
export interface WrongAnswer {
  readonly source: string;
  readonly message: RegExp;
}

export const WRONG_ANSWERS: Readonly<Record<string, Readonly<Record<string, WrongAnswer>>>> = {
  tensors: {
    grid: {
      source: "const grid = torch.arange(12).reshape(4, 3);",
      message: /`grid` has shape \[4, 3\]; expected \[3, 4\] \(transposed\?\)/,
    },
    classes: {
      source: "const classes = torch.tensor([2, 0, 1]);",
      message: /`classes` has dtype float32; expected int64/,
    },
    centered: {
      source: "const centered = scores.sub(scores.mean());",
      message: /`centered` has 12 of 12 values wrong: at \[0, 0\] it is -8.333, expected -5/,
    },
  },
  autograd: {
    "cube-grad": {
      source: [
        "const p = torch.tensor(2, { requires_grad: true });",
        "const q = p.pow(3).add(p);",
        "q.backward();",
        "const dq = p.grad;",
      ].join("\n"),
      message: /`dq` holds 13, expected 14/,
    },
    "fresh-grad": {
      source: [
        "const u = torch.tensor(1.5, { requires_grad: true });",
        "u.mul(u).backward();",
        "u.mul(5).backward();",
        "const freshGrad = u.grad;",
      ].join("\n"),
      message: /`freshGrad` holds 8, expected 5/,
    },
    "predict-grad": {
      source: "const predicted = torch.tensor([0.5, -1, 2]);",
      message: /`predicted` has 3 of 3 values wrong: at \[0\] it is 0.5, expected 4/,
    },
  },
  "backprop-by-hand": {
    dz1: {
      source: "const dz1 = dh * (1 - h);",
      message: /`dz1` is -?[\d.]+; expected -?[\d.]+/,
    },
    dW1: {
      source: "const dZ = dH.mul(Z.detach().gt(0).float());\nconst dW1 = dZ.T.matmul(X);",
      message: /`dW1` has shape \[5, 3\]; expected \[3, 5\] \(transposed\?\)/,
    },
  },
  modules: {
    classifier: {
      source: [
        "class Classifier extends nn.Module {",
        "  constructor() {",
        "    super();",
        "    this.fc1 = new nn.Linear(4, 16);",
        "    this.fc2 = new nn.Linear(16, 3);",
        "  }",
        "  forward(x) {",
        "    return this.fc2(this.fc1(x));",
        "  }",
        "}",
      ].join("\n"),
      message: /`model\(x\)` has \d+ of 15 values wrong/,
    },
    "count-params": {
      source: "function countParameters(model) {\n  return model.parameters().length;\n}",
      message: /`countParameters\(new nn.Linear\(4, 3\)\)` is 2; expected 15/,
    },
  },
  activations: {
    sigmoid: {
      source: "function mySigmoid(x) {\n  return x.exp().add(1).reciprocal();\n}",
      message:
        /`mySigmoid\(x\)` has 10 of 11 values wrong: at \[0\] it is 0.9933, expected 0.006693/,
    },
    "relu-grad": {
      source: "function reluGrad(x) {\n  return x.gt(0);\n}",
      message: /`reluGrad\(x\)` has dtype bool; expected float32 \(convert with `.float\(\)`\)/,
    },
    collapse: {
      source:
        "const combinedW = first.weight.matmul(second.weight);\nconst combinedB = second.bias;",
      message: /mat1 and mat2 shapes cannot be multiplied \(4x3 and 2x4\)/,
    },
  },
  losses: {
    "stable-softmax": {
      source: "function stableSoftmax(z) {\n  return z.exp().div(z.exp().sum(1, true));\n}",
      message:
        /`stableSoftmax\(z\)` has 2 of 6 values wrong: at \[0, 0\] it is NaN, expected 0.7311/,
    },
    "cross-entropy": {
      source: "const myCrossEntropy = F.cross_entropy(F.softmax(scores, 1), truth);",
      message: /`myCrossEntropy` holds [\d.]+, expected [\d.]+/,
    },
  },
  optimizers: {
    "gd-step": {
      source: [
        "function gdStep(params, lr) {",
        "  torch.no_grad(() => {",
        "    for (const p of params) p.add_(p.grad.mul(lr));",
        "  });",
        "}",
      ].join("\n"),
      message:
        /`p after gdStep\(\[p\], 0.1\)` has 2 of 2 values wrong: at \[0\] it is 1.2, expected 0.8/,
    },
    "good-lr": {
      source: "const goodLr = 0.55;",
      message: /With η = 0.55 the loss after 60 steps is .*: too large: it diverges/,
    },
  },
  "training-loop": {
    "train-step": {
      source: [
        "function trainStep(model, optimizer, lossFn, x, y) {",
        "  optimizer.zero_grad();",
        "  const loss = lossFn(model(x), y);",
        "  loss.backward();",
        "  return loss;",
        "}",
      ].join("\n"),
      message: /After 200 calls of trainStep the loss is [\d.]+; it should fall below 0.4/,
    },
    "learned-slope": {
      source: "const learnedSlope = lineModel.weight;",
      message: /`learnedSlope` is a tensor; expected a number: read it with `await t.item\(\)`/,
    },
  },
  batches: {
    "squares-dataset": {
      source: [
        "class SquaresDataset extends data.Dataset {",
        "  constructor(n) {",
        "    super();",
        "    this.n = n;",
        "  }",
        "  __len__() {",
        "    return this.n;",
        "  }",
        "  __getitem__(i) {",
        "    return [i, i * i];",
        "  }",
        "}",
      ].join("\n"),
      message: /`squares.__getitem__\(3\)\[0\]` is a number; expected a tensor of shape \[1\]/,
    },
    "batch-count": {
      source:
        "function countBatches(n, batchSize, dropLast) {\n  return Math.floor(n / batchSize);\n}",
      message: /`countBatches\(150, 32, false\)` is 4; expected 5/,
    },
  },
  normalization: {
    "wine-stats": {
      source: "const featureMean = wine.data.mean();\nconst featureStd = wine.data.std();",
      message: /`featureMean` has shape \[\]; expected \[13\]/,
    },
    normalize: {
      source: "const wineNormalized = wine.data.sub(featureMean);",
      message: /`wineNormalized.std\(0\)` has 13 of 13 values wrong/,
    },
  },
  validation: {
    split: {
      source: [
        "const [trainPart, valPart] = data.random_split(rings, [0.5, 0.5], {",
        "  generator: new torch.Generator().manual_seed(1),",
        "});",
      ].join("\n"),
      message: /`trainPart.length` is 40; expected 64/,
    },
    evaluate: {
      source: [
        "async function accuracyOf(model, dataset) {",
        "  const [x, y] = everything(dataset);",
        "  return await model(x).argmax(1).eq(y).float().mean().item();",
        "}",
      ].join("\n"),
      message: /accuracyOf should switch the model to evaluation mode: call model.eval\(\)/,
    },
  },
  "batch-norm": {
    "batchnorm-by-hand": {
      source:
        "function batchNorm(x, eps = 1e-5) {\n  return x.sub(x.mean(0)).div(x.var(0).add(eps).sqrt());\n}",
      message:
        /`batchNorm\(x\)` has 32 of 32 values wrong: .* \(every value is 0.935\d× the expected one\)/,
    },
    "eval-stats": {
      source: "const evalOutput = norm(query);",
      message: /`evalOutput` has \d of 6 values wrong/,
    },
  },
  "digits-project": {
    "digits-model": {
      source: [
        "torch.manual_seed(0);",
        "const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 9));",
      ].join("\n"),
      message: /`model\(x\).shape for x of shape \[2, 64\]\[1\]` is 9; expected 10/,
    },
    confusion: {
      source: "const confusion = F.one_hot(valLabels, 10).T.matmul(F.one_hot(valPredictions, 10));",
      message: /Your code threw TypeError: matmul: expected both tensors to be float32/,
    },
    "predict-digit": {
      source: [
        "async function predictDigit(pixels) {",
        "  const input = normalize(torch.tensor(Array.from(pixels)).reshape(1, 64));",
        "  return torch.no_grad(() => model(input)).argmax(1);",
        "}",
      ].join("\n"),
      message: /is a tensor; expected a number: read it with `await t.item\(\)`/,
    },
  },
  template: {
    squares: {
      source: "const squares = x.mul(2);",
      message: /`squares` has 3 of 5 values wrong: at \[0\] it is -4, expected 4/,
    },
  },
};
