"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, messageOf } from "@/lib/api-client";

export function DeleteModelButton({ name }: { readonly name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm(`Delete the model “${name}”? This cannot be undone.`)) return;
    try {
      await api.models.delete.mutate({ name });
      router.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" className="button quiet danger small" onClick={remove}>
        Delete
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </>
  );
}
