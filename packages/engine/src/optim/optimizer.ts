/**
 * `torch.optim.Optimizer`: parameter groups, per-parameter state, `zero_grad`, `state_dict`.
 * Subclasses implement `step()`; the built-in ones use `updateEach` for PyTorch's loop over
 * groups and parameters with a gradient.
 */

import type { BackendBuffer } from "@gradbook/kernels";
import { enable_grad, no_grad } from "../autograd.js";
import { freeTemporaries, type Storage } from "../storage.js";
import { Tensor } from "../tensor.js";
import { pythonRepr } from "./repr.js";

/** Hyperparameters every optimizer has; each optimizer adds its own. */
export interface Hyperparameters {
  lr: number;
}

/** One entry of `optimizer.param_groups`: the tensors and the hyperparameters they share. */
export type ParamGroup<H extends Hyperparameters = Hyperparameters> = H & {
  params: Tensor[];
  /** Set by a learning-rate scheduler: the lr it started from. */
  initial_lr?: number;
};

/** A group as a user writes it: `{ params: layer.parameters(), lr: 0.01 }`; missing keys take the defaults. */
export type ParamGroupInput<H extends Hyperparameters = Hyperparameters> = Partial<H> & {
  params: Iterable<Tensor> | Tensor;
  initial_lr?: number;
};

/** What an optimizer takes: `model.parameters()`, an array of tensors, or an array of groups. */
export type ParamsInput<H extends Hyperparameters = Hyperparameters> =
  | Iterable<Tensor>
  | Iterable<ParamGroupInput<H>>;

/** `optimizer.state_dict()`: parameters are replaced by their index, counted across groups. */
export interface OptimizerStateDict<H extends Hyperparameters = Hyperparameters, S = object> {
  state: Record<number, S>;
  param_groups: (Omit<ParamGroup<H>, "params"> & { params: number[] })[];
}

/** `optimizer.step(closure)`: the closure re-evaluates the model and returns the loss. */
export type Closure = () => Tensor | number;

export abstract class Optimizer<
  H extends Hyperparameters = Hyperparameters,
  S extends object = object,
> {
  readonly defaults: H;
  param_groups: ParamGroup<H>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts), keyed by the tensor. */
  state = new Map<Tensor, S>();

  constructor(params: ParamsInput<H>, defaults: H) {
    if (params instanceof Tensor) {
      throw new TypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${tensorTypeName(params)}`,
      );
    }
    this.defaults = defaults;
    const items = Array.from(params as Iterable<Tensor | ParamGroupInput<H>>);
    if (items.length === 0) throw new RangeError("optimizer got an empty parameter list");
    const groups = items.every((p) => p instanceof Tensor)
      ? [{ params: items as Tensor[] } as unknown as ParamGroupInput<H>]
      : (items as ParamGroupInput<H>[]);
    for (const group of groups) this.add_param_group(group);
  }

  /** Add a group of parameters (e.g. layers unfrozen while fine-tuning), filling in the defaults. */
  add_param_group(group: ParamGroupInput<H>): void {
    if (group === null || typeof group !== "object" || group instanceof Tensor) {
      throw new TypeError("param_group must be a dict");
    }
    if (group.params === undefined) throw new TypeError("a parameter group needs 'params'");
    const params = group.params instanceof Tensor ? [group.params] : Array.from(group.params);
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new TypeError(
          `optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`,
        );
      }
      if (!p.is_leaf) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    if (new Set(params).size !== params.length) {
      console.warn(
        "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error",
      );
    }
    const taken = new Set(this.param_groups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) {
      throw new RangeError("some parameters appear in more than one parameter group");
    }
    const filled = { ...this.defaults, ...withoutUndefined(group), params } as ParamGroup<H>;
    this.param_groups.push(filled);
  }

  /** Reset gradients: to null (PyTorch's default), or to zeros with `zero_grad(false)`. */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    const toNone =
      typeof set_to_none === "object" ? (set_to_none.set_to_none ?? true) : set_to_none;
    for (const group of this.param_groups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (toNone) {
          p.grad = null;
          continue;
        }
        if (p.grad.grad_fn) p.grad.detach_();
        else if (p.grad.requires_grad) p.grad.requires_grad_(false);
        p.grad.zero_();
      }
    }
  }

  /** Update the parameters from their gradients. Returns the closure's loss, if one was given. */
  abstract step(closure?: Closure): Tensor | number | null;

  /**
   * PyTorch's single-tensor loop: run the closure (with grad on), then, without recording for
   * autograd, call `update` for every parameter whose grad is not null, storing the state it returns.
   */
  protected updateEach(
    closure: Closure | undefined,
    update: (param: Tensor, grad: Tensor, group: ParamGroup<H>, state: S | undefined) => S | null,
  ): Tensor | number | null {
    const loss = closure ? enable_grad(closure) : null;
    // The update's temporaries are freed at once; parameters and their state live on.
    freeTemporaries(
      () =>
        no_grad(() => {
          for (const group of this.param_groups) {
            for (const p of group.params) {
              if (!p.grad) continue;
              const next = update(p, p.grad, group, this.state.get(p));
              if (next) this.state.set(p, next);
            }
          }
        }),
      () => this.stateStorages(),
    );
    return loss;
  }

  private *stateStorages(): Iterable<Storage> {
    for (const state of this.state.values()) {
      for (const value of Object.values(state)) if (value instanceof Tensor) yield value._storage;
    }
  }

  /**
   * `{ state, param_groups }` in PyTorch's layout. As in PyTorch, state tensors are the live
   * buffers (clone them to keep a snapshot while training goes on).
   */
  state_dict(): OptimizerStateDict<H, S> {
    const index = new Map<Tensor, number>();
    const param_groups = this.param_groups.map((group) => {
      const { params, ...hyper } = group;
      for (const p of params) if (!index.has(p)) index.set(p, index.size);
      return { ...copyValues(hyper), params: params.map((p) => index.get(p)!) };
    });
    const state: Record<number, S> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, param_groups } as OptimizerStateDict<H, S>;
  }

  /** Restore hyperparameters and state saved by `state_dict()` (from an optimizer over the same model). */
  load_state_dict(state_dict: OptimizerStateDict<H, S>): void {
    const saved = state_dict.param_groups;
    if (saved.length !== this.param_groups.length) {
      throw new RangeError("loaded state dict has a different number of parameter groups");
    }
    if (saved.some((g, i) => g.params.length !== this.param_groups[i].params.length)) {
      throw new RangeError(
        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
      );
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => {
      g.params.forEach((id, j) => {
        byIndex.set(id, this.param_groups[i].params[j]);
      });
    });
    this.state = new Map();
    for (const [key, value] of Object.entries(state_dict.state)) {
      const p = byIndex.get(Number(key));
      if (p) this.state.set(p, stateFor(p, value as S));
    }
    this.param_groups = saved.map((g, i) => {
      const { params: _ids, ...hyper } = g;
      return { ...copyValues(hyper), params: this.param_groups[i].params } as ParamGroup<H>;
    });
  }

  /** As PyTorch prints an optimizer: each group's hyperparameters, sorted by name. */
  toString(): string {
    let out = `${this.constructor.name} (`;
    this.param_groups.forEach((group, i) => {
      out += `\nParameter Group ${i}\n`;
      for (const key of Object.keys(group).sort()) {
        if (key === "params") continue;
        out += `    ${key}: ${pythonRepr((group as unknown as Record<string, unknown>)[key])}\n`;
      }
    });
    return `${out})`;
  }
}

/**
 * The buffers of `tensors` (a parameter, its gradient, then state) for a fused update kernel,
 * or null when one can't run it in place: each must be float32 on the parameter's device,
 * exactly all of its own memory (no view, no expanded gradient), sharing memory with no other.
 */
export function fusedBuffers(tensors: readonly Tensor[]): BackendBuffer[] | null {
  const [param] = tensors;
  const storages = new Set<Storage>();
  for (const t of tensors) {
    const fits =
      t.dtype === "float32" &&
      t._backend === param._backend &&
      t.numel() === param.numel() &&
      t._isDense() &&
      !storages.has(t._storage);
    if (!fits) return null;
    storages.add(t._storage);
  }
  return tensors.map((t) => t._storage.buffer);
}

/** After a fused update: the tensors it wrote are at a new version, as after in-place ops. */
export function markWritten(tensors: readonly Tensor[]): void {
  for (const t of tensors) t._storage.version++;
}

/** A copy of a saved state entry, its tensors cloned onto the parameter's device and dtype. */
function stateFor<S extends object>(param: Tensor, saved: S): S {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(saved)) {
    out[key] =
      value instanceof Tensor
        ? value.detach().to({ dtype: param.dtype, device: param.device }).clone()
        : copyValue(value);
  }
  return out as S;
}

function copyValue(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

function copyValues<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[key] = copyValue(value);
  return out as T;
}

/** `{ lr: undefined }` means "use the default", as leaving the key out does. */
function withoutUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function tensorTypeName(t: Tensor): string {
  return { float32: "torch.FloatTensor", int64: "torch.LongTensor", bool: "torch.BoolTensor" }[
    t.dtype
  ];
}

function typeName(value: unknown): string {
  if (value === null) return "None";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
