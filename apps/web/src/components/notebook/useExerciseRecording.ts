"use client";

import { useCallback, useEffect, useRef } from "react";
import { api, messageOf } from "@/lib/api-client";
import type { GradingRequest, SavedExerciseMessage, ShellToSandbox } from "@/sandbox/protocol";

/** Saves at most this often while the student works (the API's write budget is ~1/s). */
const RECORD_AFTER_MS = 2_000;

type ProgressMessage = Extract<GradingRequest, { type: "progress" }>;

/** Live "3/5 exercises": the notebook page's badge listens for this (ExerciseProgressBadge). */
export const PROGRESS_EVENT = "gradbook:exercise-progress";
export interface ProgressEventDetail {
  readonly notebookId: string;
  readonly passed: number;
  readonly total: number;
}

/**
 * Saves the viewer's progress in their own notebook (a lesson or assignment copy) and sends its
 * graded exercises' answers to the server. `notebookId` null (a lesson page, someone else's
 * notebook): nothing is saved, and a graded answer is told where to go instead.
 */
export function useExerciseRecording(
  notebookId: string | null,
  initial: readonly SavedExerciseMessage[] | undefined,
) {
  const latest = useRef<Map<string, SavedExerciseMessage>>(
    new Map((initial ?? []).map((entry) => [entry.name, entry])),
  );
  const pending = useRef<ProgressMessage | null>(null);
  const sent = useRef("");
  const timer = useRef<number | undefined>(undefined);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    const message = pending.current;
    pending.current = null;
    if (!message || notebookId === null) return;
    const exercises = message.exercises.map((e) => ({
      exercise: e.name,
      status: e.status,
      message: e.message,
      hintsShown: e.hintsShown,
      solutionShown: e.solutionShown,
    }));
    const text = JSON.stringify(exercises);
    if (text === sent.current) return;
    sent.current = text;
    api.progress.record.mutate({ notebookId, exercises }).catch((error: unknown) => {
      sent.current = ""; // try again with the next change
      console.warn("Progress not saved:", messageOf(error));
    });
  }, [notebookId]);

  // Whatever is waiting is saved when the page goes.
  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  const saved = useCallback(() => [...latest.current.values()], []);

  const onGradingRequest = useCallback(
    (request: GradingRequest, reply: (message: ShellToSandbox) => void) => {
      if (request.type === "progress") {
        for (const e of request.exercises) {
          latest.current.set(e.name, {
            name: e.name,
            hintsShown: e.hintsShown,
            solutionShown: e.solutionShown,
          });
        }
        if (notebookId !== null) {
          const passed = request.exercises.filter((e) => e.status === "passed").length;
          const detail: ProgressEventDetail = {
            notebookId,
            passed,
            total: request.exercises.length,
          };
          window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail }));
        }
        pending.current = request;
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(flush, RECORD_AFTER_MS);
        return;
      }
      if (request.type !== "submitAnswer") return;
      const answer = (status: "passed" | "failed", message: string) =>
        reply({ type: "answerVerdict", requestId: request.requestId, status, message });
      if (notebookId === null) {
        answer("failed", "Graded work is checked in your own copy: open it from its classroom.");
        return;
      }
      api.progress.submitAnswer
        .mutate({
          notebookId,
          exercise: request.exercise,
          values: request.values as Record<string, unknown>,
        })
        .then(
          (verdict) => answer(verdict.status, verdict.message),
          (error: unknown) => answer("failed", `Not checked: ${messageOf(error)}`),
        );
    },
    [notebookId, flush],
  );

  return { saved, onGradingRequest };
}
