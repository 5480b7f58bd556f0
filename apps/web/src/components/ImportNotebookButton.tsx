"use client";

import { useRouter } from "next/navigation";
import type { ChangeEvent } from "react";
import { api } from "@/lib/api-client";
import { readNotebookFile, sizeProblem } from "@/lib/notebook-import";
import { DEFAULT_LIMITS } from "@/server/limits";
import { useApiAction } from "./useApiAction";

/**
 * "Import": a notebook from a .md (kept byte for byte) or .ipynb file, made into a new notebook
 * of the viewer's. A file that can't be read creates nothing and says why.
 */
export function ImportNotebookButton() {
  const router = useRouter();
  const { busy, error, run } = useApiAction({ navigates: true });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    await run(async () => {
      const limit = DEFAULT_LIMITS.notebookBytes;
      // A huge file is refused before it is read.
      const tooBig = sizeProblem(file.name, file.size, limit);
      if (tooBig) throw new Error(tooBig);
      const imported = readNotebookFile(file.name, new Uint8Array(await file.arrayBuffer()), limit);
      if (!imported.ok) throw new Error(imported.error);
      const { id } = await api.notebooks.create.mutate({ content: imported.content });
      router.push(`/n/${id}`);
    });
    input.value = ""; // choosing the same file again is a new attempt
  };
  return (
    <span className="action">
      <label className={`button secondary${busy ? " disabled" : ""}`}>
        {busy ? "Importing…" : "Import .md or .ipynb"}
        <input
          type="file"
          className="visually-hidden"
          accept=".md,.markdown,.ipynb,text/markdown,application/x-ipynb+json"
          aria-label="Import a notebook file (.md or .ipynb)"
          onChange={onFile}
          disabled={busy}
        />
      </label>
      {error && (
        <span role="alert" className="error-text" data-import-error>
          {error}
        </span>
      )}
    </span>
  );
}
