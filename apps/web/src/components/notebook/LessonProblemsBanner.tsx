"use client";

import type { LessonProblem } from "@/lib/lesson-problems";

/**
 * What stops a lesson's exercises from working (lesson-problems.ts), above the author's
 * notebook, each with a link to the cell to fix.
 */
export function LessonProblemsBanner({
  problems,
}: {
  readonly problems: readonly LessonProblem[];
}) {
  if (problems.length === 0) return null;
  return (
    <section className="lesson-problems" aria-label="Lesson structure">
      <h2>
        {problems.length === 1
          ? "One thing to fix before students can do this lesson"
          : `${problems.length} things to fix before students can do this lesson`}
      </h2>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.cellId}:${problem.message}`}>
            {problem.message}{" "}
            <button type="button" className="link-button" onClick={() => goToCell(problem.cellId)}>
              Go to the cell
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function goToCell(id: string): void {
  const overlay = document.querySelector<HTMLElement>(
    `.cell-overlay[data-cell-id="${CSS.escape(id)}"]`,
  );
  if (!overlay) return;
  overlay.scrollIntoView({ block: "center", behavior: "smooth" });
  overlay.querySelector<HTMLElement>("textarea, .collapsed-code")?.focus({ preventScroll: true });
}
