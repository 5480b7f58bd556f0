/**
 * A cell's part in an exercise, from its attributes (`exercise=grid`, `solution=grid`,
 * `check=grid`; see @gradbook/lessons). Shared by the editor, which labels the cells, and the
 * sandbox, which runs them differently in the author view.
 */

export type RoleKind = "exercise" | "solution" | "check";

export interface ExerciseRole {
  readonly kind: RoleKind;
  /** The exercise's name; "" when the attribute has no value (prepareLesson reports it). */
  readonly name: string;
  /** An exercise checked by the server (`exercise=name graded`): no solution or check cell. */
  readonly graded?: true;
}

export const ROLE_KINDS: readonly RoleKind[] = ["exercise", "solution", "check"];

type Attrs = Readonly<Record<string, string | true>>;

/** The cell's role, or null. A cell with several role attributes gets the first. */
export function exerciseRole(attrs: Attrs): ExerciseRole | null {
  const kind = ROLE_KINDS.find((k) => attrs[k] !== undefined);
  if (!kind) return null;
  const name = typeof attrs[kind] === "string" ? attrs[kind] : "";
  // "graded" is @gradbook/lessons' GRADED attribute.
  if (kind === "exercise" && attrs.graded !== undefined) return { kind, name, graded: true };
  return { kind, name };
}

/** Every role attribute a cell has (a well-formed cell has at most one). */
export function roleKinds(attrs: Attrs): RoleKind[] {
  return ROLE_KINDS.filter((k) => attrs[k] !== undefined);
}

const LABELS: Record<RoleKind, string> = {
  exercise: "Exercise",
  solution: "Solution for",
  check: "Check for",
};

/** "Exercise grid", "Solution for grid", "Check for grid". */
export function roleLabel(role: ExerciseRole): string {
  return `${LABELS[role.kind]} ${role.name || "(unnamed)"}`;
}
