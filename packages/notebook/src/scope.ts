import type {
  AnonymousFunctionDeclaration,
  AnyNode,
  ArrowFunctionExpression,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  Pattern,
} from "acorn";
import { ancestor } from "acorn-walk";

/**
 * Scope analysis for a cell: which identifiers are free (read from outside the cell) and which
 * assignments target a name the cell does not declare. Declarations are recorded on the node
 * that scopes them (function, block, loop, catch clause, class), then each identifier is
 * resolved by looking for its name on its ancestors. Property names, object keys and labels
 * are not identifiers in expression position, so acorn-walk never hands them to us.
 */

export interface ScopeAnalysis {
  /** Free identifiers read by the cell, in walk order (possibly repeated). */
  readonly references: readonly Identifier[];
  /** Free identifiers the cell assigns to (`x = 1`, `x++`, `[x] = a`, `for (x of a)`). */
  readonly assignments: readonly Identifier[];
}

type FunctionNode =
  | FunctionDeclaration
  | AnonymousFunctionDeclaration
  | FunctionExpression
  | ArrowFunctionExpression;

function isFunction(node: AnyNode): node is FunctionNode {
  return (
    node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression"
  );
}

/** Where `var` declarations live. */
function isVarScope(node: AnyNode): boolean {
  return isFunction(node) || node.type === "Program" || node.type === "StaticBlock";
}

/** Where `let`, `const`, `class` and (in strict code) function declarations live. */
function isBlockScope(node: AnyNode): boolean {
  switch (node.type) {
    case "BlockStatement":
    case "ForStatement":
    case "ForInStatement":
    case "ForOfStatement":
    case "SwitchStatement":
      return true;
    default:
      return isVarScope(node);
  }
}

/** The nearest ancestor (not the node itself, which is last) that passes `test`. */
function nearest(ancestors: readonly AnyNode[], test: (node: AnyNode) => boolean): AnyNode {
  for (let i = ancestors.length - 2; i >= 0; i--) if (test(ancestors[i])) return ancestors[i];
  return ancestors[0];
}

export function patternNames(pattern: Pattern): Identifier[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern];
    case "ObjectPattern":
      return pattern.properties.flatMap((property) =>
        patternNames(property.type === "Property" ? property.value : property.argument),
      );
    case "ArrayPattern":
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case "RestElement":
      return patternNames(pattern.argument);
    case "AssignmentPattern":
      return patternNames(pattern.left);
    case "MemberExpression":
      return [];
  }
}

export function analyzeScope(root: AnyNode, globals: ReadonlySet<string>): ScopeAnalysis {
  const locals = new Map<AnyNode, Set<string>>();
  const declare = (scope: AnyNode, name: string) => {
    const names = locals.get(scope);
    if (names) names.add(name);
    else locals.set(scope, new Set([name]));
  };
  const declareFunction = (node: FunctionNode) => {
    for (const param of node.params) for (const id of patternNames(param)) declare(node, id.name);
    if (node.type === "ArrowFunctionExpression") return;
    declare(node, "arguments");
    // A function expression's own name is visible only inside it.
    if (node.type === "FunctionExpression" && node.id) declare(node, node.id.name);
  };

  ancestor(root, {
    VariableDeclaration(node, _state, ancestors) {
      const scope = nearest(ancestors, node.kind === "var" ? isVarScope : isBlockScope);
      for (const declarator of node.declarations) {
        for (const id of patternNames(declarator.id)) declare(scope, id.name);
      }
    },
    FunctionDeclaration(node, _state, ancestors) {
      if (node.id) declare(nearest(ancestors, isBlockScope), node.id.name);
      declareFunction(node);
    },
    FunctionExpression: declareFunction,
    ArrowFunctionExpression: declareFunction,
    ClassDeclaration(node, _state, ancestors) {
      if (!node.id) return;
      declare(nearest(ancestors, isBlockScope), node.id.name);
      declare(node, node.id.name);
    },
    ClassExpression(node) {
      if (node.id) declare(node, node.id.name);
    },
    CatchClause(node) {
      if (node.param) for (const id of patternNames(node.param)) declare(node, id.name);
    },
  });

  const isFree = (id: Identifier, ancestors: readonly AnyNode[]) => {
    for (let i = ancestors.length - 2; i >= 0; i--) {
      if (locals.get(ancestors[i])?.has(id.name)) return false;
    }
    return true;
  };
  const references: Identifier[] = [];
  const assignments: Identifier[] = [];
  const assign = (id: Identifier, ancestors: readonly AnyNode[]) => {
    if (isFree(id, ancestors)) assignments.push(id);
  };

  ancestor(root, {
    Identifier(node, _state, ancestors) {
      if (isFree(node, ancestors) && !globals.has(node.name)) references.push(node);
    },
    // Identifiers in pattern position: declarations (always local) and assignment targets.
    Pattern(node, _state, ancestors) {
      if (node.type === "Identifier") assign(node, ancestors);
    },
    UpdateExpression(node, _state, ancestors) {
      if (node.argument.type === "Identifier") assign(node.argument, [...ancestors, node.argument]);
    },
    ForInStatement(node, _state, ancestors) {
      if (node.left.type === "Identifier") assign(node.left, [...ancestors, node.left]);
    },
    ForOfStatement(node, _state, ancestors) {
      if (node.left.type === "Identifier") assign(node.left, [...ancestors, node.left]);
    },
  });

  return { references, assignments };
}
