/**
 * Loss functions with PyTorch's formulas, reductions and argument order, plus errors that tell a
 * student what to change (wrong target dtype, shapes that would silently broadcast, labels out
 * of range).
 */

import { type PyArgs, parseArgs } from "../../args.js";
import { no_grad } from "../../autograd.js";
import { ones_like } from "../../creation.js";
import * as ops from "../../ops.js";
import { sameShape, shapeStr } from "../../shape.js";
import type { Tensor } from "../../tensor.js";

export type Reduction = "mean" | "sum" | "none";

/** `size_average` and `reduce` are PyTorch's deprecated spellings of `reduction`; kept so positions match. */
interface LegacyReduction {
  size_average: boolean | null;
  reduce: boolean | null;
  reduction: Reduction;
}

export function resolveReduction({ size_average, reduce, reduction }: LegacyReduction): Reduction {
  let r = reduction;
  if (size_average !== null || reduce !== null) {
    if (reduce === false) r = "none";
    else r = size_average === false ? "sum" : "mean";
  }
  if (r !== "mean" && r !== "sum" && r !== "none") {
    throw new Error(`${String(r)} is not a valid value for reduction`);
  }
  return r;
}

function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return loss.mean();
  if (reduction === "sum") return loss.sum();
  return loss;
}

/**
 * PyTorch only warns here; broadcasting an [N] target against an [N, 1] output makes an [N, N]
 * loss that trains wrongly without any error, the classic beginner bug. So we stop.
 */
function checkSameSize(input: Tensor, target: Tensor): void {
  if (sameShape(input.shape, target.shape)) return;
  const hint =
    input.numel() === target.numel()
      ? ` Reshape one to match, e.g. target.view(${shapeStr(input.shape)}) or output.view(${shapeStr(target.shape)}).`
      : "";
  throw new Error(
    `Using a target size (${shapeStr(target.shape)}) that is different to the input size (${shapeStr(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.${hint}`,
  );
}

function floatTarget(target: Tensor): Tensor {
  return target.is_floating_point() ? target : target.float();
}

type PairLossArgs = PyArgs<
  [size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }
>;

const legacyDefaults = (): LegacyReduction => ({
  size_average: null,
  reduce: null,
  reduction: "mean",
});

/** Mean squared error: mean((input - target)^2). */
export function mse_loss(input: Tensor, target: Tensor, ...args: PairLossArgs): Tensor {
  const reduction = resolveReduction(
    parseArgs("mse_loss", args, ["size_average", "reduce", "reduction"], legacyDefaults()),
  );
  checkSameSize(input, target);
  return applyReduction(input.sub(floatTarget(target)).square(), reduction);
}

/** Mean absolute error: mean(|input - target|). */
export function l1_loss(input: Tensor, target: Tensor, ...args: PairLossArgs): Tensor {
  const reduction = resolveReduction(
    parseArgs("l1_loss", args, ["size_average", "reduce", "reduction"], legacyDefaults()),
  );
  checkSameSize(input, target);
  return applyReduction(input.sub(floatTarget(target)).abs(), reduction);
}

// ---------------------------------------------------------------- class-index losses

/** The checks PyTorch's nll_loss makes on class-index targets, with its messages. */
function checkClassTarget(input: Tensor, target: Tensor, weight: Tensor | null): void {
  if (target.dtype !== "int64") {
    throw new TypeError(
      `expected scalar type Long but found ${target.dtype === "bool" ? "Bool" : "Float"}: class-index targets must be int64 (e.g. torch.tensor(labels, { dtype: torch.int64 }) or y.long())`,
    );
  }
  if (input.ndim < 1) throw new Error(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim <= 2 && target.ndim > 1) {
    throw new Error(
      `0D or 1D target tensor expected, multi-target not supported (got a target of size ${shapeStr(target.shape)}; flatten it with y.view(-1) or y.squeeze(1))`,
    );
  }
  if (input.ndim === 1 && target.ndim !== 0) {
    throw new Error(
      `an unbatched input of size ${shapeStr(input.shape)} takes a 0-d target, got ${shapeStr(target.shape)}`,
    );
  }
  if (input.ndim > 1 && input.shape[0] !== target.shape[0]) {
    throw new Error(
      `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`,
    );
  }
  if (input.ndim > 2) {
    const expected = [input.shape[0], ...input.shape.slice(2)];
    if (!sameShape(expected, target.shape)) {
      throw new Error(`Expected target size ${shapeStr(expected)}, got ${shapeStr(target.shape)}`);
    }
  }
  checkClassWeight(weight, input.shape[input.ndim === 1 ? 0 : 1]);
}

function checkClassWeight(weight: Tensor | null, classes: number): void {
  if (weight && (weight.ndim !== 1 || weight.numel() !== classes)) {
    throw new Error(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${shapeStr(weight.shape)}`,
    );
  }
}

/** `Target 7 is out of bounds.`, when the backend can read the labels synchronously. */
function checkTargetBounds(target: Tensor, classes: number, ignore_index: number): void {
  if (!target._backend.syncReadback) return;
  for (const v of target.dataSync()) {
    if (v !== ignore_index && (v < 0 || v >= classes)) {
      throw new RangeError(
        `Target ${v} is out of bounds. (class indices must be in [0, ${classes - 1}] for an input with ${classes} classes)`,
      );
    }
  }
}

interface ClassLoss {
  weight: Tensor | null;
  ignore_index: number;
  reduction: Reduction;
}

/** -w[y] * logp[y] per element, and the per-element weights (0 where ignored). */
function pickTargets(logp: Tensor, target: Tensor, o: ClassLoss): { losses: Tensor; w: Tensor } {
  const classDim = logp.ndim === 1 ? 0 : 1;
  checkTargetBounds(target, logp.shape[classDim], o.ignore_index);
  const ignored = target.eq(o.ignore_index);
  const safe = ops.where(ignored, 0, target);
  const picked = logp.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim);
  const w = o.weight
    ? ops.where(ignored, 0, o.weight.index_select(0, safe.reshape(-1)).reshape(target.shape))
    : ignored.logical_not().float();
  return { losses: picked.neg().mul(w), w };
}

/** Mean over the weights of the targets, as PyTorch's weighted NLL mean. */
function classReduction(losses: Tensor, w: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return losses.sum().div(w.sum());
  return applyReduction(losses, reduction);
}

type NllArgs = PyArgs<
  [
    weight: Tensor | null,
    size_average: boolean | null,
    ignore_index: number,
    reduce: boolean | null,
    reduction: Reduction,
  ],
  {
    weight?: Tensor | null;
    size_average?: boolean | null;
    ignore_index?: number;
    reduce?: boolean | null;
    reduction?: Reduction;
  }
>;

const nllNames = ["weight", "size_average", "ignore_index", "reduce", "reduction"] as const;

function nllDefaults() {
  return { ...legacyDefaults(), weight: null as Tensor | null, ignore_index: -100 };
}

/**
 * Negative log likelihood of class-index targets: input [N, C] (or [N, C, d1, ...], or [C])
 * holds log-probabilities (e.g. from log_softmax), target [N] (or [N, d1, ...]) int64 labels.
 */
export function nll_loss(input: Tensor, target: Tensor, ...args: NllArgs): Tensor {
  const o = parseArgs("nll_loss", args, nllNames, nllDefaults());
  const reduction = resolveReduction(o);
  checkClassTarget(input, target, o.weight);
  const { losses, w } = pickTargets(input, target, { ...o, reduction });
  return classReduction(losses, w, reduction);
}

type CrossEntropyArgs = PyArgs<
  [
    weight: Tensor | null,
    size_average: boolean | null,
    ignore_index: number,
    reduce: boolean | null,
    reduction: Reduction,
    label_smoothing: number,
  ],
  {
    weight?: Tensor | null;
    size_average?: boolean | null;
    ignore_index?: number;
    reduce?: boolean | null;
    reduction?: Reduction;
    label_smoothing?: number;
  }
>;

/**
 * log_softmax over the classes (dim 1, or 0 unbatched) then NLL. Targets are int64 class
 * indices, or class probabilities (float, the input's shape). `label_smoothing` mixes the
 * target with the uniform distribution, as PyTorch does.
 */
export function cross_entropy(input: Tensor, target: Tensor, ...args: CrossEntropyArgs): Tensor {
  const o = parseArgs("cross_entropy", args, [...nllNames, "label_smoothing"], {
    ...nllDefaults(),
    label_smoothing: 0,
  });
  const reduction = resolveReduction(o);
  const smoothing = o.label_smoothing;
  if (!(smoothing >= 0 && smoothing <= 1)) {
    throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const logp = input.log_softmax(classDim);
  const classes = input.shape[classDim];
  const weightShape = input.shape.map((s, i) => (i === classDim ? s : 1));

  if (target.is_floating_point() && sameShape(target.shape, input.shape)) {
    // Class probabilities: -sum_c w_c p_c log q_c per sample.
    checkClassWeight(o.weight, classes);
    const p = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
    let terms = logp.mul(p);
    if (o.weight) terms = terms.mul(o.weight.reshape(weightShape));
    const perSample = terms.sum(classDim).neg();
    if (reduction === "mean") return perSample.sum().div(input.numel() / classes);
    return applyReduction(perSample, reduction);
  }

  checkClassTarget(input, target, o.weight);
  const { losses, w } = pickTargets(logp, target, { ...o, reduction });
  const nll = classReduction(losses, w, reduction);
  if (smoothing === 0) return nll;
  // The uniform part: -sum_c w_c log q_c per sample, zero where the target is ignored.
  const weighted = o.weight ? logp.mul(o.weight.reshape(weightShape)) : logp;
  const ignored = target.eq(o.ignore_index);
  const smooth = ops.where(ignored, 0, weighted.sum(classDim).neg());
  // w.sum() is PyTorch's divisor here too: the target weights (or count) of the kept elements.
  const smoothReduced = classReduction(smooth, w, reduction);
  return nll.mul(1 - smoothing).add(smoothReduced.mul(smoothing / classes));
}

// ---------------------------------------------------------------- binary losses

type BceArgs = PyArgs<
  [
    weight: Tensor | null,
    size_average: boolean | null,
    reduce: boolean | null,
    reduction: Reduction,
  ],
  {
    weight?: Tensor | null;
    size_average?: boolean | null;
    reduce?: boolean | null;
    reduction?: Reduction;
  }
>;

/** PyTorch's BCE checks its probabilities; logits passed by mistake are a common slip. */
function checkProbabilities(input: Tensor): void {
  if (!input._backend.syncReadback) return;
  for (const v of input.dataSync()) {
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `all elements of input should be between 0 and 1 (got ${v}). BCELoss takes probabilities: apply a Sigmoid first, or use BCEWithLogitsLoss on raw scores.`,
      );
    }
  }
}

/**
 * -(y log x + (1 - y) log(1 - x)) with each log clamped at -100, as PyTorch. Its own backward
 * rule, (x - y) / max(x (1 - x), 1e-12), stays finite where a sigmoid saturates to exactly 0 or 1.
 */
export function binary_cross_entropy(input: Tensor, target: Tensor, ...args: BceArgs): Tensor {
  const o = parseArgs(
    "binary_cross_entropy",
    args,
    ["weight", "size_average", "reduce", "reduction"],
    { ...legacyDefaults(), weight: null as Tensor | null },
  );
  const reduction = resolveReduction(o);
  checkSameSize(input, target);
  checkProbabilities(input);
  const y = floatTarget(target);
  const [logX, log1mX] = no_grad(() => [
    input.log().clamp({ min: -100 }),
    input.neg().add(1).log().clamp({ min: -100 }),
  ]);
  const value = no_grad(() => y.mul(logX).add(y.neg().add(1).mul(log1mX)).neg());
  let loss = ops.record(
    value,
    "BinaryCrossEntropyBackward0",
    [input, y],
    (g) => [
      g.mul(input.sub(y)).div(input.mul(input.neg().add(1)).clamp({ min: 1e-12 })),
      g.mul(log1mX.sub(logX)),
    ],
    [input, y],
  );
  if (o.weight) loss = loss.mul(o.weight);
  return applyReduction(loss, reduction);
}

type BceLogitsArgs = PyArgs<
  [
    weight: Tensor | null,
    size_average: boolean | null,
    reduce: boolean | null,
    reduction: Reduction,
    pos_weight: Tensor | null,
  ],
  {
    weight?: Tensor | null;
    size_average?: boolean | null;
    reduce?: boolean | null;
    reduction?: Reduction;
    pos_weight?: Tensor | null;
  }
>;

/**
 * Sigmoid + BCE in one stable formula: (1 - y) x + L softplus(-x), L = 1 + (pos_weight - 1) y,
 * with softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)). Its backward rule,
 * L sigmoid(x) - pos_weight y, is exact at x = 0, where the composed max/abs would not be.
 */
export function binary_cross_entropy_with_logits(
  input: Tensor,
  target: Tensor,
  ...args: BceLogitsArgs
): Tensor {
  const o = parseArgs(
    "binary_cross_entropy_with_logits",
    args,
    ["weight", "size_average", "reduce", "reduction", "pos_weight"],
    { ...legacyDefaults(), weight: null as Tensor | null, pos_weight: null as Tensor | null },
  );
  const reduction = resolveReduction(o);
  checkSameSize(input, target);
  const y = floatTarget(target);
  const pw = o.pos_weight;
  const { softplusNeg, logWeight, value } = no_grad(() => {
    const sp = input.neg().relu().add(input.abs().neg().exp().add(1).log());
    const lw = pw ? pw.sub(1).mul(y).add(1) : ones_like(y);
    return { softplusNeg: sp, logWeight: lw, value: y.neg().add(1).mul(input).add(lw.mul(sp)) };
  });
  let loss = ops.record(
    value,
    "BinaryCrossEntropyWithLogitsBackward0",
    [input, y, pw],
    (g) => [
      g.mul(logWeight.mul(input.sigmoid()).sub(pw ? pw.mul(y) : y)),
      g.mul(pw ? pw.sub(1).mul(softplusNeg).sub(input) : input.neg()),
      pw ? ops.sumToShape(g.mul(y).mul(softplusNeg), pw.shape) : null,
    ],
    [input, y],
  );
  if (o.weight) loss = loss.mul(o.weight);
  return applyReduction(loss, reduction);
}
