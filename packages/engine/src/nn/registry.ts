/** The built-in module classes by PyTorch name (for printing and for `describe` / `build`). */

import type { AnyModule } from "./module.js";

type ModuleClass = abstract new (...args: never) => AnyModule;

/**
 * Built-in module classes by PyTorch name. Names are registered explicitly (not read from
 * `constructor.name`) so they survive minification, and so `describe` can tell a built-in
 * from a user's subclass of it.
 */
const builtinByName = new Map<string, ModuleClass>();
const nameOfBuiltin = new Map<unknown, string>();

/** @internal Called from each built-in class's static block. */
export function registerBuiltin(name: string, cls: ModuleClass): void {
  builtinByName.set(name, cls);
  nameOfBuiltin.set(cls, name);
}

/** @internal The built-in class named `name`, if any. */
export function builtinClass(name: string): ModuleClass | undefined {
  return builtinByName.get(name);
}

/** @internal The PyTorch name of `module` when it is exactly a built-in class (not a subclass). */
export function builtinName(module: AnyModule): string | undefined {
  return nameOfBuiltin.get(module.constructor);
}

export function builtinNames(): string[] {
  return [...builtinByName.keys()];
}
