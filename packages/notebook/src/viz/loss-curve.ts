import * as Plot from "@observablehq/plot";
import { el } from "../inspector/dom.js";
import { compact } from "../inspector/format.js";

export interface LossPoint {
  readonly step: number;
  readonly train?: number;
  readonly val?: number;
}

export interface LossCurveOptions {
  readonly width?: number;
  readonly height?: number;
  /** Plot the loss on a log scale (useful once it spans orders of magnitude). */
  readonly log?: boolean;
  readonly label?: string;
}

/**
 * A live loss chart: `curve.append({ step, train, val })` adds a point and redraws at the next
 * animation frame (points added in one frame are drawn once). DOM nodes passed to `append` are
 * appended as usual.
 */
export interface LossCurve extends HTMLElement {
  append(...items: (LossPoint | Node | string)[]): void;
  readonly points: readonly LossPoint[];
  /** Removes every point. */
  clear(): void;
  /** Draws now rather than at the next frame. */
  redraw(): void;
}

interface Datum {
  readonly step: number;
  readonly loss: number;
  readonly series: "train" | "val";
}

export function lossCurve(options: LossCurveOptions = {}): LossCurve {
  const points: LossPoint[] = [];
  const chart = el("div", "gb-loss-chart");
  const latest = el("div", "gb-loss-latest");
  const root = el("div", "gb-loss-curve", latest, chart);
  const appendNodes = root.append.bind(root);
  let scheduled = 0;

  const redraw = () => {
    cancelAnimationFrame(scheduled);
    scheduled = 0;
    chart.replaceChildren(plot(points, options));
    const last = points[points.length - 1];
    latest.textContent = last ? caption(points) : "";
    root.dataset.points = String(points.length);
  };
  const schedule = () => {
    if (!scheduled) scheduled = requestAnimationFrame(redraw);
  };

  return Object.assign(root, {
    points,
    append(...items: (LossPoint | Node | string)[]) {
      for (const item of items) {
        if (typeof item === "string" || item instanceof Node) appendNodes(item);
        else points.push(checked(item));
      }
      schedule();
    },
    clear() {
      points.length = 0;
      schedule();
    },
    redraw,
  });
}

function checked(point: LossPoint): LossPoint {
  if (typeof point !== "object" || point === null || typeof point.step !== "number") {
    throw new TypeError("lossCurve.append takes { step, train, val } with a numeric step");
  }
  return point;
}

function caption(points: readonly LossPoint[]): string {
  const last = (key: "train" | "val") => {
    for (let i = points.length - 1; i >= 0; i--)
      if (typeof points[i][key] === "number") return points[i][key];
    return undefined;
  };
  const step = points[points.length - 1].step;
  const train = last("train");
  const val = last("val");
  return [
    `step ${step}`,
    train !== undefined && `train ${compact(train)}`,
    val !== undefined && `val ${compact(val)}`,
  ]
    .filter(Boolean)
    .join(" · ");
}

function plot(points: readonly LossPoint[], options: LossCurveOptions): Element {
  const data: Datum[] = [];
  for (const p of points) {
    if (typeof p.train === "number") data.push({ step: p.step, loss: p.train, series: "train" });
    if (typeof p.val === "number") data.push({ step: p.step, loss: p.val, series: "val" });
  }
  const finite = data.filter((d) => Number.isFinite(d.loss) && (!options.log || d.loss > 0));
  return Plot.plot({
    width: options.width ?? 480,
    height: options.height ?? 240,
    marginLeft: 50,
    x: { label: "step", grid: true },
    y: { label: options.label ?? "loss", grid: true, type: options.log ? "log" : "linear" },
    color: { domain: ["train", "val"], range: ["#4269d0", "#ff725c"], legend: true },
    marks: [
      Plot.line(finite, { x: "step", y: "loss", stroke: "series" }),
      Plot.dot(
        finite.filter((d) => d.series === "val"),
        { x: "step", y: "loss", fill: "series", r: 2.5 },
      ),
    ],
  });
}
