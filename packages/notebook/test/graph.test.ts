import { describe, expect, test } from "vitest";
import { buildGraph, compileCell, type GraphCell } from "../src/index.js";

/** Cells compiled from source, named by id. */
function cells(sources: Record<string, string>): GraphCell[] {
  return Object.entries(sources).map(([id, source]) => ({ id, ...compileCell(source) }));
}

describe("graph", () => {
  const notebook = cells({
    data: "const xs = [1, 2, 3]",
    model: "const w = 0.5",
    predict: "const ys = xs.map((x) => x * w)",
    loss: "const loss = ys.reduce((a, b) => a + b)",
    plot: "display(loss)",
    other: "const unrelated = 1",
  });

  test("knows which cell defines each name", () => {
    const graph = buildGraph(notebook);
    expect(graph.definitions.get("ys")).toEqual(["predict"]);
    expect(graph.dependencies("predict")).toEqual(["data", "model"]);
    expect(graph.dependants("predict")).toEqual(["loss"]);
    expect(graph.unresolved("plot")).toEqual(["display"]);
    expect(graph.errors.size).toBe(0);
  });

  test("re-runs an edited cell and its transitive dependants, in topological order", () => {
    const graph = buildGraph(notebook);
    expect(graph.rerun("model")).toEqual(["model", "predict", "loss", "plot"]);
    expect(graph.rerun("loss")).toEqual(["loss", "plot"]);
    expect(graph.rerun("other")).toEqual(["other"]);
    expect(graph.rerun("plot")).toEqual(["plot"]);
  });

  test("orders dependants after their dependencies even when written before them", () => {
    const graph = buildGraph(
      cells({
        show: "display(total)",
        sum: "const total = a + b",
        a: "const a = 1",
        b: "const b = 2",
      }),
    );
    expect(graph.order).toEqual(["a", "b", "sum", "show"]);
    expect(graph.rerun("b")).toEqual(["b", "sum", "show"]);
  });

  test("diamonds run each cell once, after all its inputs", () => {
    const graph = buildGraph(
      cells({
        top: "const t = 1",
        left: "const l = t + 1",
        right: "const r = t * 2",
        bottom: "l + r",
      }),
    );
    expect(graph.rerun("top")).toEqual(["top", "left", "right", "bottom"]);
  });

  test("an edit that removes a definition re-runs its former readers", () => {
    const graph = buildGraph(cells({ a: "const renamed = 1", b: "old + 1", c: "const z = 3" }));
    expect(graph.rerun("a")).toEqual(["a"]);
    expect(graph.rerun("a", ["old"])).toEqual(["a", "b"]);
  });

  test("a name defined by two cells is an error on both, naming the name", () => {
    const graph = buildGraph(
      cells({ one: "const x = 1", two: "let x = 2; const y = 3", reader: "x + y" }),
    );
    for (const id of ["one", "two"]) {
      expect(graph.errors.get(id)).toEqual([
        { kind: "duplicate", names: ["x"], message: '"x" is defined in more than one cell' },
      ]);
    }
    expect(graph.errors.has("reader")).toBe(false);
    expect(graph.rerun("one")).toEqual(["one", "reader"]);
  });

  test("a cycle is an error on each cell in it, naming the names", () => {
    const graph = buildGraph(
      cells({
        a: "const a = c + 1",
        b: "const b = a + 1",
        c: "const c = b + 1",
        d: "const d = a",
        e: "const e = 1",
      }),
    );
    for (const id of ["a", "b", "c"]) {
      expect(graph.errors.get(id)).toEqual([
        {
          kind: "circular",
          names: ["a", "b", "c"],
          message: expect.stringContaining('"a", "b", "c"'),
        },
      ]);
    }
    expect(graph.errors.has("d")).toBe(false);
    expect(graph.order).toEqual(["e", "a", "b", "c", "d"]);
    expect(graph.rerun("b")).toEqual(["a", "b", "c", "d"]);
  });

  test("two separate cycles", () => {
    const graph = buildGraph(
      cells({ p: "const p = q", q: "const q = p", r: "const r = s", s: "const s = r" }),
    );
    expect(graph.errors.get("p")?.[0].names).toEqual(["p", "q"]);
    expect(graph.errors.get("s")?.[0].names).toEqual(["r", "s"]);
  });

  test("unknown ids and duplicate ids", () => {
    expect(() => buildGraph(notebook).rerun("nope")).toThrow(RangeError);
    expect(() => buildGraph([...notebook, notebook[0]])).toThrow(/unique/);
  });
});
