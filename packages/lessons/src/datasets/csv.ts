/** A classification table as scikit-learn ships it (see data/README.md). */
export interface Table {
  readonly rows: number;
  readonly features: number;
  /** Row-major features, `rows * features`. */
  readonly values: Float32Array;
  readonly labels: Int32Array;
  readonly classes: readonly string[];
}

/**
 * Parses scikit-learn's CSV layout: a first line `rows,features,class names...`, then one line
 * per sample with its features and its class index.
 */
export function parseTable(text: string): Table {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const [rowText, featureText, ...classes] = head.split(",");
  const rows = Number(rowText);
  const features = Number(featureText);
  if (lines.length !== rows) throw new Error(`expected ${rows} rows, found ${lines.length}`);
  const values = new Float32Array(rows * features);
  const labels = new Int32Array(rows);
  lines.forEach((line, i) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== features + 1) throw new Error(`row ${i + 1} has ${cells.length} columns`);
    values.set(cells.slice(0, features), i * features);
    labels[i] = cells[features];
  });
  return { rows, features, values, labels, classes };
}
