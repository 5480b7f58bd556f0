"use client";

import { useRouter } from "next/navigation";
import { api } from "@/lib/api-client";
import { useApiAction } from "../useApiAction";

/** Not an ApiButton: it sits in the model card's own `.action` row, beside Download. */
export function DeleteModelButton({ name }: { readonly name: string }) {
  const router = useRouter();
  const { error, run } = useApiAction();
  const remove = () => {
    if (!window.confirm(`Delete the model “${name}”? This cannot be undone.`)) return;
    void run(async () => {
      await api.models.delete.mutate({ name });
      router.refresh();
    });
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
