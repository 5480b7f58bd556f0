/**
 * Types for the Observable packages that ship none, covering what Gradbook uses. They stay out
 * of the package's public declarations (which would otherwise need these files to type-check).
 */

declare module "@observablehq/runtime" {
  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown, name?: string | null): void;
    rejected?(error: unknown, name?: string | null): void;
  }

  export type Definition = (...inputs: never[]) => unknown;

  export class Variable {
    define(name: string | null, inputs: readonly string[], definition: Definition): this;
    define(name: string | null, definition: unknown): this;
    delete(): this;
  }

  export class Module {
    /** `true` as observer makes the variable computed even when nothing observes it. */
    variable(observer?: Observer | true): Variable;
    value(name: string): Promise<unknown>;
  }

  /** Thrown for a variable whose input is undefined or failed; `input` names that input. */
  export class RuntimeError extends Error {
    readonly input?: string;
  }

  export class Runtime {
    constructor(builtins?: Readonly<Record<string, unknown>>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
  }
}

declare module "@observablehq/inspector" {
  export class Inspector {
    constructor(node: Element);
    pending(): void;
    fulfilled(value: unknown, name?: string): void;
    rejected(error: unknown, name?: string): void;
  }
}

declare module "@observablehq/inputs" {
  type Input = (...args: never[]) => HTMLElement;
  export const button: Input;
  export const checkbox: Input;
  export const radio: Input;
  export const toggle: Input;
  export const color: Input;
  export const date: Input;
  export const datetime: Input;
  export const form: Input;
  export const file: Input;
  export const range: Input;
  export const number: Input;
  export const search: Input;
  export const select: Input;
  export const table: Input;
  export const text: Input;
  export const textarea: Input;
  export const input: Input;
  export const bind: (target: Element, source: Element, invalidation?: Promise<unknown>) => Element;
}

declare module "htl" {
  type Template = (strings: TemplateStringsArray, ...values: unknown[]) => Node | null;
  export const html: Template & { fragment: Template };
  export const svg: Template & { fragment: Template };
}
