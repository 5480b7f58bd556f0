/** `nn.Sequential` and `nn.ModuleList`: modules kept in order under the keys "0", "1", ... */

import { isOptions } from "../args.js";
import type { Tensor } from "../tensor.js";
import { type AnyModule, Module } from "./module.js";
import { registerBuiltin } from "./registry.js";
import { addIndent } from "./repr.js";

function checkModule(m: unknown, where: string): void {
  if (!(m instanceof Module)) {
    throw new TypeError(`${where}: ${m === null ? "None" : typeof m} is not a Module subclass`);
  }
}

/** A position in [-n, n) as an index, with Python's IndexError wording. */
function position(index: number, n: number, what: string): number {
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new RangeError(`index ${index} is out of range for a ${what} of length ${n}`);
  }
  return index < 0 ? index + n : index;
}

/**
 * Modules applied in order, each to the previous one's output:
 * `new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3))`.
 * Named children come from one object (PyTorch's OrderedDict): `new nn.Sequential({ fc: ..., act: ... })`.
 */
export class Sequential extends Module {
  static {
    registerBuiltin("Sequential", Sequential);
  }

  /** `model[0]` works as in PyTorch (children are properties "0", "1", ...). */
  [index: number]: Module;

  constructor(...args: Module[] | [Record<string, Module>]) {
    super();
    const first = args[0];
    if (args.length === 1 && isOptions(first)) {
      for (const [name, m] of Object.entries(first)) {
        checkModule(m, "Sequential");
        this.add_module(name, m);
      }
      return;
    }
    (args as Module[]).forEach((m, i) => {
      checkModule(m, "Sequential");
      this.add_module(String(i), m);
    });
  }

  /** The children in order (as modules that map a tensor to a tensor). */
  private _layers(): [string, Module][] {
    return this._ownModules() as unknown as [string, Module][];
  }

  override get length(): number {
    return this._ownModules().length;
  }

  /** `seq.get(0)`, `seq.get(-1)`: the child at a position (PyTorch's `seq[i]`). */
  get<M extends AnyModule = Module>(index: number): M {
    const layers = this._layers();
    return layers[position(index, layers.length, "Sequential")][1] as unknown as M;
  }

  /** PyTorch's `seq[start:end]`: a Sequential of those children, keeping their names. */
  slice(start = 0, end?: number): Sequential {
    return new Sequential(Object.fromEntries(this._layers().slice(start, end)));
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const [, m] of this._layers()) yield m;
  }

  append(module: Module): this {
    checkModule(module, "Sequential.append");
    this.add_module(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: Module): this {
    checkModule(module, "Sequential.insert");
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index > n) {
      throw new RangeError(`Index out of range: ${index}`);
    }
    const at = index < 0 ? index + n : index;
    for (let i = n; i > at; i--) this.add_module(String(i), this.get(i - 1));
    this.add_module(String(at), module);
    return this;
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (const [, m] of this._layers()) x = m(x);
    return x;
  }
}

/** A list of modules whose parameters are registered (a plain array's would not be). */
export class ModuleList<M extends AnyModule = Module> extends Module {
  static {
    registerBuiltin("ModuleList", ModuleList);
  }

  [index: number]: M;

  constructor(modules: Iterable<M> | null = null) {
    super();
    if (modules) this.extend(modules);
  }

  override get length(): number {
    return this._ownModules().length;
  }

  get(index: number): M {
    const mods = this._ownModules();
    return mods[position(index, mods.length, "ModuleList")][1] as unknown as M;
  }

  *[Symbol.iterator](): Iterator<M> {
    for (const [, m] of this._ownModules()) yield m as unknown as M;
  }

  append(module: M): this {
    checkModule(module, "ModuleList.append");
    this.add_module(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: M): this {
    checkModule(module, "ModuleList.insert");
    const n = this.length;
    const at = Math.min(Math.max(index < 0 ? index + n : index, 0), n); // Python's list.insert clamps
    for (let i = n; i > at; i--) this.add_module(String(i), this.get(i - 1));
    this.add_module(String(at), module);
    return this;
  }

  /** PyTorch 2 prints runs of identical modules once: `(0-2): 3 x Linear(...)`. */
  override toString(): string {
    const reprs = this._ownModules().map(([, m]) => m.toString());
    if (reprs.length === 0) return `${this._get_name()}()`;
    const lines: string[] = [];
    let start = 0;
    for (let i = 1; i <= reprs.length; i++) {
      if (i < reprs.length && reprs[i] === reprs[start]) continue;
      const label = i - 1 === start ? `(${start})` : `(${start}-${i - 1}): ${i - start} x`;
      lines.push(
        addIndent(i - 1 === start ? `${label}: ${reprs[start]}` : `${label} ${reprs[start]}`, 2),
      );
      start = i;
    }
    return `${this._get_name()}(\n  ${lines.join("\n  ")}\n)`;
  }
}
