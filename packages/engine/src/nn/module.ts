/**
 * `nn.Module`. A module is callable (`model(x)`), and finds its parameters and submodules
 * among its own properties, in the order they were assigned, as PyTorch registers them on
 * attribute assignment.
 */

import { type PyArgs, parseArgs } from "../args.js";
import { no_grad } from "../autograd.js";
import { getBackend } from "../device.js";
import { shapeStr } from "../shape.js";
import { Tensor } from "../tensor.js";
import { Parameter } from "./parameter.js";
import { builtinName } from "./registry.js";
import { addIndent } from "./repr.js";

// ---------------------------------------------------------------- types

/** A JSON value describing a constructor argument (see `describe` / `build`). */
export type ConfigValue =
  | number
  | string
  | boolean
  | null
  | ConfigValue[]
  | { [key: string]: ConfigValue };

/** A built-in module's constructor arguments by PyTorch name. */
export type ModuleConfig = { [arg: string]: ConfigValue };

/** Any module, whatever its forward takes and returns (for traversal, not for calling). */
export type AnyModule = Module<never[], unknown>;

/** The arguments `forward` of module type M takes, and what it returns. */
export type InputOf<M> = M extends { forward(...args: infer I): unknown } ? I : never;
export type OutputOf<M> = M extends { forward(...args: never): infer O } ? O : never;

/** `register_forward_pre_hook`: may return new arguments (an array, or one value) to replace them. */
export type ForwardPreHook<M> = (module: M, args: InputOf<M>) => unknown;

/** `register_forward_hook`: may return a value (an OutputOf<M>) to replace the output. */
export type ForwardHook<M> = (module: M, args: InputOf<M>, output: OutputOf<M>) => unknown;

/** What `register_forward_hook` returns: `handle.remove()` unregisters the hook. */
export interface RemovableHandle {
  readonly id: number;
  remove(): void;
}

export interface LoadStateDictResult {
  missing_keys: string[];
  unexpected_keys: string[];
}

type StoredHook = (...args: never) => unknown;

// ---------------------------------------------------------------- Module

let nextHookId = 0;

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

function typeName(v: unknown): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "list";
  if (v instanceof Tensor) return "Tensor";
  if (v instanceof Module) return v._get_name();
  return typeof v;
}

function slot(m: object, name: string): unknown {
  return (m as Record<string, unknown>)[name];
}

function setSlot(m: object, name: string, value: unknown): void {
  (m as Record<string, unknown>)[name] = value;
}

function checkName(kind: string, name: string): void {
  if (typeof name !== "string")
    throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes(".")) throw new Error(`${kind} name can't contain ".", got: ${name}`);
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

/** Calling a module runs `__call__`: forward pre-hooks, `forward`, forward hooks. */
export interface Module<In extends unknown[] = Tensor[], Out = Tensor> {
  // biome-ignore lint/style/useShorthandFunctionType: this interface merges the call signature into the class
  (...args: In): Out;
}

/**
 * The base class of every layer and model. Subclass it, assign layers and `nn.Parameter`s to
 * `this` in the constructor, write `forward`, and call the model: `model(x)`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface adds the call signature that the constructor provides
export class Module<In extends unknown[] = Tensor[], Out = Tensor> {
  /** True in training mode (`train()`), false after `eval()`; Dropout and BatchNorm read it. */
  declare training: boolean;
  // Stored untyped so every Module<In, Out> is an AnyModule; the register methods type them.
  declare _forward_pre_hooks: Map<number, StoredHook>;
  declare _forward_hooks: Map<number, StoredHook>;
  /** Buffer names in registration order (the values are properties of the module). */
  declare _buffer_names: string[];
  declare _non_persistent_buffers: Set<string>;

  constructor() {
    // The instance is a function, so `model(x)` works; its prototype makes it this class.
    const self = ((...args: In): Out => self.__call__(...args)) as unknown as Module<In, Out>;
    // Free `name` and `length` for subclasses (a layer may well have a `name`).
    Reflect.deleteProperty(self, "name");
    Reflect.deleteProperty(self, "length");
    Object.setPrototypeOf(self, new.target.prototype);
    // Internal state is hidden, so own enumerable properties are exactly the user's attributes.
    defineHidden(self, "training", true);
    defineHidden(self, "_forward_pre_hooks", new Map());
    defineHidden(self, "_forward_hooks", new Map());
    defineHidden(self, "_buffer_names", []);
    defineHidden(self, "_non_persistent_buffers", new Set());
    // biome-ignore lint/correctness/noConstructorReturn: the instance must be a function to be callable
    return self;
  }

  /** The computation. Override it; call the module (`model(x)`) rather than `forward` so hooks run. */
  forward(..._args: In): Out {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** What `model(x)` runs: pre-hooks (may replace the arguments), forward, hooks (may replace the output). */
  __call__(...args: In): Out {
    let input = args;
    for (const stored of [...this._forward_pre_hooks.values()]) {
      const hook = stored as unknown as (module: this, args: In) => unknown;
      const result = hook(this, input);
      if (result !== undefined) input = (Array.isArray(result) ? result : [result]) as In;
    }
    let output = this.forward(...input);
    for (const stored of [...this._forward_hooks.values()]) {
      const hook = stored as unknown as (module: this, args: In, output: Out) => Out | undefined;
      const result = hook(this, input, output);
      if (result !== undefined) output = result as Out;
    }
    return output;
  }

  // Typed through `this: M` so the signature doesn't vary with In/Out (keeping every module an AnyModule).
  register_forward_pre_hook<M extends AnyModule>(
    this: M,
    hook: ForwardPreHook<M>,
  ): RemovableHandle {
    return addHook(this._forward_pre_hooks, hook as unknown as StoredHook);
  }

  register_forward_hook<M extends AnyModule>(this: M, hook: ForwardHook<M>): RemovableHandle {
    return addHook(this._forward_hooks, hook as unknown as StoredHook);
  }

  // ------------------------------------------------------------ registration

  /** A tensor that is state but not a parameter (e.g. BatchNorm's running_mean); saved in state_dict when persistent. */
  register_buffer(
    ...args: PyArgs<
      [name: string, tensor: Tensor | null, persistent: boolean],
      { name?: string; tensor?: Tensor | null; persistent?: boolean }
    >
  ): void {
    const { name, tensor, persistent } = parseArgs(
      "register_buffer",
      args,
      ["name", "tensor", "persistent"],
      { name: "", tensor: null as Tensor | null, persistent: true },
    );
    checkName("buffer", name);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(
        `cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`,
      );
    }
    if (name in this && !this._buffer_names.includes(name)) {
      throw new Error(`attribute '${name}' already exists`);
    }
    setSlot(this, name, tensor);
    if (!this._buffer_names.includes(name)) this._buffer_names.push(name);
    if (persistent) this._non_persistent_buffers.delete(name);
    else this._non_persistent_buffers.add(name);
  }

  /** Same as `this[name] = param` (PyTorch registers parameters on assignment; so do we, by discovery). */
  register_parameter(name: string, param: Parameter | null): void {
    checkName("parameter", name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(
        `cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`,
      );
    }
    setSlot(this, name, param);
  }

  /** Same as `this[name] = module`. */
  add_module(name: string, module: AnyModule | null): void {
    checkName("module", name);
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`${typeName(module)} is not a Module subclass`);
    }
    const current = slot(this, name);
    if (name in this && !(current instanceof Module) && current !== null && current !== undefined) {
      throw new Error(`attribute '${name}' already exists`);
    }
    setSlot(this, name, module);
  }

  register_module(name: string, module: AnyModule | null): void {
    this.add_module(name, module);
  }

  /** `model.get_submodule("encoder.0")`. */
  get_submodule(target: string): AnyModule {
    if (target === "") return this as unknown as AnyModule;
    let mod: AnyModule = this as unknown as AnyModule;
    for (const item of target.split(".")) {
      const next = slot(mod, item);
      if (next === undefined) throw new Error(`${mod._get_name()} has no attribute \`${item}\``);
      if (!(next instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
      mod = next as AnyModule;
    }
    return mod;
  }

  /** `model.get_parameter("0.weight")`. */
  get_parameter(target: string): Parameter {
    const dot = target.lastIndexOf(".");
    const mod = this.get_submodule(dot < 0 ? "" : target.slice(0, dot));
    const name = target.slice(dot + 1);
    const p = slot(mod, name);
    if (p === undefined) throw new Error(`${mod._get_name()} has no attribute \`${name}\``);
    if (!(p instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  // ------------------------------------------------------------ discovery

  /** Own properties holding a Parameter, in assignment order. */
  _ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Registered buffers that hold a tensor (a buffer may be null). */
  _ownBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const name of this._buffer_names) {
      const t = slot(this, name);
      if (t instanceof Tensor) out.push([name, t]);
    }
    return out;
  }

  /** Own properties holding a Module, in assignment order (duplicates included, as `_modules`). */
  _ownModules(): [string, AnyModule][] {
    return Object.entries(this).filter((e): e is [string, AnyModule] => e[1] instanceof Module);
  }

  named_children(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    return this._ownModules().filter(([, m]) => !seen.has(m) && seen.add(m) !== undefined);
  }

  children(): AnyModule[] {
    return this.named_children().map(([, m]) => m);
  }

  /** Every module in the tree, this one first (named ""), depth first, each once. */
  named_modules(
    ...args: PyArgs<
      [memo: Set<AnyModule> | null, prefix: string, remove_duplicate: boolean],
      { memo?: Set<AnyModule> | null; prefix?: string; remove_duplicate?: boolean }
    >
  ): [string, AnyModule][] {
    const { memo, prefix, remove_duplicate } = parseArgs(
      "named_modules",
      args,
      ["memo", "prefix", "remove_duplicate"],
      { memo: null as Set<AnyModule> | null, prefix: "", remove_duplicate: true },
    );
    const out: [string, AnyModule][] = [];
    const seen = memo ?? new Set<AnyModule>();
    const visit = (m: AnyModule, name: string) => {
      if (remove_duplicate) {
        if (seen.has(m)) return;
        seen.add(m);
      }
      out.push([name, m]);
      for (const [childName, child] of m._ownModules()) visit(child, join(name, childName));
    };
    visit(this as unknown as AnyModule, prefix);
    return out;
  }

  modules(): AnyModule[] {
    return this.named_modules().map(([, m]) => m);
  }

  private _namedMembers<T>(
    members: (m: AnyModule) => [string, T][],
    prefix: string,
    recurse: boolean,
    removeDuplicate: boolean,
  ): [string, T][] {
    const modules: [string, AnyModule][] = recurse
      ? this.named_modules(null, prefix, removeDuplicate)
      : [[prefix, this as unknown as AnyModule]];
    const seen = new Set<T>();
    const out: [string, T][] = [];
    for (const [modulePrefix, m] of modules) {
      for (const [name, value] of members(m)) {
        if (removeDuplicate) {
          if (seen.has(value)) continue;
          seen.add(value);
        }
        out.push([join(modulePrefix, name), value]);
      }
    }
    return out;
  }

  /** `[name, param]` pairs with dotted names ("0.weight", "fc1.bias"); shared parameters once. */
  named_parameters(
    ...args: PyArgs<
      [prefix: string, recurse: boolean, remove_duplicate: boolean],
      { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }
    >
  ): [string, Parameter][] {
    const o = parseArgs("named_parameters", args, ["prefix", "recurse", "remove_duplicate"], {
      prefix: "",
      recurse: true,
      remove_duplicate: true,
    });
    return this._namedMembers((m) => m._ownParameters(), o.prefix, o.recurse, o.remove_duplicate);
  }

  /** The learnable tensors, for an optimizer: `new optim.SGD(model.parameters(), { lr: 0.1 })`. */
  parameters(...args: PyArgs<[recurse: boolean], { recurse?: boolean }>): Parameter[] {
    const { recurse } = parseArgs("parameters", args, ["recurse"], { recurse: true });
    return this.named_parameters("", recurse).map(([, p]) => p);
  }

  named_buffers(
    ...args: PyArgs<
      [prefix: string, recurse: boolean, remove_duplicate: boolean],
      { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }
    >
  ): [string, Tensor][] {
    const o = parseArgs("named_buffers", args, ["prefix", "recurse", "remove_duplicate"], {
      prefix: "",
      recurse: true,
      remove_duplicate: true,
    });
    return this._namedMembers((m) => m._ownBuffers(), o.prefix, o.recurse, o.remove_duplicate);
  }

  buffers(...args: PyArgs<[recurse: boolean], { recurse?: boolean }>): Tensor[] {
    const { recurse } = parseArgs("buffers", args, ["recurse"], { recurse: true });
    return this.named_buffers("", recurse).map(([, b]) => b);
  }

  // ------------------------------------------------------------ modes and gradients

  /** Training mode for this module and all below it (Dropout drops, BatchNorm uses batch statistics). */
  train(...args: PyArgs<[mode: boolean], { mode?: boolean }>): this {
    const { mode } = parseArgs("train", args, ["mode"], { mode: true });
    if (typeof mode !== "boolean") throw new TypeError("training mode is expected to be boolean");
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. Gradients are still recorded; use `torch.no_grad` for that. */
  eval(): this {
    return this.train(false);
  }

  requires_grad_(...args: PyArgs<[requires_grad: boolean], { requires_grad?: boolean }>): this {
    const { requires_grad } = parseArgs("requires_grad_", args, ["requires_grad"], {
      requires_grad: true,
    });
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** Clear the parameters' gradients: to null (PyTorch 2's default), or to zeros with `set_to_none: false`. */
  zero_grad(...args: PyArgs<[set_to_none: boolean], { set_to_none?: boolean }>): void {
    const { set_to_none } = parseArgs("zero_grad", args, ["set_to_none"], { set_to_none: true });
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (set_to_none) p.grad = null;
      else p.grad = no_grad(() => p.grad!.detach().mul(0));
    }
  }

  /** `fn` on every submodule, then on this one (e.g. custom initialisation). */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  /** Move parameters and buffers to `device` in place (they stay the same objects, as in PyTorch). */
  to(...args: PyArgs<[device: string], { device?: string }>): this {
    const { device } = parseArgs("to", args, ["device"], {
      device: undefined as string | undefined,
    });
    if (device === undefined || device === "float32") return this; // our only float dtype
    const target = getBackend(device).name;
    for (const t of [...this.parameters(), ...this.buffers()]) moveInPlace(t, target);
    return this;
  }

  // ------------------------------------------------------------ state_dict

  /**
   * Every parameter and persistent buffer by dotted name, in PyTorch's order (per module: its
   * parameters, then its buffers, then its submodules). Values share memory with the model,
   * detached from the graph (`keep_vars: true` keeps the parameters themselves).
   */
  state_dict(opts: { prefix?: string; keep_vars?: boolean } = {}): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const keep = opts.keep_vars ?? false;
    const visit = (m: AnyModule, prefix: string) => {
      for (const [name, p] of m._ownParameters()) out[prefix + name] = keep ? p : p.detach();
      for (const [name, b] of m._ownBuffers()) {
        if (!m._non_persistent_buffers.has(name)) out[prefix + name] = keep ? b : b.detach();
      }
      for (const [name, child] of m._ownModules()) visit(child, `${prefix}${name}.`);
    };
    visit(this as unknown as AnyModule, opts.prefix ?? "");
    return out;
  }

  /**
   * Copy values in from a state_dict (under no_grad). With `strict` (the default), missing and
   * unexpected keys are errors; a shape mismatch always is. Nothing is copied if any error is found.
   */
  load_state_dict(
    state_dict: Record<string, Tensor>,
    // The state_dict is itself a plain object, so it is always the first argument, never an option.
    ...args: PyArgs<[strict: boolean], { strict?: boolean }>
  ): LoadStateDictResult {
    const { strict } = parseArgs("load_state_dict", args, ["strict"], { strict: true });
    if (state_dict === undefined || state_dict === null || typeof state_dict !== "object") {
      throw new TypeError(`Expected state_dict to be dict-like, got ${typeName(state_dict)}.`);
    }
    const own = this.state_dict({ keep_vars: true });
    const missing_keys = Object.keys(own).filter((k) => !(k in state_dict));
    const unexpected_keys = Object.keys(state_dict).filter((k) => !(k in own));
    const errors: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    for (const [key, dst] of Object.entries(own)) {
      if (!(key in state_dict)) continue;
      const src = state_dict[key];
      if (!(src instanceof Tensor)) {
        errors.push(
          `While copying the parameter named "${key}", expected a Tensor from checkpoint but received ${typeName(src)}`,
        );
      } else if (src.shape.join() !== dst.shape.join()) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape ${shapeStr(src.shape)} from checkpoint, the shape in current model is ${shapeStr(dst.shape)}.`,
        );
      } else copies.push([dst, src]);
    }
    if (strict) {
      const quote = (keys: string[]) => keys.map((k) => `"${k}"`).join(", ");
      if (unexpected_keys.length > 0) {
        errors.unshift(`Unexpected key(s) in state_dict: ${quote(unexpected_keys)}. `);
      }
      if (missing_keys.length > 0) {
        errors.unshift(`Missing key(s) in state_dict: ${quote(missing_keys)}. `);
      }
    }
    if (errors.length > 0) {
      throw new Error(
        `Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join("\n\t")}`,
      );
    }
    no_grad(() => {
      for (const [dst, src] of copies) dst.copy_(src);
    });
    return { missing_keys, unexpected_keys };
  }

  // ------------------------------------------------------------ printing and description

  /** The class name as PyTorch prints it. */
  _get_name(): string {
    return builtinName(this as unknown as AnyModule) ?? this.constructor.name;
  }

  /** The text inside the parentheses when printed, e.g. `in_features=4, out_features=16, bias=True`. */
  extra_repr(): string {
    return "";
  }

  /** @internal A built-in module's constructor arguments by PyTorch name (see `nn.describe`). */
  _config(): ModuleConfig {
    return {};
  }

  /** PyTorch's printed form: `Sequential(\n  (0): Linear(in_features=4, out_features=16, bias=True)\n)`. */
  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = this._ownModules().map(
      ([key, m]) => `(${key}): ${addIndent(m.toString(), 2)}`,
    );
    const lines = [...extraLines, ...childLines];
    let body = "";
    if (lines.length > 0) {
      body =
        extraLines.length === 1 && childLines.length === 0
          ? extraLines[0]
          : `\n  ${lines.join("\n  ")}\n`;
    }
    return `${this._get_name()}(${body})`;
  }

  /** Node's console.log shows the PyTorch form too. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  if (typeof hook !== "function") throw new TypeError("a hook must be a function");
  const id = nextHookId++;
  hooks.set(id, hook);
  return { id, remove: () => hooks.delete(id) };
}

/**
 * Point `t` at a copy of its data on `device`, keeping the tensor object (so optimizers and
 * state_dicts holding it still see it). The engine's Tensor has no `set_()`; its storage fields
 * are reassigned here instead.
 */
function moveInPlace(t: Tensor, device: string): void {
  if (t.device === device) return;
  const moved = no_grad(() => t.detach().to(device));
  t._storage = moved._storage;
  t._strides = moved._strides;
  t._offset = moved._offset;
  if (t.grad) t.grad = t.grad.to(device);
}
