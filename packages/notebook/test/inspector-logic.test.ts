/** The inspector's and viz's pure parts, in Node: statistics, number formats, the graph layout. */
import { describe, expect, test } from "vitest";
import { compact, tableFormat } from "../src/inspector/format.js";
import { histogram, nonFiniteSummary, stats } from "../src/inspector/stats.js";
import { layeredLayout } from "../src/viz/layered-layout.js";

describe("stats", () => {
  test("min, max, mean and std are over the finite values; NaN and Inf are counted", () => {
    const s = stats([1, 2, 3, 4, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(s).toMatchObject({ count: 7, finite: 4, nan: 1, posInf: 1, negInf: 1, min: 1, max: 4 });
    expect(s.mean).toBeCloseTo(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3));
    expect(nonFiniteSummary(s)).toBe("1 NaN, 1 +Inf, 1 −Inf");
    expect(nonFiniteSummary(stats([1, 2]))).toBe("");
  });

  test("no finite values", () => {
    const s = stats([Number.NaN]);
    expect(s.finite).toBe(0);
    expect(s.min).toBeNaN();
    expect(histogram([Number.NaN], s, 4).counts).toEqual([0, 0, 0, 0]);
  });

  test("the histogram puts the maximum in the last bin and skips non-finite values", () => {
    const values = [0, 0.1, 0.5, 0.99, 1, Number.NaN];
    expect(histogram(values, stats(values), 2).counts).toEqual([2, 3]);
    expect(histogram([3, 3], stats([3, 3]), 3).counts).toEqual([2, 0, 0]);
  });
});

describe("number formats", () => {
  test("one format per table, as PyTorch prints", () => {
    const ints = tableFormat([1, 2, -3], "float32");
    expect([1, -3].map(ints)).toEqual(["1.", "-3."]);
    const fixed = tableFormat([1.5, -0.25], "float32");
    expect([1.5, -0.25].map(fixed)).toEqual(["1.5000", "-0.2500"]);
    const scientific = tableFormat([1e-6, 1], "float32");
    expect(scientific(1e-6)).toBe("1.0000e-6");
    expect(tableFormat([1, 0], "bool")(1)).toBe("True");
    expect(tableFormat([7], "int64")(7)).toBe("7");
    expect(fixed(Number.NaN)).toBe("nan");
    expect(fixed(Number.NEGATIVE_INFINITY)).toBe("-inf");
  });

  test("compact numbers", () => {
    expect(compact(0.0123456)).toBe("0.01235");
    expect(compact(123456)).toBe("1.23e+5");
    expect(compact(0)).toBe("0");
    expect(compact(Number.POSITIVE_INFINITY)).toBe("inf");
  });
});

describe("layered layout", () => {
  test("the root is rightmost and each node sits one column left of its nearest consumer chain", () => {
    // L = (a * b + c) * f
    const layout = layeredLayout({
      nodes: ["L", "mul2", "add", "mul1", "a", "b", "c", "f"],
      edges: [
        ["mul2", "L"],
        ["add", "mul2"],
        ["f", "mul2"],
        ["mul1", "add"],
        ["c", "add"],
        ["a", "mul1"],
        ["b", "mul1"],
      ],
    });
    const column = (id: string) => layout.placements.get(id)?.column;
    expect(layout.columns).toBe(5);
    expect([column("a"), column("mul1"), column("add"), column("mul2"), column("L")]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(column("c")).toBe(1);
    expect(column("f")).toBe(2);
    expect(layout.rows).toBe(2);
  });

  test("a node used twice sits left of its furthest consumer", () => {
    // y = x * x + x
    const layout = layeredLayout({
      nodes: ["y", "add", "mul", "x"],
      edges: [
        ["add", "y"],
        ["mul", "add"],
        ["x", "mul"],
        ["x", "mul"],
        ["x", "add"],
      ],
    });
    expect(layout.placements.get("x")?.column).toBe(0);
    expect(layout.placements.get("mul")?.column).toBe(1);
  });

  test("a single node", () => {
    const layout = layeredLayout({ nodes: ["t"], edges: [] });
    expect(layout).toMatchObject({ columns: 1, rows: 1 });
    expect(layout.placements.get("t")).toEqual({ column: 0, row: 0, y: 0 });
  });
});
