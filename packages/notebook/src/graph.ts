/**
 * The dependency graph between cells: which cell defines each name, names defined twice,
 * circular definitions, and which cells to re-run after an edit. Cells are identified by id and
 * listed in document order, which breaks ties so every order is deterministic.
 */

export interface GraphCell {
  readonly id: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface GraphError {
  readonly kind: "duplicate" | "circular";
  /** The names at fault: the duplicated name, or every name passed around the cycle. */
  readonly names: readonly string[];
  readonly message: string;
}

export class CellGraph {
  /** The cell that defines each name; a name defined by several cells maps to all of them. */
  readonly definitions: ReadonlyMap<string, readonly string[]>;
  /** Errors by cell id; cells without errors are absent. */
  readonly errors: ReadonlyMap<string, readonly GraphError[]>;
  /** All cells, each after the cells it reads from (cells in a cycle in document order). */
  readonly order: readonly string[];
  private readonly cells: ReadonlyMap<string, GraphCell>;
  private readonly upstream: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly downstream: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(cells: readonly GraphCell[]) {
    this.cells = new Map(cells.map((cell) => [cell.id, cell]));
    if (this.cells.size !== cells.length) throw new Error("cell ids in a graph must be unique");
    this.definitions = definitionsOf(cells);
    this.upstream = new Map(cells.map((cell) => [cell.id, new Set(this.definersOf(cell.inputs))]));
    this.downstream = invert(cells, this.upstream);
    const errors = new Map<string, GraphError[]>();
    const report = (id: string, error: GraphError) =>
      errors.set(id, [...(errors.get(id) ?? []), error]);
    for (const [name, definers] of this.definitions) {
      if (definers.length < 2) continue;
      const message = `"${name}" is defined in more than one cell`;
      for (const id of definers) report(id, { kind: "duplicate", names: [name], message });
    }
    for (const cycle of cyclesOf(cells, this.upstream)) {
      const members = new Set(cycle);
      const names = new Set<string>();
      for (const id of cycle) {
        for (const name of this.cells.get(id)!.inputs) {
          if (this.definitions.get(name)?.some((definer) => members.has(definer))) names.add(name);
        }
      }
      const sorted = [...names].sort();
      const message = `circular definition: ${sorted.map((name) => `"${name}"`).join(", ")} depend on each other`;
      for (const id of cycle) report(id, { kind: "circular", names: sorted, message });
    }
    this.errors = errors;
    this.order = topologicalOrder(cells, this.upstream);
  }

  /** The cells `id` reads from, in document order. */
  dependencies(id: string): string[] {
    this.get(id);
    return this.inOrder(this.upstream.get(id)!);
  }

  /** The cells that read from `id` directly, in document order. */
  dependants(id: string): string[] {
    this.get(id);
    return this.inOrder(this.downstream.get(id)!);
  }

  /** Inputs of `id` that no cell defines: the notebook's built-ins, or mistakes. */
  unresolved(id: string): string[] {
    return this.get(id).inputs.filter((name) => !this.definitions.has(name));
  }

  /**
   * The cells to re-run after `id` is edited: it and everything downstream of it, in
   * topological order. `formerOutputs` are the names the cell defined before the edit: the
   * cells that read them must re-run too (to report them undefined, or pick up a new definer).
   */
  rerun(id: string, formerOutputs: readonly string[] = []): string[] {
    this.get(id);
    const affected = new Set<string>();
    const pending = [id];
    for (const [other, cell] of this.cells) {
      if (cell.inputs.some((name) => formerOutputs.includes(name))) pending.push(other);
    }
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (affected.has(next)) continue;
      affected.add(next);
      pending.push(...this.downstream.get(next)!);
    }
    return this.order.filter((cell) => affected.has(cell));
  }

  private get(id: string): GraphCell {
    const cell = this.cells.get(id);
    if (!cell) throw new RangeError(`no cell with id "${id}" in the graph`);
    return cell;
  }

  private definersOf(names: readonly string[]): string[] {
    return names.flatMap((name) => this.definitions.get(name) ?? []);
  }

  private inOrder(ids: ReadonlySet<string>): string[] {
    return [...this.cells.keys()].filter((id) => ids.has(id));
  }
}

export function buildGraph(cells: readonly GraphCell[]): CellGraph {
  return new CellGraph(cells);
}

function definitionsOf(cells: readonly GraphCell[]): Map<string, string[]> {
  const definitions = new Map<string, string[]>();
  for (const cell of cells) {
    for (const name of new Set(cell.outputs))
      definitions.set(name, [...(definitions.get(name) ?? []), cell.id]);
  }
  return definitions;
}

function invert(
  cells: readonly GraphCell[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, Set<string>> {
  const inverted = new Map(cells.map((cell) => [cell.id, new Set<string>()]));
  for (const [from, tos] of edges) for (const to of tos) inverted.get(to)!.add(from);
  return inverted;
}

/** Kahn's algorithm, taking the first ready cell in document order; a cycle is broken at its first cell. */
function topologicalOrder(
  cells: readonly GraphCell[],
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < cells.length) {
    const remaining = cells.filter((cell) => !done.has(cell.id));
    const ready = remaining.find((cell) => [...upstream.get(cell.id)!].every((id) => done.has(id)));
    const next = (ready ?? remaining[0]).id;
    done.add(next);
    order.push(next);
  }
  return order;
}

/** Tarjan's strongly connected components with more than one cell: the cycles. */
function cyclesOf(
  cells: readonly GraphCell[],
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (id: string) => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const next of upstream.get(id)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id)!, index.get(next)!));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    if (component.length > 1) cycles.push(component);
  };
  for (const cell of cells) if (!index.has(cell.id)) visit(cell.id);
  const position = new Map(cells.map((cell, i) => [cell.id, i]));
  return cycles.map((cycle) => cycle.sort((a, b) => position.get(a)! - position.get(b)!));
}
