"use client";

import { useRouter } from "next/navigation";
import { api } from "@/lib/api-client";
import { ApiButton } from "./ApiButton";

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
  return (
    <ApiButton
      label={label}
      busyLabel="Creating…"
      className={`button ${variant}`}
      navigates
      action={async () => {
        const { id } = await api.notebooks.create.mutate(
          lesson ? { lesson } : template ? { template } : undefined,
        );
        router.push(`/n/${id}`);
      }}
    />
  );
}
