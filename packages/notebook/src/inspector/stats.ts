/** Summary statistics of a tensor's values, over the finite ones, with NaN and Inf counted. */
export interface Stats {
  readonly count: number;
  /** Number of finite values, over which min, max, mean and std are taken. */
  readonly finite: number;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
}

export function stats(values: ArrayLike<number>): Stats {
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  let finite = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nan++;
    else if (v === Number.POSITIVE_INFINITY) posInf++;
    else if (v === Number.NEGATIVE_INFINITY) negInf++;
    else {
      // Welford's update: stable for large tensors with a large mean.
      finite++;
      const delta = v - mean;
      mean += delta / finite;
      m2 += delta * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return {
    count: values.length,
    finite,
    nan,
    posInf,
    negInf,
    min: finite ? min : Number.NaN,
    max: finite ? max : Number.NaN,
    mean: finite ? mean : Number.NaN,
    std: finite > 1 ? Math.sqrt(m2 / (finite - 1)) : finite === 1 ? 0 : Number.NaN,
  };
}

export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly counts: readonly number[];
}

/** Counts of the finite values in `bins` equal-width bins from min to max. */
export function histogram(values: ArrayLike<number>, s: Stats, bins = 30): Histogram {
  const counts = new Array<number>(bins).fill(0);
  if (!s.finite) return { min: 0, max: 0, counts };
  const width = s.max - s.min;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const bin = width > 0 ? Math.min(bins - 1, Math.floor(((v - s.min) / width) * bins)) : 0;
    counts[bin]++;
  }
  return { min: s.min, max: s.max, counts };
}

/** "3 NaN, 1 +Inf" or "" when every value is finite. */
export function nonFiniteSummary(s: Stats): string {
  const parts: string[] = [];
  if (s.nan) parts.push(`${s.nan} NaN`);
  if (s.posInf) parts.push(`${s.posInf} +Inf`);
  if (s.negInf) parts.push(`${s.negInf} −Inf`);
  return parts.join(", ");
}
