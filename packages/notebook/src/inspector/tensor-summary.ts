import { el, svg } from "./dom.js";
import { compact } from "./format.js";
import { type Histogram, histogram, type Stats } from "./stats.js";

const WIDTH = 240;
const HEIGHT = 56;

/** A large tensor at a glance: min, max, mean, std (of the finite values) and a histogram. */
export function tensorSummary(values: ArrayLike<number>, s: Stats): HTMLElement {
  const rows: [string, string][] = [
    ["min", compact(s.min)],
    ["max", compact(s.max)],
    ["mean", compact(s.mean)],
    ["std", compact(s.std)],
  ];
  const table = el("table", "gb-stats");
  for (const [name, value] of rows) {
    table.append(el("tr", "", el("th", "", name), el("td", "", value)));
  }
  return el("div", "gb-summary", table, histogramChart(histogram(values, s)));
}

function histogramChart(h: Histogram): SVGSVGElement {
  const peak = Math.max(1, ...h.counts);
  const barWidth = WIDTH / h.counts.length;
  const chart = svg("svg", {
    class: "gb-histogram",
    width: WIDTH,
    height: HEIGHT + 14,
    viewBox: `0 0 ${WIDTH} ${HEIGHT + 14}`,
  });
  h.counts.forEach((count, i) => {
    const height = (count / peak) * HEIGHT;
    const bar = svg("rect", {
      x: i * barWidth + 0.5,
      y: HEIGHT - height,
      width: Math.max(0.5, barWidth - 1),
      height,
    });
    const low = h.min + ((h.max - h.min) * i) / h.counts.length;
    const high = h.min + ((h.max - h.min) * (i + 1)) / h.counts.length;
    bar.append(svg("title", {}, `${compact(low)} – ${compact(high)}: ${count}`));
    chart.append(bar);
  });
  chart.append(
    svg("line", { x1: 0, x2: WIDTH, y1: HEIGHT + 0.5, y2: HEIGHT + 0.5 }),
    svg("text", { x: 0, y: HEIGHT + 12, "text-anchor": "start" }, compact(h.min)),
    svg("text", { x: WIDTH, y: HEIGHT + 12, "text-anchor": "end" }, compact(h.max)),
  );
  return chart;
}
