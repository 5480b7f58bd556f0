"use client";

import { useEffect, useRef } from "react";
import type { EditorKeys } from "./CodeEditor";

/**
 * The notebook's shortcuts when focus is outside an editor (Monaco handles its own, see
 * CodeEditor; the sandbox forwards those pressed inside it). Ctrl/Cmd+S never opens the
 * browser's "save page" dialog on a notebook, even one that can't be saved.
 */
export function useNotebookShortcuts(keys: Omit<EditorKeys, "run">, showHelp: () => void): void {
  const latest = useRef({ keys, showHelp });
  latest.current = { keys, showHelp };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const { keys, showHelp } = latest.current;
      const command = event.ctrlKey || event.metaKey;
      if (command && !event.shiftKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        keys.save();
      } else if (command && event.shiftKey && event.key === "Enter") {
        event.preventDefault();
        keys.runAll();
      } else if (command && event.key === ".") {
        event.preventDefault();
        keys.interrupt();
      } else if (event.key === "?" && !command && !isTyping(event.target)) {
        event.preventDefault();
        showHelp();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable || target.closest("input, textarea, select, .monaco-editor") !== null
  );
}
