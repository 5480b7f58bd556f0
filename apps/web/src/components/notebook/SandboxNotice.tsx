"use client";

import type { SandboxSession } from "./useSandboxSession";

/**
 * Says when the sandbox is in trouble and offers a restart. After a hang the new sandbox shows
 * the notebook without running it, so the cell that looped can be fixed first.
 */
export function SandboxNotice({
  session,
  onRunAll,
}: {
  readonly session: SandboxSession;
  readonly onRunAll: () => void;
}) {
  const { connection, loaded, stuck } = session;
  if (connection.status === "hung") {
    return (
      <div className="notice-bar warn" role="alert" data-notice="hung">
        <span>
          <strong>The sandbox stopped answering.</strong> A cell is probably stuck in an endless
          loop{stuck.size ? " (marked in red below)" : ""}. Your edits are safe here.
        </span>
        <button type="button" className="button primary" onClick={() => session.restart(false)}>
          Restart the sandbox
        </button>
      </div>
    );
  }
  if (connection.status === "failed") {
    return (
      <div className="notice-bar warn" role="alert" data-notice="failed">
        <span>
          The sandbox that runs this notebook did not start.
          {connection.afterRestart &&
            " Chromium may have placed it in the process of the stuck one, which stays alive while other Gradbook tabs are open: close them, then try again."}
        </span>
        <button type="button" className="button primary" onClick={() => session.restart(true)}>
          Try again
        </button>
      </div>
    );
  }
  if (loaded?.state === "paused") {
    return (
      <output className="notice-bar" data-notice="paused">
        <span>
          The sandbox restarted and nothing has run yet.
          {stuck.size ? " Fix the cell that looped, then run the notebook." : ""}
        </span>
        <button type="button" className="button primary" onClick={onRunAll}>
          Run all
        </button>
      </output>
    );
  }
  return null;
}
