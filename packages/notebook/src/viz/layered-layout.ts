/**
 * A layered layout for small DAGs such as an autograd graph: each node goes in the column of
 * its longest path to the root (the root rightmost, so data flows left to right), and nodes in
 * a column are ordered by the mean row of their successors, which removes most crossings in
 * the tree-like graphs backprop produces.
 */

export interface LayoutInput {
  /** Node ids; the first is the root. */
  readonly nodes: readonly string[];
  /** Edges from an input to the node that consumes it (data flow). */
  readonly edges: readonly (readonly [from: string, to: string])[];
}

export interface Placement {
  readonly column: number;
  readonly row: number;
  /** Vertical position in rows, with each column centred on the tallest. */
  readonly y: number;
}

export interface Layout {
  readonly columns: number;
  readonly rows: number;
  readonly placements: ReadonlyMap<string, Placement>;
}

export function layeredLayout({ nodes, edges }: LayoutInput): Layout {
  const consumers = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const [from, to] of edges) consumers.get(from)?.push(to);
  // Depth: longest path to the root, following consumers (an autograd graph has no cycles).
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const next = consumers.get(id) ?? [];
    const d = next.length ? 1 + Math.max(...next.map(depthOf)) : 0;
    depth.set(id, d);
    return d;
  };
  const maxDepth = Math.max(0, ...nodes.map(depthOf));
  const columns: string[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const id of nodes) columns[maxDepth - depthOf(id)].push(id);

  // Order each column by the mean row of its consumers, from the root leftwards.
  const row = new Map<string, number>();
  for (let c = maxDepth; c >= 0; c--) {
    const column = columns[c];
    const key = (id: string) => {
      const rows = (consumers.get(id) ?? []).map((to) => row.get(to) ?? 0);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    const order = column.map((id, i) => ({ id, key: key(id), i }));
    order.sort((a, b) => a.key - b.key || a.i - b.i);
    order.forEach(({ id }, r) => {
      row.set(id, r);
    });
    columns[c] = order.map(({ id }) => id);
  }

  const rows = Math.max(1, ...columns.map((column) => column.length));
  const placements = new Map<string, Placement>();
  columns.forEach((column, c) => {
    column.forEach((id, r) => {
      placements.set(id, { column: c, row: r, y: r + (rows - column.length) / 2 });
    });
  });
  return { columns: columns.length, rows, placements };
}
