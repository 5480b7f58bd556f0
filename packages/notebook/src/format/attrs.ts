import type { AttrValue, CellAttrs } from "./types.js";

/**
 * Cell attributes on the fence line: ```` ```js id=train-loop exercise check="loss below" ````.
 * A bare name is a flag (`true`); values are bare words or quoted with `"` (with `\"` and `\\`
 * escapes) or `'` (no escapes).
 */

const NAME = /[A-Za-z_][\w.:-]*/y;
const BARE_VALUE = /[^\s"'=`]+/y;
const BARE_WRITABLE = /^[^\s"'=`\\]+$/;

/** Bad attribute syntax; `column` is 0-based within the attribute text. */
export class AttrSyntaxError extends Error {
  override name = "AttrSyntaxError";
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

export function parseAttrs(text: string): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = {};
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  skipSpace();
  while (pos < text.length) {
    NAME.lastIndex = pos;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) {
      throw new AttrSyntaxError(`expected an attribute name, found ${describe(text, pos)}`, pos);
    }
    const namePos = pos;
    pos += name.length;
    let value: AttrValue = true;
    if (text[pos] === "=") [value, pos] = readValue(text, pos + 1, name);
    if (pos < text.length && !/\s/.test(text[pos])) {
      throw new AttrSyntaxError(`unexpected ${describe(text, pos)} after attribute "${name}"`, pos);
    }
    if (Object.hasOwn(attrs, name)) {
      throw new AttrSyntaxError(`attribute "${name}" is given twice`, namePos);
    }
    attrs[name] = value;
    skipSpace();
  }
  return attrs;
}

function readValue(text: string, pos: number, name: string): [string, number] {
  const quote = text[pos];
  if (quote === '"' || quote === "'") {
    let value = "";
    let i = pos + 1;
    while (i < text.length && text[i] !== quote) {
      if (quote === '"' && text[i] === "\\" && i + 1 < text.length) i++;
      value += text[i];
      i++;
    }
    if (i >= text.length) {
      throw new AttrSyntaxError(`unclosed ${quote} in the value of attribute "${name}"`, pos);
    }
    return [value, i + 1];
  }
  BARE_VALUE.lastIndex = pos;
  const value = BARE_VALUE.exec(text)?.[0];
  if (value === undefined) {
    throw new AttrSyntaxError(`attribute "${name}=" needs a value (quote it if it is empty)`, pos);
  }
  return [value, pos + value.length];
}

function describe(text: string, pos: number): string {
  return pos >= text.length ? "the end of the line" : JSON.stringify(text[pos]);
}

/** Writes attributes in canonical form: ` a b=c d="e f"` (with a leading space when non-empty). */
export function formatAttrs(attrs: CellAttrs): string {
  let text = "";
  for (const [name, value] of Object.entries(attrs)) {
    text += ` ${name}`;
    if (value !== true) text += `=${formatValue(value)}`;
  }
  return text;
}

function formatValue(value: string): string {
  if (BARE_WRITABLE.test(value)) return value;
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/** Throws a TypeError for attributes that can't be written on a fence line. */
export function checkAttrs(attrs: CellAttrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (!new RegExp(`^${NAME.source}$`).test(name)) {
      throw new TypeError(`invalid attribute name ${JSON.stringify(name)}`);
    }
    if (value !== true && typeof value !== "string") {
      throw new TypeError(`attribute "${name}" must be a string or true`);
    }
    if (typeof value === "string" && /[\r\n]/.test(value)) {
      throw new TypeError(`attribute "${name}" can't contain a line break`);
    }
  }
}

export function attrsEqual(a: CellAttrs, b: CellAttrs): boolean {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return (
    aKeys.length === bKeys.length && aKeys.every((key, i) => key === bKeys[i] && a[key] === b[key])
  );
}
