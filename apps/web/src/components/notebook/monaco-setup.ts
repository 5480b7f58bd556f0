import { loader } from "@monaco-editor/react";
import type * as MonacoApi from "monaco-editor";

export type Monaco = typeof MonacoApi;

/**
 * What every cell can use without declaring it (the runtime's builtins), for completion and
 * hover docs. Cells are scripts in one TypeScript project, so one cell's top-level names are
 * known in the others, as at run time. The packages' own declarations come from
 * /editor-types/gradbook.json (scripts/build-assets.mjs).
 */
const CELL_GLOBALS = `
type Engine = typeof import("@gradbook/engine");
/** Gradbook's tensor engine: PyTorch's API (\`torch.tensor\`, \`torch.randn\`, \`torch.no_grad\`, ...). */
declare const torch: Engine;
/** Layers, losses and containers: \`new nn.Linear(4, 2)\`, \`new nn.MSELoss()\`, \`new nn.Sequential(...)\`. */
declare const nn: Engine["nn"];
/** Functions without state: \`F.relu(x)\`, \`F.cross_entropy(logits, labels)\`. */
declare const F: Engine["F"];
/** Optimizers: \`new optim.SGD(model.parameters(), { lr: 0.1 })\`. */
declare const optim: Engine["optim"];
/** Datasets and loaders: \`new data.DataLoader(dataset, { batch_size: 32 })\`. */
declare const data: Engine["utils"]["data"];
/** Observable Plot: \`Plot.plot({ marks: [Plot.lineY(values)] })\`. */
declare const Plot: typeof import("@observablehq/plot");
/** Teaching drawings: \`viz.lossCurve()\`, \`viz.graph(loss)\`. */
declare const viz: typeof import("@gradbook/notebook/viz");
/** The course's datasets: \`datasets.line({ n: 100 })\`, \`await datasets.iris()\`. */
declare const datasets: typeof import("@gradbook/lessons").datasets;
/** Compares two values (tensors too) and shows whether they match. */
declare function check(actual: unknown, expected: unknown, options?: import("@gradbook/lessons").CheckOptions): Promise<HTMLElement>;
/** An exercise's placeholder: replace \`todo()\` with your code. */
declare function todo(what?: string): never;
/** Shows the next hint of the current exercise. */
declare function hint(name?: string): HTMLElement;
/** Observable Inputs: \`view(Inputs.range([0, 1], { step: 0.01 }))\`. */
declare const Inputs: Record<string, (...args: unknown[]) => HTMLElement>;
/** Shows a value under the cell (call it as often as you like) and returns it. */
declare function display<T>(value: T): T;
/** Shows an input and gives its current value; cells that read it re-run when it changes. */
declare function view<T = number>(input: Element): T;
/** Markdown (with $math$) as an element: \`md\\\`# Result: \${value}\\\`\`. */
declare function md(strings: TemplateStringsArray | string, ...values: unknown[]): HTMLElement;
declare function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
declare function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
/** Yields to the page (and lets Interrupt stop the cell): \`await tick()\` in long loops. */
declare function tick(): Promise<void>;
/** Waits \`ms\` milliseconds (stops early if the cell is interrupted or re-run). */
declare function sleep(ms: number): Promise<void>;
/** Aborts when this run of the cell is interrupted or replaced. */
declare const signal: AbortSignal;
/** Resolves when this run of the cell is replaced: clean up here. */
declare const invalidation: Promise<void>;
`;

let loading: Promise<Monaco> | null = null;

/**
 * Loads Monaco once, from the app's own copy (public/monaco/<version>/vs, no CDN), and sets up
 * JavaScript for cells: syntax errors only (a cell's names come from other cells, which a type
 * checker would flag), top-level await, and the engine's types.
 */
export function loadMonaco(): Promise<Monaco> {
  loading ??= initMonaco().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function initMonaco(): Promise<Monaco> {
  loader.config({ paths: { vs: process.env.NEXT_PUBLIC_MONACO_VS ?? "/monaco/vs" } });
  // The loader's type is the core editor API; the AMD build has the language services too.
  const monaco = (await loader.init()) as unknown as Monaco;
  const ts = monaco.typescript;
  const js = ts.javascriptDefaults;
  js.setCompilerOptions({
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    allowJs: true,
    allowNonTsExtensions: true,
    checkJs: false,
    lib: ["esnext", "dom", "dom.iterable"],
  });
  js.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
  js.setEagerModelSync(true);
  js.addExtraLib(CELL_GLOBALS, "file:///gradbook/cell-globals.d.ts");
  monaco.editor.defineTheme("gradbook", {
    base: "vs",
    inherit: true,
    rules: [],
    colors: {
      "editor.background": "#f4f2ec",
      "editor.lineHighlightBackground": "#ebe8df",
      "editor.lineHighlightBorder": "#00000000",
      "editorGutter.background": "#f4f2ec",
    },
  });
  void addPackageTypes(js);
  return monaco;
}

/** The engine's (and Plot's) declarations: fetched after the editor is up, as they are large. */
async function addPackageTypes(js: Monaco["typescript"]["javascriptDefaults"]): Promise<void> {
  try {
    const response = await fetch("/editor-types/gradbook.json");
    if (!response.ok) return;
    const libs = (await response.json()) as Record<string, string>;
    for (const [path, text] of Object.entries(libs)) js.addExtraLib(text, path);
  } catch {
    // Completion without the engine's types is still an editor.
  }
}
