"use client";

import { type ReactNode, useRef } from "react";
import { type SandboxState, useSandbox } from "./useSandbox";

/**
 * Where a notebook comes alive. Today it shows the server-rendered cells (`children`) and
 * starts the sandbox. The follow-up loads the runtime lazily and, once it is ready, replaces the
 * static cells: Monaco editors and the toolbar (Run all, Interrupt, Restart, save with
 * `saveTarget.version`) in this shell, cells run by `NotebookRuntime` inside the sandbox
 * iframe, the two talking only through sandbox/protocol.ts. So a page shows its prose at once
 * and its editors soon after.
 */
export interface NotebookViewProps {
  /** The notebook's Markdown: what the runtime will load into the sandbox. */
  readonly content: string;
  /** Where edits are saved (with the version they were made on), or null: fork to edit. */
  readonly saveTarget: { readonly id: string; readonly version: number } | null;
  /**
   * `own`: the viewer's notebook, runs at once. `lesson`: ours, runs at once.
   * `shared`: someone else's code, shown with its outputs but run only when the viewer asks.
   */
  readonly trust: "own" | "lesson" | "shared";
  /** The static cells, shown until the runtime is ready. */
  readonly children: ReactNode;
}

export function NotebookView({ saveTarget, trust, children }: NotebookViewProps) {
  const sandboxHost = useRef<HTMLDivElement>(null);
  const sandbox = useSandbox(sandboxHost);
  return (
    <section
      className="notebook-view"
      aria-label="Notebook"
      data-trust={trust}
      data-editable={saveTarget !== null}
    >
      <div className="runtime-bar">
        <span className="runtime-note">
          {trust === "shared"
            ? "Read-only. Running shared code will ask you first."
            : "Read-only preview: live cells arrive with the runtime."}
        </span>
        <SandboxBadge state={sandbox} />
      </div>
      {children}
      <div className="runtime-mount" data-runtime-mount>
        The live runtime mounts here: edit a cell, press Shift+Enter, and watch its dependants
        update.
      </div>
      <div ref={sandboxHost} hidden />
    </section>
  );
}

function SandboxBadge({ state }: { readonly state: SandboxState }) {
  if (state.status === "starting") {
    return (
      <span className="badge" data-sandbox="starting">
        Sandbox starting…
      </span>
    );
  }
  if (state.status === "unresponsive") {
    return (
      <span className="badge warn" data-sandbox="unresponsive">
        Sandbox not answering
      </span>
    );
  }
  const { crossOriginIsolated, webgpu } = state.capabilities;
  const features = [
    crossOriginIsolated ? "threads" : "no threads",
    webgpu ? "WebGPU" : "no WebGPU",
  ].join(" · ");
  return (
    <span
      className="badge ok"
      data-sandbox="ready"
      data-isolated={crossOriginIsolated}
      title="Cells run in an isolated sandbox with no access to your account"
    >
      Sandbox ready · {features}
    </span>
  );
}
