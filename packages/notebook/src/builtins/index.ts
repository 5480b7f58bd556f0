import * as torch from "@gradbook/engine";
import * as Inputs from "@observablehq/inputs";
import * as Plot from "@observablehq/plot";
import { html, svg } from "htl";
import { Interrupted } from "../runtime/interrupted.js";
import * as viz from "../viz/index.js";
import { md } from "./md.js";

/**
 * What every notebook can use without declaring it. A cell that declares one of these names
 * shadows it for the whole notebook, as any cell's declaration would.
 */
export function notebookBuiltins(): Record<string, unknown> {
  return {
    // `torch.viz` as the issue and lessons name it; the engine itself knows nothing of plots.
    torch: { ...torch, viz },
    nn: torch.nn,
    F: torch.F,
    optim: torch.optim,
    data: torch.utils.data,
    Plot,
    Inputs,
    md,
    html,
    svg,
    viz,
    Interrupted,
  };
}

/**
 * Builtins made afresh for each run of a cell: they act on that cell's output and stop with
 * that run (see `CellRun`).
 */
export const RUN_BUILTINS: ReadonlySet<string> = new Set([
  "display",
  "view",
  "invalidation",
  "signal",
  "tick",
  "sleep",
]);
