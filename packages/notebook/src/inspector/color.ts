/**
 * Colour scales for heatmaps: diverging (blue, white, red) around zero when values have both
 * signs, so a weight's sign reads at a glance; sequential (light to dark) otherwise.
 */

type Rgb = readonly [number, number, number];

const DIVERGING: readonly Rgb[] = [
  [33, 102, 172],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [178, 24, 43],
];
const SEQUENTIAL: readonly Rgb[] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];
const NON_FINITE: Rgb = [255, 0, 255];

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export type ColorScale = (value: number) => Rgb;

export function colorScale(min: number, max: number): ColorScale {
  if (min < 0 && max > 0) {
    const extent = Math.max(-min, max);
    return (v) => (Number.isFinite(v) ? interpolate(DIVERGING, (v / extent + 1) / 2) : NON_FINITE);
  }
  const width = max - min || 1;
  return (v) => (Number.isFinite(v) ? interpolate(SEQUENTIAL, (v - min) / width) : NON_FINITE);
}

export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}
