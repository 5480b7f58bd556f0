import { nn, Tensor } from "@gradbook/engine";
import { inspectError } from "./error.js";
import { inspectModule } from "./module.js";
import { inspectTensor } from "./tensor.js";
import { inspectValue } from "./value.js";

export type { ErrorLocation } from "./error.js";
export { inspectError, inspectModule, inspectTensor, inspectValue };

/**
 * The view of a value in a cell's output: DOM nodes are inserted as they are, tensors and
 * modules get their own views, and everything else goes to Observable's inspector.
 */
export function inspect(value: unknown, within?: Element): Node {
  if (isInsertable(value, within)) return value;
  if (value instanceof Tensor) return inspectTensor(value);
  if (value instanceof nn.Module) return inspectModule(value as nn.AnyModule);
  if (value instanceof Error) return inspectError(value);
  return inspectValue(value);
}

/**
 * Elements and text nodes not shown elsewhere than `within` (a node can only be in one place,
 * and moving it would empty another cell's output). `Element.prototype` is an instance of
 * Element but not an element, hence the constructor check.
 */
function isInsertable(value: unknown, within?: Element): value is Element | Text {
  return (
    (value instanceof Element || value instanceof Text) &&
    value instanceof value.constructor &&
    (!value.parentNode || (within?.contains(value) ?? false))
  );
}
