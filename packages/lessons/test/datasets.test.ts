/** The datasets in Node: the real ones match the shipped files; the generated ones are seeded. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import * as torch from "@gradbook/engine";
import { describe, expect, test } from "vitest";
import { datasets, type LabeledDataset } from "../src/index.js";

const dataFile = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../data/${name}`, import.meta.url)));

/** The CSV rows after sklearn's header line, as numbers. */
function csvRows(text: string): number[][] {
  return text
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map(Number));
}

async function expectTable(dataset: LabeledDataset, rows: number[][], scale = 1) {
  const features = rows[0].length - 1;
  expect(dataset).toBeInstanceOf(torch.utils.data.TensorDataset);
  expect(dataset.data.shape).toEqual([rows.length, features]);
  expect(dataset.data.dtype).toBe("float32");
  expect(dataset.targets.shape).toEqual([rows.length]);
  expect(dataset.targets.dtype).toBe("int64");
  const values = await dataset.data.data();
  const labels = await dataset.targets.data();
  rows.forEach((row, i) => {
    expect(labels[i]).toBe(row[features]);
    for (let j = 0; j < features; j++) {
      expect(values[i * features + j]).toBeCloseTo(row[j] / scale, 4);
    }
  });
  expect(dataset.feature_names).toHaveLength(features);
}

describe("real datasets", () => {
  test("iris: 150 flowers, 4 features, 3 species, as in data/iris.csv", async () => {
    const iris = await datasets.iris();
    await expectTable(iris, csvRows(dataFile("iris.csv").toString()));
    expect(iris.classes).toEqual(["setosa", "versicolor", "virginica"]);
  });

  test("wine: 178 wines, 13 features, 3 cultivars, as in data/wine_data.csv", async () => {
    const wine = await datasets.wine();
    await expectTable(wine, csvRows(dataFile("wine_data.csv").toString()));
    expect(wine.classes).toEqual(["class_0", "class_1", "class_2"]);
    expect(wine.feature_names).toContain("proline");
  });

  test("digits: 1,797 images of 64 pixels scaled to [0, 1], as in data/digits.csv.gz", async () => {
    const digits = await datasets.digits();
    const rows = gunzipSync(dataFile("digits.csv.gz"))
      .toString()
      .trim()
      .split("\n")
      .map((line) => line.split(",").map(Number));
    await expectTable(digits, rows, 16);
    expect(digits.classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(await digits.data.max().item()).toBe(1);
    expect(digits.feature_names[9]).toBe("pixel_1_1");
  });

  test("each call gives fresh tensors, and a sample is [features, label]", async () => {
    const first = await datasets.iris();
    const second = await datasets.iris();
    expect(first.data).not.toBe(second.data);
    const [features, label] = first.__getitem__(0);
    expect(features.shape).toEqual([4]);
    expect(label.shape).toEqual([]);
    expect(String(first)).toBe("LabeledDataset(samples=150, features=4, classes=3)");
  });

  test("a DataLoader batches them", async () => {
    const wine = await datasets.wine();
    const batches = [...new torch.utils.data.DataLoader(wine, { batch_size: 64 })];
    expect(batches.map(([x]) => x.shape[0])).toEqual([64, 64, 50]);
    expect(batches[0][1].dtype).toBe("int64");
  });
});

describe("generated datasets", () => {
  test("spirals: n points, one arm per class, the same for the same seed", async () => {
    const spirals = datasets.spirals({ n: 301, classes: 3, noise: 0.2, seed: 7 });
    expect(spirals.data.shape).toEqual([301, 2]);
    expect(spirals.targets.dtype).toBe("int64");
    const labels = Array.from(await spirals.targets.data());
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([101, 100, 100]);
    const again = datasets.spirals({ n: 301, classes: 3, noise: 0.2, seed: 7 });
    expect(await again.data.tolist()).toEqual(await spirals.data.tolist());
    const other = datasets.spirals({ n: 301, classes: 3, noise: 0.2, seed: 8 });
    expect(await other.data.tolist()).not.toEqual(await spirals.data.tolist());
    expect(await spirals.data.abs().max().item()).toBeLessThanOrEqual(1);
  });

  test("circles: class 0 on the unit circle, class 1 on the inner one", async () => {
    const circles = datasets.circles({ n: 200, noise: 0, factor: 0.4 });
    const radii = await circles.data.square().sum(1).sqrt().data();
    const labels = await circles.targets.data();
    radii.forEach((radius, i) => {
      expect(radius).toBeCloseTo(labels[i] === 0 ? 1 : 0.4, 5);
    });
  });

  test("line: float32 targets near slope x + intercept", async () => {
    const line = datasets.line({ n: 500, slope: -3, intercept: 2, noise: 0.1, seed: 1 });
    expect(line.data.shape).toEqual([500, 1]);
    expect(line.targets.shape).toEqual([500, 1]);
    expect(line.targets.dtype).toBe("float32");
    // Least squares recovers the line.
    const x = line.data.reshape(-1);
    const y = line.targets.reshape(-1);
    const xc = x.sub(x.mean());
    const slope = await xc.mul(y.sub(y.mean())).sum().div(xc.square().sum()).item();
    const intercept = (await y.mean().item()) - slope * (await x.mean().item());
    expect(slope).toBeCloseTo(-3, 1);
    expect(intercept).toBeCloseTo(2, 1);
    const [low, high] = [await x.min().item(), await x.max().item()];
    expect(low).toBeGreaterThanOrEqual(-3);
    expect(high).toBeLessThanOrEqual(3);
  });

  test("bad options say what is wrong", () => {
    expect(() => datasets.spirals({ classes: 1 })).toThrow(
      "classes must be an integer of at least 2, got 1",
    );
    expect(() => datasets.circles({ factor: 1.5 })).toThrow("factor must be in (0, 1), got 1.5");
    expect(() => datasets.line({ noise: -1 })).toThrow("noise must be 0 or more, got -1");
    expect(() => datasets.line({ seed: 0.5 })).toThrow("seed must be an integer, got 0.5");
  });
});
