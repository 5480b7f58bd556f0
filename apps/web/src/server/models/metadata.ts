/**
 * What the Models page shows of a model's safetensors metadata: its architecture as a line
 * (`Sequential(Linear(64, 128), ReLU, Linear(128, 10))`) and its metrics. The metadata comes
 * from the uploaded file, so everything is parsed defensively and bounded.
 */

/** Metadata keys the engine's torch.save and the notebooks' `models.save` write. */
export const METADATA_KEYS = {
  architecture: "gradbook.architecture",
  metrics: "gradbook.metrics",
  notebook: "gradbook.notebook",
} as const;

const MAX_SUMMARY = 300;
const MAX_METRICS = 20;

export interface ModelSummary {
  /** The architecture as one line, or null for a bare state_dict (or one we can't read). */
  readonly architecture: string | null;
  readonly metrics: Readonly<Record<string, number | string | boolean>>;
}

export function summarizeMetadata(metadata: unknown): ModelSummary {
  const meta = isObject(metadata) ? metadata : {};
  return {
    architecture: architectureLine(meta[METADATA_KEYS.architecture]),
    metrics: metricsOf(meta[METADATA_KEYS.metrics]),
  };
}

function architectureLine(text: unknown): string | null {
  const spec = parseJson(text);
  if (!isObject(spec) || typeof spec.type !== "string") return null;
  const line = describe(spec, 0);
  return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

/** PyTorch's repr, compacted: integer settings positionally, other numbers by name. */
function describe(spec: Record<string, unknown>, depth: number): string {
  const type = String(spec.type).slice(0, 50);
  if (Array.isArray(spec.children)) {
    if (depth > 8) return `${type}(…)`;
    const children = spec.children.filter(isObject).map((child) => describe(child, depth + 1));
    return `${type}(${children.join(", ")})`;
  }
  const args: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === "type" || key === "name" || typeof value !== "number") continue;
    args.push(Number.isInteger(value) ? String(value) : `${key}=${value}`);
  }
  return args.length ? `${type}(${args.join(", ")})` : type;
}

function metricsOf(text: unknown): Record<string, number | string | boolean> {
  const parsed = parseJson(text);
  if (!isObject(parsed)) return {};
  const metrics: Record<string, number | string | boolean> = {};
  for (const [key, value] of Object.entries(parsed).slice(0, MAX_METRICS)) {
    if (typeof value === "number" || typeof value === "boolean") metrics[key] = value;
    else if (typeof value === "string") metrics[key] = value.slice(0, 100);
  }
  return metrics;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
