"use client";

import { useEffect, useState } from "react";
import type { CellItem } from "./notebook-store";
import type { RunStatus } from "./useSandboxSession";

export interface CellStatusLabelProps {
  readonly item: CellItem;
  readonly status: RunStatus | undefined;
  /** It was running when the sandbox stopped answering. */
  readonly stuck: boolean;
  /** The sandbox shows the notebook without running it. */
  readonly paused: boolean;
}

/** One line on what a code cell is doing: waiting, running (with time), done, failed. */
export function CellStatusLabel({ item, status, stuck, paused }: CellStatusLabelProps) {
  const running = status?.status === "running";
  const elapsed = useElapsedSeconds(running ? status.startedAt : undefined);
  if (stuck) {
    return (
      <span className="cell-status" data-tone="error">
        Running (or about to) when the sandbox stopped answering
      </span>
    );
  }
  if (item.edited) {
    return (
      <span className="cell-status" data-tone="edited">
        Edited · Shift+Enter to run
      </span>
    );
  }
  if (paused) return <span className="cell-status">Not run</span>;
  if (!status) return <span className="cell-status" />;
  switch (status.status) {
    case "pending":
      return (
        <span className="cell-status">
          {status.waitingOn?.length ? `Waiting for ${status.waitingOn.join(", ")}…` : "Queued…"}
        </span>
      );
    case "running":
      return (
        <output className="cell-status" data-tone="running">
          Running{elapsed >= 1 ? ` · ${elapsed} s` : "…"}
        </output>
      );
    case "done":
      return (
        <span className="cell-status" data-tone="done">
          ✓ Ran{status.tookMs !== undefined ? ` in ${formatDuration(status.tookMs)}` : ""}
        </span>
      );
    case "error":
      if (isNotAttempted(status)) {
        return <span className="cell-status">○ Exercise: replace todo() with your code</span>;
      }
      return (
        <span className="cell-status" data-tone="error" title={status.error?.message}>
          ✗ {status.error?.name ?? "Error"}
        </span>
      );
    case "blocked":
      return (
        <span className="cell-status" data-tone="blocked">
          Blocked: {status.waitingOn?.join(", ") || "an input"} failed
        </span>
      );
  }
}

/** A lesson's exercise still holding its `todo()` placeholder: not a failure, a task. */
export function isNotAttempted(status: RunStatus | undefined): boolean {
  return status?.status === "error" && status.error?.name === "NotAttempted";
}

function useElapsedSeconds(since: number | undefined): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (since === undefined) return;
    setNow(performance.now());
    const timer = window.setInterval(() => setNow(performance.now()), 500);
    return () => window.clearInterval(timer);
  }, [since]);
  return since === undefined ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
