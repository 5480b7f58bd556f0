"use client";

import { useCallback, useState } from "react";
import { messageOf } from "@/lib/api-client";

/**
 * A call to the API from a button or form: `busy` while it runs, and the message of its failure
 * in `error` (cleared when the next call starts). With `navigates`, the action ends by opening
 * another page, so `busy` stays true after success: the control can't be used twice while the
 * next page loads.
 */
export function useApiAction({ navigates = false }: { readonly navigates?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        if (!navigates) setBusy(false);
      } catch (e) {
        setError(messageOf(e));
        setBusy(false);
      }
    },
    [navigates],
  );
  return { busy, error, run };
}
