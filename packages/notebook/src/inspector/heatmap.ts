import { colorScale, cssColor } from "./color.js";
import { el } from "./dom.js";
import { compact } from "./format.js";
import type { Stats } from "./stats.js";

/** Largest side drawn at one pixel per element; larger matrices are sampled. */
const MAX_PIXELS = 512;
/** The box the heatmap is scaled to fit on screen. */
const MAX_WIDTH = 260;
const MAX_HEIGHT = 200;
const MAX_CELL = 28;

/**
 * A 2-D tensor as an image: one pixel per element, scaled up without smoothing, coloured
 * around zero when values have both signs. Hovering shows an element's index and value.
 */
export function heatmap(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  s: Stats,
): HTMLElement {
  const rowStep = Math.ceil(rows / MAX_PIXELS);
  const colStep = Math.ceil(cols / MAX_PIXELS);
  const height = Math.ceil(rows / rowStep);
  const width = Math.ceil(cols / colStep);
  const canvas = el("canvas", "gb-heatmap-canvas");
  canvas.width = width;
  canvas.height = height;
  const cell = Math.max(
    1,
    Math.min(MAX_CELL, Math.floor(MAX_WIDTH / width), Math.floor(MAX_HEIGHT / height)),
  );
  canvas.style.width = `${width * cell}px`;
  canvas.style.height = `${height * cell}px`;
  const color = colorScale(s.min, s.max);
  const context = canvas.getContext("2d");
  if (context) {
    const image = context.createImageData(width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = color(values[y * rowStep * cols + x * colStep]);
        const p = (y * width + x) * 4;
        image.data.set([r, g, b, 255], p);
      }
    }
    context.putImageData(image, 0, 0);
  }
  canvas.addEventListener("mousemove", (event) => {
    const i = Math.min(rows - 1, Math.floor((event.offsetY / (height * cell)) * height) * rowStep);
    const j = Math.min(cols - 1, Math.floor((event.offsetX / (width * cell)) * width) * colStep);
    canvas.title = `[${i}, ${j}] = ${compact(values[i * cols + j])}`;
  });
  const sampled = rowStep > 1 || colStep > 1 ? ` (every ${rowStep}×${colStep})` : "";
  return el("figure", "gb-heatmap", canvas, legend(s), sampled && el("figcaption", "", sampled));
}

function legend(s: Stats): HTMLElement {
  const color = colorScale(s.min, s.max);
  const diverging = s.min < 0 && s.max > 0;
  const low = diverging ? -Math.max(-s.min, s.max) : s.min;
  const high = diverging ? -low : s.max;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => cssColor(color(low + (high - low) * t)));
  const bar = el("span", "gb-legend-bar");
  bar.style.background = `linear-gradient(to right, ${stops.join(", ")})`;
  return el("div", "gb-legend", el("span", "", compact(low)), bar, el("span", "", compact(high)));
}
