"use client";

import { type ExerciseRole, roleLabel } from "@/lib/exercise-roles";
import { CellStatusLabel, type CellStatusLabelProps } from "./CellStatusLabel";

/**
 * The header of an exercise's cell in the author view: which part it plays ("Solution for
 * grid", "Check for grid"), and for a check whether the solution passes it (author-run.ts
 * makes a failing check's cell fail with the check's message).
 */
export function AuthorCellStatus(props: CellStatusLabelProps & { readonly role: ExerciseRole }) {
  const { role, status } = props;
  const label = (
    <strong className="role-label" data-role={role.kind}>
      {roleLabel(role)}
    </strong>
  );
  if (role.kind === "exercise" && !role.graded) {
    return (
      <span className="cell-status">
        {label} · what students start from (not run here: its solution runs instead)
      </span>
    );
  }
  const settled = !props.item.edited && !props.stuck && !props.paused;
  if (role.kind === "check" && settled && status?.status === "done") {
    return (
      <span className="cell-status" data-tone="done" data-check="passed">
        {label} · ✓ The solution passes
      </span>
    );
  }
  if (role.kind === "check" && settled && status?.status === "error") {
    const unfinished = status.error?.name === "CheckUnfinished";
    return (
      <span
        className="cell-status"
        data-tone={unfinished ? undefined : "error"}
        data-check={unfinished ? "unfinished" : "failed"}
        title={status.error?.message}
      >
        {label} · {unfinished ? "○ To finish" : "✗ The solution fails"}: {status.error?.message}
      </span>
    );
  }
  return (
    <span className="author-status">
      {label} <CellStatusLabel {...props} />
    </span>
  );
}
