"use client";

import { useEffect, useState } from "react";
import { PROGRESS_EVENT, type ProgressEventDetail } from "./notebook/useExerciseRecording";

/** "3/5 exercises": saved progress at first, then live as the notebook runs. */
export function ExerciseProgressBadge({
  notebookId,
  passed,
  total,
}: {
  readonly notebookId: string;
  readonly passed: number;
  readonly total: number;
}) {
  const [progress, setProgress] = useState({ passed, total });
  useEffect(() => {
    const onProgress = (event: Event) => {
      const detail = (event as CustomEvent<ProgressEventDetail>).detail;
      if (detail.notebookId !== notebookId || detail.total === 0) return;
      // Passes are kept once made: a live run that has not re-checked yet shows the saved count.
      setProgress((before) => ({
        passed: Math.max(detail.passed, before.passed),
        total: detail.total,
      }));
    };
    window.addEventListener(PROGRESS_EVENT, onProgress);
    return () => window.removeEventListener(PROGRESS_EVENT, onProgress);
  }, [notebookId]);
  if (progress.total === 0) return null;
  return (
    <span className="exercise-progress" data-complete={progress.passed === progress.total}>
      {progress.passed}/{progress.total} exercises
    </span>
  );
}
