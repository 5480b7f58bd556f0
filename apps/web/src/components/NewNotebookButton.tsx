"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, messageOf } from "@/lib/api-client";

/** Creates a notebook (blank, from a lesson, or a new lesson from the template) and opens it. */
export function NewNotebookButton({
  lesson,
  template,
  label = "New notebook",
  variant = "primary",
}: {
  readonly lesson?: string;
  readonly template?: "lesson";
  readonly label?: string;
  readonly variant?: "primary" | "secondary";
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.notebooks.create.mutate(
        lesson ? { lesson } : template ? { template } : undefined,
      );
      router.push(`/n/${id}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <span className="action">
      <button type="button" className={`button ${variant}`} onClick={create} disabled={busy}>
        {busy ? "Creating…" : label}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
