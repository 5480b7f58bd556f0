/**
 * `@gradbook/notebook/browser`: the parts that need a page (the DOM): the reactive runtime,
 * the builtins every notebook has, the inspector for rich outputs, and `viz`. The main entry
 * (format, compiler, graph) stays usable in Node.
 */

export { notebookBuiltins } from "./builtins/index.js";
export { markdownToHtml, md } from "./builtins/md.js";
export { inputValues } from "./builtins/view.js";
export {
  type ErrorLocation,
  inspect,
  inspectError,
  inspectModule,
  inspectTensor,
  inspectValue,
} from "./inspector/index.js";
export * from "./runtime/index.js";
export * as viz from "./viz/index.js";
