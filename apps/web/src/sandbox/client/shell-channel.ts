import {
  parseShellMessage,
  type SandboxToShell,
  type ShellToSandbox,
  type ShortcutAction,
} from "../protocol";

/**
 * The sandbox's side of the postMessage channel. It listens only to its parent window, from
 * the app's origin (this document's URL origin: the document itself has an opaque origin), and
 * only to messages that parse as the protocol; it posts only to that origin.
 */
export class ShellChannel {
  private readonly parentOrigin = location.origin;

  /** `transfer`: buffers handed over rather than copied (a saved model's bytes). */
  post(message: SandboxToShell, transfer: Transferable[] = []): void {
    window.parent.postMessage(message, this.parentOrigin, transfer);
  }

  listen(handle: (message: ShellToSandbox) => void): void {
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent || event.origin !== this.parentOrigin) return;
      const message = parseShellMessage(event.data);
      if (message) handle(message);
    });
  }

  /**
   * Shortcuts pressed while focus is in here (say, on a slider) still reach the shell, which
   * owns them; Ctrl/Cmd+S would otherwise open the browser's "save page" dialog.
   */
  forwardShortcuts(): void {
    window.addEventListener("keydown", (event) => {
      const action = shortcutOf(event);
      if (!action) return;
      event.preventDefault();
      this.post({ type: "shortcut", action });
    });
  }
}

function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  if (event.key.toLowerCase() === "s" && !event.shiftKey) return "save";
  if (event.key === "Enter" && event.shiftKey) return "runAll";
  if (event.key === ".") return "interrupt";
  return null;
}
