/**
 * The messages between the app shell and the sandbox iframe (an opaque origin: it has no
 * cookies and cannot call the API). Each side checks `event.source` and the message's shape and
 * ignores anything else. The follow-up adds load/run/interrupt/output messages here.
 */

export interface PingMessage {
  readonly type: "ping";
  readonly id: string;
}

export type ShellToSandbox = PingMessage;

/** What the sandbox can use, reported in answer to a ping. */
export interface SandboxCapabilities {
  readonly crossOriginIsolated: boolean;
  readonly sharedArrayBuffer: boolean;
  readonly webgpu: boolean;
}

export interface PongMessage extends SandboxCapabilities {
  readonly type: "pong";
  readonly id: string;
}

export type SandboxToShell = PongMessage;

export function isPong(data: unknown): data is PongMessage {
  if (typeof data !== "object" || data === null) return false;
  const message = data as Record<string, unknown>;
  return (
    message.type === "pong" &&
    typeof message.id === "string" &&
    typeof message.crossOriginIsolated === "boolean" &&
    typeof message.sharedArrayBuffer === "boolean" &&
    typeof message.webgpu === "boolean"
  );
}
