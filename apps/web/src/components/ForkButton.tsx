"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, messageOf } from "@/lib/api-client";

/** Copies a shared notebook into the viewer's own notebooks and opens the copy. */
export function ForkButton({ shareId }: { readonly shareId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fork = async () => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.notebooks.fork.mutate({ shareId });
      router.push(`/n/${id}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <span className="action">
      <button type="button" className="button primary" onClick={fork} disabled={busy}>
        {busy ? "Forking…" : "Fork to edit"}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
