"use client";

import { useRouter } from "next/navigation";
import { api } from "@/lib/api-client";
import { ApiButton } from "./ApiButton";

/** Copies a shared notebook into the viewer's own notebooks and opens the copy. */
export function ForkButton({ shareId }: { readonly shareId: string }) {
  const router = useRouter();
  return (
    <ApiButton
      label="Fork to edit"
      busyLabel="Forking…"
      className="button primary"
      navigates
      action={async () => {
        const { id } = await api.notebooks.fork.mutate({ shareId });
        router.push(`/n/${id}`);
      }}
    />
  );
}
