"use client";

import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import type { SavedExerciseMessage } from "@/sandbox/protocol";
import type { SaveTarget } from "./notebook/useNotebookSave";
import { TrustPrompt } from "./TrustPrompt";

/** The editor, Monaco and the sandbox connection load after the page shows its text. */
const LiveNotebook = lazy(() => import("./notebook/LiveNotebook"));

export interface NotebookViewProps {
  /** The notebook's Markdown. */
  readonly content: string;
  /** Where edits are saved (with the version they were made on), or null: fork to edit. */
  readonly saveTarget: SaveTarget | null;
  /**
   * `own`: the viewer's notebook, runs at once. `lesson`: ours, runs at once (edits aren't saved).
   * `shared`: someone else's code, shown as text and run only when the viewer asks.
   */
  readonly trust: "own" | "lesson" | "shared";
  /**
   * How exercises show: as a student meets them (default), or, for the author of an own
   * notebook, every cell (solutions and checks too) running with the solutions.
   */
  readonly view?: "author" | "student";
  /** A shared notebook's link, for its `models.load` (the owner's models, read-only). */
  readonly shareId?: string;
  /** The viewer's saved progress in their own notebook (hints and solutions already seen). */
  readonly savedProgress?: readonly SavedExerciseMessage[];
  /** The notebook rendered on the server (prose and code): shown until the live one is ready. */
  readonly children: ReactNode;
}

/**
 * Where a notebook comes alive. The server renders its text (fast, no JavaScript needed); after
 * hydration the live editor loads and replaces it once the sandbox has laid the notebook out.
 * A shared notebook stays text until the viewer chooses to run it.
 */
export function NotebookView({
  content,
  saveTarget,
  trust,
  view,
  shareId,
  savedProgress,
  children,
}: NotebookViewProps) {
  const [mounted, setMounted] = useState(false);
  const [trusted, setTrusted] = useState(trust !== "shared");
  useEffect(() => setMounted(true), []);
  const live = mounted && trusted;
  return (
    <section
      className="notebook-view"
      aria-label="Notebook"
      data-trust={trust}
      data-editable={saveTarget !== null}
    >
      {!trusted && <TrustPrompt onRun={() => setTrusted(true)} />}
      {live ? (
        <Suspense fallback={children}>
          <LiveNotebook
            content={content}
            saveTarget={saveTarget}
            trust={trust}
            view={view}
            shareId={shareId}
            savedProgress={savedProgress}
            fallback={children}
          />
        </Suspense>
      ) : (
        children
      )}
    </section>
  );
}
