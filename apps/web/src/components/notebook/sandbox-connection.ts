import {
  parseSandboxMessage,
  type SandboxCapabilities,
  type SandboxToShell,
  type ShellToSandbox,
} from "@/sandbox/protocol";

export type ConnectionState =
  | { readonly status: "starting" }
  | { readonly status: "ready"; readonly capabilities: SandboxCapabilities }
  /** It stopped answering pings: an endless synchronous loop, most likely. */
  | { readonly status: "hung"; readonly capabilities: SandboxCapabilities }
  /** It never said it was ready (`afterRestart`: a sandbox made to replace a stuck one). */
  | { readonly status: "failed"; readonly afterRestart: boolean };

export interface ConnectionEvents {
  /** A message from the sandbox (already checked: from our iframe, and well-formed). */
  message(message: SandboxToShell): void;
  state(state: ConnectionState): void;
}

/** How often to ping, and how long an answer may take before the sandbox counts as hung. */
const PING_EVERY_MS = 500;
const HUNG_AFTER_MS = 2_500;
const START_WITHIN_MS = 30_000;
/** The bundle is cached by then, so a restart that takes this long is stuck. */
const RESTART_WITHIN_MS = 10_000;

/**
 * The shell's side of the sandbox: the iframe (an opaque origin: `sandbox="allow-scripts"`
 * without `allow-same-origin`), the message channel to it, and a heartbeat. Messages count only
 * if they come from the current iframe's window, from an opaque origin, and parse as the
 * protocol. `restart()` throws the iframe away (and with it a renderer stuck in a loop; Chromium
 * runs sandboxed frames in their own process) and makes a new one.
 */
export class SandboxConnection {
  private iframe: HTMLIFrameElement | null = null;
  private state: ConnectionState = { status: "starting" };
  private seq = 0;
  /** The ping not answered yet, and when it was sent. */
  private waiting: { seq: number; sentAt: number } | null = null;
  private heartbeat: number | undefined;
  private startTimer: number | undefined;
  private restarts = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly events: ConnectionEvents,
  ) {
    window.addEventListener("message", this.onMessage);
    this.start();
  }

  /** `transfer`: buffers handed over rather than copied (a loaded model's bytes). */
  send(message: ShellToSandbox, transfer: Transferable[] = []): void {
    if (this.state.status === "starting" || this.state.status === "failed") return;
    // The sandbox's origin is opaque, so "*" is the only target that reaches it.
    this.iframe?.contentWindow?.postMessage(message, "*", transfer);
  }

  restart(): void {
    this.restarts++;
    this.stop();
    this.start();
  }

  dispose(): void {
    this.stop();
    window.removeEventListener("message", this.onMessage);
  }

  private start(): void {
    const iframe = document.createElement("iframe");
    iframe.src = "/sandbox";
    // Scripts, but an opaque origin: no cookies, no storage, no same-origin API calls.
    iframe.setAttribute("sandbox", "allow-scripts");
    // Cross-origin isolation (SharedArrayBuffer for wasm threads) must be delegated to a
    // cross-origin frame explicitly. (WebGPU needs no delegation.)
    iframe.allow = "cross-origin-isolated";
    iframe.title = "Notebook outputs (sandboxed)";
    iframe.className = "sandbox-frame";
    this.iframe = iframe;
    this.host.append(iframe);
    this.setState({ status: "starting" });
    const afterRestart = this.restarts > 0;
    this.startTimer = window.setTimeout(
      () => this.setState({ status: "failed", afterRestart }),
      afterRestart ? RESTART_WITHIN_MS : START_WITHIN_MS,
    );
    this.heartbeat = window.setInterval(() => this.beat(), PING_EVERY_MS);
  }

  private stop(): void {
    window.clearInterval(this.heartbeat);
    window.clearTimeout(this.startTimer);
    this.waiting = null;
    this.iframe?.remove();
    this.iframe = null;
  }

  private beat(): void {
    const { state } = this;
    if (state.status !== "ready" && state.status !== "hung") return;
    const now = performance.now();
    if (this.waiting) {
      // A hidden page's timers are throttled: judge only while the page is shown.
      if (document.visibilityState === "visible" && now - this.waiting.sentAt > HUNG_AFTER_MS) {
        if (state.status === "ready") this.setState({ ...state, status: "hung" });
      }
      return;
    }
    this.waiting = { seq: ++this.seq, sentAt: now };
    this.send({ type: "ping", seq: this.seq });
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const frame = this.iframe?.contentWindow;
    if (!frame || event.source !== frame || event.origin !== "null") return;
    const message = parseSandboxMessage(event.data);
    if (!message) return;
    if (message.type === "ready") {
      window.clearTimeout(this.startTimer);
      this.setState({ status: "ready", capabilities: message.capabilities });
    } else if (message.type === "pong") {
      if (this.waiting?.seq !== message.seq) return;
      this.waiting = null;
      const { state } = this;
      if (state.status === "hung") this.setState({ ...state, status: "ready" });
      return;
    }
    this.events.message(message);
  };

  private setState(state: ConnectionState): void {
    this.state = state;
    this.events.state(state);
  }
}
