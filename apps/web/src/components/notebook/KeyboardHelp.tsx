"use client";

import { useEffect, useRef } from "react";

const SHORTCUTS: readonly [keys: string, what: string][] = [
  ["Shift+Enter", "Run the cell (Markdown: close its editor)"],
  ["Ctrl/⌘+Enter", "Run the cell"],
  ["Ctrl/⌘+Shift+Enter", "Run all cells"],
  ["Ctrl/⌘+.", "Interrupt running cells"],
  ["Ctrl/⌘+S", "Save"],
  ["Double-click text", "Edit a Markdown cell"],
  ["?", "Show this list (outside an editor)"],
];

/** The keyboard shortcuts, in a dialog. */
export function KeyboardHelp({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="keyboard-help"
      onClose={onClose}
      aria-label="Keyboard shortcuts"
    >
      <h2>Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button secondary" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
