import * as torch from "@gradbook/engine";
import { DIGITS_BYTES_GZ, IRIS_CSV_GZ, WINE_CSV_GZ } from "../generated/data.js";
import { parseTable, type Table } from "./csv.js";
import { LabeledDataset } from "./labeled-dataset.js";
import { unpack } from "./packed.js";

/**
 * The real datasets (see data/README.md for their sources). Loading decompresses embedded
 * bytes, which is asynchronous in a browser: `const iris = await datasets.iris()`. Each call
 * gives fresh tensors; the decoded table is kept, so later calls are quick.
 */

const IRIS_FEATURES = [
  "sepal length (cm)",
  "sepal width (cm)",
  "petal length (cm)",
  "petal width (cm)",
];

const WINE_FEATURES = [
  "alcohol",
  "malic_acid",
  "ash",
  "alcalinity_of_ash",
  "magnesium",
  "total_phenols",
  "flavanoids",
  "nonflavanoid_phenols",
  "proanthocyanins",
  "color_intensity",
  "hue",
  "od280/od315_of_diluted_wines",
  "proline",
];

const DIGIT_SIDE = 8;
const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
/** Pixels in the original data count dark cells in a 4x4 block: 0 to 16. */
const DIGIT_MAX = 16;

const tables = new Map<string, Promise<Table>>();

function cached(name: string, load: () => Promise<Table>): Promise<Table> {
  let table = tables.get(name);
  if (!table) {
    table = load();
    table.catch(() => tables.delete(name));
    tables.set(name, table);
  }
  return table;
}

async function csvTable(base64: string): Promise<Table> {
  return parseTable(new TextDecoder().decode(await unpack(base64)));
}

async function digitTable(): Promise<Table> {
  const bytes = await unpack(DIGITS_BYTES_GZ);
  const rows = bytes.length / (DIGIT_PIXELS + 1);
  const values = new Float32Array(rows * DIGIT_PIXELS);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = bytes.subarray(i * (DIGIT_PIXELS + 1), (i + 1) * (DIGIT_PIXELS + 1));
    for (let j = 0; j < DIGIT_PIXELS; j++) values[i * DIGIT_PIXELS + j] = row[j] / DIGIT_MAX;
    labels[i] = row[DIGIT_PIXELS];
  }
  const classes = Array.from({ length: 10 }, (_, digit) => String(digit));
  return { rows, features: DIGIT_PIXELS, values, labels, classes };
}

function toDataset(table: Table, feature_names: readonly string[]): LabeledDataset {
  const data = torch.tensor(table.values.slice()).reshape(table.rows, table.features);
  const targets = torch.tensor(table.labels.slice());
  return new LabeledDataset(data, targets, { classes: table.classes, feature_names });
}

/** Fisher's irises: 150 flowers, 4 measurements in cm, 3 species. */
export async function iris(): Promise<LabeledDataset> {
  return toDataset(await cached("iris", () => csvTable(IRIS_CSV_GZ)), IRIS_FEATURES);
}

/** 178 Italian wines from 3 cultivars, 13 chemical measurements (on very different scales). */
export async function wine(): Promise<LabeledDataset> {
  return toDataset(await cached("wine", () => csvTable(WINE_CSV_GZ)), WINE_FEATURES);
}

/**
 * 1,797 handwritten digits, 8x8 pixels scaled to [0, 1], flattened row by row to 64 features
 * (`data.index(i).reshape(8, 8)` is the image); labels 0-9.
 */
export async function digits(): Promise<LabeledDataset> {
  const names = Array.from(
    { length: DIGIT_PIXELS },
    (_, i) => `pixel_${Math.floor(i / DIGIT_SIDE)}_${i % DIGIT_SIDE}`,
  );
  return toDataset(await cached("digits", digitTable), names);
}
