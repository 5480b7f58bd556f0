"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, messageOf } from "@/lib/api-client";

export function DeleteNotebookButton({
  id,
  title,
}: {
  readonly id: string;
  readonly title: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm(`Delete “${title}” and its history? This cannot be undone.`)) return;
    try {
      await api.notebooks.delete.mutate({ id });
      router.push("/notebooks");
      router.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <span className="action">
      <button type="button" className="button quiet danger" onClick={remove}>
        Delete
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
