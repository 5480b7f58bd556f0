"use client";

import { useRouter } from "next/navigation";
import { api } from "@/lib/api-client";
import { ApiButton } from "./ApiButton";

export function DeleteNotebookButton({
  id,
  title,
}: {
  readonly id: string;
  readonly title: string;
}) {
  const router = useRouter();
  return (
    <ApiButton
      label="Delete"
      className="button quiet danger"
      confirm={`Delete “${title}” and its history? This cannot be undone.`}
      navigates
      action={async () => {
        await api.notebooks.delete.mutate({ id });
        router.push("/notebooks");
        router.refresh();
      }}
    />
  );
}
