import { isTemporary, type Storage } from "./storage.js";
import type { Tensor } from "./tensor.js";

/**
 * Reverse-mode automatic differentiation, as PyTorch does it: every op that involves a tensor
 * requiring grad records a Node (its `grad_fn`) holding edges to its inputs' nodes and a
 * backward rule; `backward()` walks the graph in topological order, summing the gradients
 * that meet at a node, and leaves accumulate into `.grad`.
 */

let gradEnabled = true;

export function is_grad_enabled(): boolean {
  return gradEnabled;
}

export function set_grad_enabled(mode: boolean): void {
  gradEnabled = mode;
}

/** Run `fn` with gradient tracking set to `mode`, restoring it afterwards (also for async fns). */
function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = mode;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    gradEnabled = previous;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      gradEnabled = previous;
    }) as T;
  }
  gradEnabled = previous;
  return result;
}

/** `torch.no_grad(() => model(x))`: nothing inside is recorded for backward. */
export function no_grad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function enable_grad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

/** PyTorch's legacy type name of a tensor, as its autograd errors print it. */
function legacyTypeName(t: Tensor): string {
  const kind = t.dtype === "float32" ? "Float" : t.dtype === "int64" ? "Long" : "Bool";
  return `torch.${kind}Tensor`;
}

interface SavedTensor {
  tensor: Tensor;
  version: number;
  /** The node that produced the tensor when it was saved (null for leaves). */
  producer: string | null;
}

export class Node {
  /** Edges to the nodes of the inputs (null where an input needs no gradient). */
  readonly next: (Node | null)[];
  /** A non-leaf tensor that asked for its gradient with `retain_grad()`. */
  retained: Tensor | null = null;
  private backwardFn: BackwardFn | null;
  private readonly saved: SavedTensor[];
  private freed = false;

  constructor(
    /** PyTorch's name for the node, e.g. "MulBackward0". */
    readonly name: string,
    next: (Node | null)[],
    backwardFn: BackwardFn,
    saved: readonly Tensor[],
  ) {
    this.next = next;
    this.backwardFn = backwardFn;
    this.saved = saved.map((tensor) => ({
      tensor,
      version: tensor._version,
      producer: tensor.grad_fn?.name ?? null,
    }));
  }

  apply(grad: Tensor): (Tensor | null)[] {
    if (this.freed || !this.backwardFn) {
      throw new Error(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward. (In Gradbook: `loss.backward({ retain_graph: true })`.)",
      );
    }
    for (const s of this.saved) {
      if (s.tensor._version !== s.version) {
        const t = s.tensor;
        const what = `[${legacyTypeName(t)} [${t.shape.join(", ")}]]`;
        const origin = s.producer ? `, which is output 0 of ${s.producer},` : "";
        throw new Error(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ${what}${origin} is at version ${t._version}; expected version ${s.version} instead. Hint: the tensor was changed in place (add_, mul_, copy_, ...) after it was used; use the out-of-place op (add, mul, ...) or clone() it first.`,
        );
      }
    }
    return this.backwardFn(grad);
  }

  /** Drop saved tensors (after backward without retain_graph). Nodes that saved none stay usable. */
  release(): void {
    if (this.saved.length === 0) return;
    this.saved.length = 0;
    this.backwardFn = null;
    this.freed = true;
  }
}

/** The node that adds a gradient into a leaf's `.grad`. One per leaf, reused. */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super("AccumulateGrad", [], () => [], []);
  }

  override apply(grad: Tensor): (Tensor | null)[] {
    return this.accumulate(grad, false);
  }

  /**
   * Add `grad` into `.grad`. A first gradient is copied, since the same tensor may reach
   * several leaves and `.grad` is mutable, unless `owned`: no one else can ever read it.
   */
  accumulate(grad: Tensor, owned: boolean): (Tensor | null)[] {
    const v = this.variable;
    v.grad = v.grad ? v.grad.add(grad) : owned ? grad : grad.clone();
    return [];
  }

  override release(): void {}
}

/**
 * Run backward from `root` with gradient `grad`, accumulating into the leaves' `.grad`.
 * Returns the tensors whose `.grad` it stored.
 */
export function runBackward(root: Node, grad: Tensor, retainGraph: boolean): Tensor[] {
  // Count, for every node reachable from root, how many edges point at it.
  const dependencies = new Map<Node, number>();
  const stack: Node[] = [root];
  const seen = new Set<Node>([root]);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of node.next) {
      if (!next) continue;
      dependencies.set(next, (dependencies.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }

  // Kahn's algorithm: a node runs once every gradient flowing into it has been summed.
  const grads = new Map<Node, Tensor>([[root, grad]]);
  const ready: Node[] = [root];
  const stored: Tensor[] = [];
  // Storages a leaf took as its .grad: any other tensor on them must be copied.
  const taken = new Set<Storage>();
  // PyTorch's AccumulateGrad steals a gradient no one else references instead of copying it.
  // Here that is a dense temporary of this backward (which frees the rest) not taken before.
  const owned = (g: Tensor): boolean => {
    const s = g._storage;
    if (taken.has(s) || !isTemporary(s) || !g._isDense()) return false;
    taken.add(s);
    return true;
  };
  withGradMode(false, () => {
    while (ready.length > 0) {
      const node = ready.pop()!;
      const g = grads.get(node);
      grads.delete(node);
      // A node no gradient reached still passes on its edges, so its inputs can run.
      let inputGrads: (Tensor | null)[] = [];
      if (g) {
        const r = node.retained;
        if (r) {
          r.grad = r.grad ? r.grad.add(g) : g.clone();
          stored.push(r);
        }
        if (node instanceof AccumulateGrad) {
          stored.push(node.variable);
          inputGrads = node.accumulate(g, !node.variable.grad && owned(g));
        } else {
          inputGrads = node.apply(g);
        }
      }
      if (!retainGraph) node.release();
      node.next.forEach((next, i) => {
        if (!next) return;
        const gi = inputGrads[i];
        if (gi) {
          const prev = grads.get(next);
          grads.set(next, prev ? prev.add(gi) : gi);
        }
        const left = dependencies.get(next)! - 1;
        dependencies.set(next, left);
        if (left === 0) ready.push(next);
      });
    }
  });
  return stored;
}
