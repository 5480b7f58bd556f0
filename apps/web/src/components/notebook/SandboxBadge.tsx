"use client";

import type { SandboxSession } from "./useSandboxSession";

const DEVICE_NAMES: Record<string, string> = { webgpu: "WebGPU", wasm: "Wasm", js: "JS" };

/** Where cells run: the sandbox's state and the engine's device. */
export function SandboxBadge({ session }: { readonly session: SandboxSession }) {
  const { connection, loaded } = session;
  if (connection.status === "starting") {
    return (
      <span className="badge" data-sandbox="starting">
        Sandbox starting…
      </span>
    );
  }
  if (connection.status === "failed") {
    return (
      <span className="badge warn" data-sandbox="failed">
        Sandbox failed to start
      </span>
    );
  }
  if (connection.status === "hung") {
    return (
      <span className="badge warn" data-sandbox="hung">
        Sandbox not answering
      </span>
    );
  }
  const { crossOriginIsolated } = connection.capabilities;
  const running = loaded?.state === "running";
  const device = running ? (DEVICE_NAMES[loaded.device] ?? loaded.device) : null;
  const threads = loaded?.device === "wasm" && crossOriginIsolated ? " · threads" : "";
  return (
    <span
      className="badge ok"
      data-sandbox="ready"
      data-isolated={crossOriginIsolated}
      data-device={loaded?.device ?? ""}
      title={`Cells run in an isolated sandbox with no access to your account${device ? `, on ${device}${threads}` : ""}`}
    >
      {device
        ? `${device}${threads}`
        : loaded?.state === "paused"
          ? "Sandbox paused"
          : "Engine loading…"}
    </span>
  );
}
