import { md } from "@gradbook/notebook/browser";
import type { ExerciseProgress, ExerciseStatus } from "../exercises/progress.js";

/**
 * The feedback under an exercise cell: what the check says, a button that reveals the next
 * hint, the hints revealed so far, and "Show solution". An app that draws its own feedback
 * from `onProgress` turns this off (`feedback: false`).
 */

const ICONS: Record<ExerciseStatus, string> = {
  "not-attempted": "○",
  checking: "…",
  passed: "✓",
  failed: "✗",
  error: "✗",
  blocked: "⏸",
};

export interface FeedbackActions {
  readonly onHint: () => void;
  readonly onSolution: () => void;
}

export class FeedbackView {
  readonly element = document.createElement("div");
  private readonly status = document.createElement("div");
  private readonly hintButton = button("Hint");
  private readonly solutionButton = button("Show solution");
  private readonly hintList = document.createElement("ol");
  private shownHints = 0;

  constructor(
    private readonly hints: readonly string[],
    /** Checked by the server: no solution to show. */
    graded: boolean,
    actions: FeedbackActions,
  ) {
    this.element.className = "gb-exercise";
    this.status.className = "gb-exercise-status";
    this.hintList.className = "gb-exercise-hints";
    this.hintButton.addEventListener("click", actions.onHint);
    this.solutionButton.addEventListener("click", actions.onSolution);
    const buttons = document.createElement("div");
    buttons.className = "gb-exercise-actions";
    buttons.append(this.hintButton, this.solutionButton);
    this.solutionButton.hidden = graded;
    if (graded) this.element.dataset.graded = "";
    this.element.append(this.status, buttons, this.hintList);
  }

  update(progress: ExerciseProgress): void {
    this.element.dataset.status = progress.status;
    const icon = document.createElement("span");
    icon.className = "gb-exercise-icon";
    icon.textContent = ICONS[progress.status];
    const aided = progress.status === "passed" && progress.solutionShown ? " (solution shown)" : "";
    this.status.replaceChildren(icon, ` ${progress.message}${aided}`);
    while (this.shownHints < progress.hintsShown) {
      const item = document.createElement("li");
      item.append(md(this.hints[this.shownHints]));
      this.hintList.append(item);
      this.shownHints++;
    }
    const left = this.hints.length - progress.hintsShown;
    this.hintButton.hidden = this.hints.length === 0;
    this.hintButton.disabled = left === 0 || progress.status === "passed";
    this.hintButton.textContent = left ? `Hint (${left} left)` : "No more hints";
    this.solutionButton.disabled = progress.solutionShown;
  }
}

function button(label: string): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  return element;
}
