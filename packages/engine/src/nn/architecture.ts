/**
 * A model's architecture as JSON, so a model made of built-in modules can be saved without its
 * source and rebuilt: `build(describe(model))` makes a fresh model of the same shape (load the
 * weights with `load_state_dict`). Constructor arguments appear by their PyTorch names:
 * `{ "type": "Sequential", "children": [{ "type": "Linear", "in_features": 4, "out_features": 16 }] }`.
 */

import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
import { ModuleList, Sequential } from "./containers.js";
import { Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d } from "./layers.js";
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss } from "./loss.js";
import { type AnyModule, Module } from "./module.js";
import { BatchNorm1d, BatchNorm2d, LayerNorm } from "./normalization.js";
import { builtinClass, builtinName, builtinNames } from "./registry.js";

/** One module: its PyTorch class name, constructor arguments, and (for containers) children. */
export interface ModuleSpec {
  type: string;
  /** A child's key in its container, when it isn't its position (named Sequential). */
  name?: string;
  children?: ModuleSpec[];
  [arg: string]: unknown;
}

/**
 * Every describable class, referenced here so a bundler keeps them all (and their registration)
 * even when a program only loads a saved model.
 */
export const BUILTIN_MODULES = [
  Sequential,
  ModuleList,
  Identity,
  Linear,
  Flatten,
  Dropout,
  Conv2d,
  MaxPool2d,
  ReLU,
  LeakyReLU,
  Tanh,
  Sigmoid,
  GELU,
  Softmax,
  LogSoftmax,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  MSELoss,
  L1Loss,
  NLLLoss,
  CrossEntropyLoss,
  BCELoss,
  BCEWithLogitsLoss,
] as const;

function isContainer(m: AnyModule): m is Sequential | ModuleList<AnyModule> {
  return m instanceof Sequential || m instanceof ModuleList;
}

/** The architecture of a model built from built-in modules (a custom subclass can't be described). */
export function describe(module: AnyModule): ModuleSpec {
  if (!(module instanceof Module)) {
    throw new TypeError(`describe(): expected an nn.Module, got ${typeof module}`);
  }
  const type = builtinName(module);
  if (type === undefined) {
    const name = module._get_name();
    throw new Error(
      `Can't describe ${name}: it is a custom Module subclass, and its forward() is code, which isn't saved. Only models made of built-in modules (nn.Sequential, nn.Linear, ...) can be saved with their architecture. Save ${name}'s state_dict() instead, and load it into a model made from your class: model.load_state_dict(state_dict).`,
    );
  }
  const spec: ModuleSpec = { type, ...module._config() };
  if (isContainer(module)) {
    spec.children = module._ownModules().map(([name, child], i) => {
      const childSpec = describe(child);
      return name === String(i) ? childSpec : { ...childSpec, name };
    });
  }
  return spec;
}

/** A fresh model (newly initialised weights) from a spec made by `describe` or written by hand. */
export function build(spec: ModuleSpec): Module {
  if (spec === null || typeof spec !== "object" || typeof spec.type !== "string") {
    throw new TypeError(
      `build(): expected a spec like { "type": "Linear", ... }, got ${JSON.stringify(spec)}`,
    );
  }
  const { type, name: _name, children, ...config } = spec;
  const cls = builtinClass(type);
  if (!cls || !BUILTIN_MODULES.some((c) => c === cls)) {
    throw new Error(
      `build(): unknown module type '${type}'. Known types: ${builtinNames().join(", ")}`,
    );
  }
  if (cls === Sequential || cls === ModuleList) {
    if (children !== undefined && !Array.isArray(children)) {
      throw new TypeError(`build(): the children of a ${type} must be an array of specs`);
    }
    const kids = (children ?? []).map((c) => [c.name, build(c)] as const);
    if (cls === ModuleList) return new ModuleList(kids.map(([, m]) => m));
    if (kids.some(([n]) => n !== undefined)) {
      return new Sequential(Object.fromEntries(kids.map(([n, m], i) => [n ?? String(i), m])));
    }
    return new Sequential(...kids.map(([, m]) => m));
  }
  if (children !== undefined && (!Array.isArray(children) || children.length > 0)) {
    throw new Error(`build(): a ${type} has no children`);
  }
  const make = cls as unknown as new (options: Record<string, unknown>) => Module;
  return new make(config);
}
