"use client";

import { useEffect, useRef } from "react";
import type { ModelConsent } from "./useModelRequests";

/** Asks the viewer before a notebook saves a model to their Models (Escape denies). */
export function ModelConsentDialog({ consent }: { readonly consent: ModelConsent | null }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const allow = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (consent && !element.open) {
      element.showModal();
      allow.current?.focus(); // the answer, not the Models link, takes the focus
    }
    if (!consent && element.open) element.close();
  }, [consent]);
  return (
    <dialog
      ref={dialog}
      className="model-consent"
      aria-label="Save a model?"
      onCancel={(event) => {
        event.preventDefault();
        consent?.deny();
      }}
    >
      {consent && (
        <>
          <p>
            This notebook wants to save the model “{consent.name}” ({consent.size}) to your{" "}
            <a href="/models" target="_blank" rel="noopener">
              Models
            </a>
            .
          </p>
          <p className="hint">
            A model of the same name is replaced (its version goes up). Allowing lets this notebook
            save models until you leave the page.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={consent.allow} ref={allow}>
              Allow
            </button>
            <button type="button" className="button secondary" onClick={consent.deny}>
              Deny
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
