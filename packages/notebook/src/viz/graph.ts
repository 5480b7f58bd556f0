import type { AccumulateGrad, Node as GradNode, Tensor } from "@gradbook/engine";
import { el, svg } from "../inspector/dom.js";
import { compact } from "../inspector/format.js";
import { layeredLayout } from "./layered-layout.js";

/** Tensors with at most this many elements show their values in the graph. */
const VALUE_LIMIT = 4;
/** Graphs larger than this are cut (a whole training step's graph is not readable anyway). */
const MAX_NODES = 150;
const CHAR_WIDTH = 7.2;
const LINE_HEIGHT = 16;
const PAD = 8;
const COLUMN_GAP = 48;
const ROW_GAP = 18;

export interface GraphOptions {
  /** Names for leaf tensors, e.g. `model.named_parameters()` or `{ w, b }`. */
  readonly names?: Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>;
  /** The name of the tensor drawn (default "output"). */
  readonly name?: string;
}

/** The drawing, with `ready` settling once the values are read and drawn. */
export type GraphElement = HTMLElement & { readonly ready: Promise<void> };

type Kind = "output" | "op" | "leaf";

interface Box {
  readonly id: string;
  readonly kind: Kind;
  readonly title: string;
  readonly tensor?: Tensor;
}

/**
 * The autograd graph of `tensor` as PyTorch records it, drawn left to right as data flows:
 * leaf tensors (with their value and `.grad`), the backward node of each op (`MulBackward0`,
 * ...) and the tensor itself. Values are read asynchronously; the element gets `data-ready`
 * when drawn.
 */
export function graph(tensor: Tensor, options: GraphOptions = {}): GraphElement {
  const { boxes, edges, truncated } = walk(tensor, options);
  const container = el("figure", "gb-graph", el("span", "gb-loading", "drawing…"));
  const ready = readValues(boxes).then((values) => {
    container.replaceChildren(draw(boxes, edges, values));
    if (truncated) {
      container.append(el("figcaption", "", `Only the first ${MAX_NODES} nodes are drawn.`));
    }
    if (!tensor.grad_fn && !tensor.requires_grad) {
      container.append(
        el(
          "figcaption",
          "",
          "This tensor has no autograd graph: nothing it was made from requires grad.",
        ),
      );
    }
    container.setAttribute("data-ready", "");
  });
  return Object.assign(container, { ready });
}

function namesOf(options: GraphOptions): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  const entries =
    options.names && Symbol.iterator in options.names
      ? (options.names as Iterable<readonly [string, Tensor]>)
      : Object.entries(options.names ?? {});
  for (const [name, t] of entries) names.set(t, name);
  return names;
}

function isAccumulateGrad(node: GradNode): node is AccumulateGrad {
  return "variable" in node;
}

function walk(tensor: Tensor, options: GraphOptions) {
  const names = namesOf(options);
  const boxes: Box[] = [];
  const edges: [string, string][] = [];
  const ids = new Map<GradNode, string>();
  let truncated = false;
  const root: Box = {
    id: "n0",
    kind: tensor.grad_fn ? "output" : "leaf",
    title: options.name ?? names.get(tensor) ?? (tensor.grad_fn ? "output" : "tensor"),
    tensor,
  };
  boxes.push(root);
  const visit = (node: GradNode): string | null => {
    const known = ids.get(node);
    if (known) return known;
    if (boxes.length >= MAX_NODES) {
      truncated = true;
      return null;
    }
    const id = `n${boxes.length}`;
    ids.set(node, id);
    if (isAccumulateGrad(node)) {
      boxes.push({
        id,
        kind: "leaf",
        title: names.get(node.variable) ?? "leaf",
        tensor: node.variable,
      });
      return id;
    }
    boxes.push({ id, kind: "op", title: node.name, tensor: node.retained ?? undefined });
    for (const next of node.next) {
      const from = next && visit(next);
      if (from) edges.push([from, id]);
    }
    return id;
  };
  if (tensor.grad_fn) {
    const from = visit(tensor.grad_fn);
    if (from) edges.push([from, root.id]);
  }
  return { boxes, edges, truncated };
}

interface Values {
  readonly data?: ArrayLike<number>;
  readonly grad?: ArrayLike<number>;
}

async function readValues(boxes: readonly Box[]): Promise<Map<string, Values>> {
  const read = (t: Tensor | null | undefined) =>
    t && t.numel() <= VALUE_LIMIT ? t.data() : Promise.resolve(undefined);
  const entries = await Promise.all(
    boxes.map(async (box): Promise<[string, Values]> => {
      const [data, grad] = await Promise.all([read(box.tensor), read(box.tensor?.grad)]);
      return [box.id, { data, grad }];
    }),
  );
  return new Map(entries);
}

function lines(box: Box, values: Values | undefined): string[] {
  const out = [box.title];
  const t = box.tensor;
  if (!t) return out;
  if (t.ndim > 0) out.push(`[${t.shape.join(", ")}]`);
  const show = (data: ArrayLike<number>) => Array.from(data, compact).join(", ");
  if (values?.data) out.push(`data ${show(values.data)}`);
  if (values?.grad) out.push(`grad ${show(values.grad)}`);
  else if (t.grad) out.push("grad ✓");
  else if (box.kind === "leaf" && t.requires_grad) out.push("grad None");
  return out;
}

function draw(
  boxes: readonly Box[],
  edges: readonly (readonly [string, string])[],
  values: ReadonlyMap<string, Values>,
): SVGSVGElement {
  const layout = layeredLayout({ nodes: boxes.map((box) => box.id), edges });
  const text = new Map(boxes.map((box) => [box.id, lines(box, values.get(box.id))]));
  const size = new Map(
    boxes.map((box) => {
      const rows = text.get(box.id)!;
      const width = Math.max(...rows.map((row) => row.length)) * CHAR_WIDTH + 2 * PAD;
      return [box.id, { width, height: rows.length * LINE_HEIGHT + PAD }];
    }),
  );
  const columnWidth = new Array<number>(layout.columns).fill(0);
  let rowHeight = 0;
  for (const box of boxes) {
    const { column } = layout.placements.get(box.id)!;
    columnWidth[column] = Math.max(columnWidth[column], size.get(box.id)!.width);
    rowHeight = Math.max(rowHeight, size.get(box.id)!.height + ROW_GAP);
  }
  const columnX = columnWidth.map((_, c) =>
    columnWidth.slice(0, c).reduce((x, w) => x + w + COLUMN_GAP, PAD),
  );
  const position = (id: string) => {
    const { column, y } = layout.placements.get(id)!;
    const { width, height } = size.get(id)!;
    const x = columnX[column] + (columnWidth[column] - width) / 2;
    return { x, y: PAD + y * rowHeight + (rowHeight - ROW_GAP - height) / 2, width, height };
  };
  const width = columnX[layout.columns - 1] + columnWidth[layout.columns - 1] + PAD;
  const height = layout.rows * rowHeight + PAD;
  const root = svg("svg", {
    class: "gb-graph-svg",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
  });
  root.append(
    svg(
      "defs",
      {},
      svg(
        "marker",
        {
          id: "gb-arrow",
          viewBox: "0 0 10 10",
          refX: 10,
          refY: 5,
          markerWidth: 6,
          markerHeight: 6,
          orient: "auto",
        },
        svg("path", { d: "M0,0 L10,5 L0,10 z" }),
      ),
    ),
  );
  for (const [from, to] of edges) {
    const a = position(from);
    const b = position(to);
    const [x1, y1, x2, y2] = [a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2];
    const mid = (x1 + x2) / 2;
    root.append(
      svg("path", {
        class: "gb-graph-edge",
        d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
        "marker-end": "url(#gb-arrow)",
      }),
    );
  }
  for (const box of boxes) {
    const { x, y, width: w, height: h } = position(box.id);
    const group = svg("g", {
      class: `gb-graph-node gb-graph-${box.kind}`,
      "data-title": box.title,
    });
    group.append(svg("rect", { x, y, width: w, height: h, rx: 4 }));
    text.get(box.id)!.forEach((row, i) => {
      group.append(
        svg(
          "text",
          {
            x: x + PAD,
            y: y + PAD / 2 + (i + 0.75) * LINE_HEIGHT,
            class: i ? "" : "gb-graph-title",
          },
          row,
        ),
      );
    });
    root.append(group);
  }
  return root;
}
