"use client";

import { useCallback, useState } from "react";
import { messageOf } from "@/lib/api-client";
import { mayLeave, stayed } from "@/lib/leave-guard";

/**
 * A call to the API from a button or form: `busy` while it runs, and the message of its failure
 * in `error` (cleared when the next call starts). With `navigates`, the action ends by opening
 * another page: unsaved edits on this one are asked about first, and `busy` stays true after
 * success, so the control can't be used twice while the next page loads.
 */
export function useApiAction({ navigates = false }: { readonly navigates?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      if (navigates && !mayLeave()) return;
      setBusy(true);
      setError(null);
      try {
        await action();
        if (!navigates) setBusy(false);
      } catch (e) {
        if (navigates) stayed();
        setError(messageOf(e));
        setBusy(false);
      }
    },
    [navigates],
  );
  return { busy, error, run };
}
