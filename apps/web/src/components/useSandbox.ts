"use client";

import { type RefObject, useEffect, useState } from "react";
import { isPong, type SandboxCapabilities, type ShellToSandbox } from "@/sandbox/protocol";

export type SandboxState =
  | { readonly status: "starting" }
  | { readonly status: "ready"; readonly capabilities: SandboxCapabilities }
  | { readonly status: "unresponsive" };

const ANSWER_WITHIN_MS = 5000;

/**
 * Puts the sandbox iframe into `host` (made here, after hydration, so no load event is missed;
 * restarting the sandbox will mean making a new one), pings it and reports what it can use.
 * Only messages from that iframe's window, from an opaque origin ("null"), shaped as a pong
 * with our id, count.
 */
export function useSandbox(host: RefObject<HTMLElement | null>): SandboxState {
  const [state, setState] = useState<SandboxState>({ status: "starting" });
  useEffect(() => {
    const container = host.current;
    if (!container) return;
    const iframe = document.createElement("iframe");
    iframe.src = "/sandbox";
    // Scripts, but an opaque origin: no cookies, no storage, no same-origin API calls.
    iframe.setAttribute("sandbox", "allow-scripts");
    // Cross-origin isolation (SharedArrayBuffer for WebAssembly threads) and WebGPU must be
    // delegated to a cross-origin frame explicitly.
    iframe.allow = "cross-origin-isolated; gpu";
    iframe.title = "Notebook sandbox";
    iframe.className = "sandbox-frame";
    const id = crypto.randomUUID();
    let timer: number | undefined;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== iframe.contentWindow || event.origin !== "null") return;
      if (!isPong(event.data) || event.data.id !== id) return;
      window.clearTimeout(timer);
      const { crossOriginIsolated, sharedArrayBuffer, webgpu } = event.data;
      setState({
        status: "ready",
        capabilities: { crossOriginIsolated, sharedArrayBuffer, webgpu },
      });
    };
    const ping = () => {
      const message: ShellToSandbox = { type: "ping", id };
      // The sandbox's origin is opaque, so "*" is the only target that reaches it.
      iframe.contentWindow?.postMessage(message, "*");
      timer = window.setTimeout(() => setState({ status: "unresponsive" }), ANSWER_WITHIN_MS);
    };
    window.addEventListener("message", onMessage);
    iframe.addEventListener("load", ping, { once: true });
    container.append(iframe);
    return () => {
      window.removeEventListener("message", onMessage);
      window.clearTimeout(timer);
      iframe.remove();
    };
  }, [host]);
  return state;
}
