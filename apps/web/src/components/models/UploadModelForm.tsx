"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { modelNameProblem } from "@/lib/model-name";

/** A name from a file name: "digits mlp (2).safetensors" -> "digits mlp 2". */
function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\.safetensors$/i, "")
    .replace(/[^A-Za-z0-9 _.-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
}

/**
 * Uploads a .safetensors file to the viewer's models. The server checks it (size, structure) and
 * its message, if it refuses, is shown as is: it says what is wrong.
 */
export function UploadModelForm({ limit }: { readonly limit: string }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const problem = modelNameProblem(name);
    if (problem) return setStatus({ error: true, text: problem });
    setBusy(true);
    setStatus(null);
    try {
      const response = await fetch(`/api/models/${encodeURIComponent(name)}`, {
        method: "PUT",
        body: file,
        headers: { "content-type": "application/octet-stream" },
      });
      const body = (await response.json().catch(() => null)) as {
        model?: { version: number };
        error?: { message: string };
      } | null;
      if (!response.ok || !body?.model) {
        setStatus({
          error: true,
          text: body?.error?.message ?? `The server answered ${response.status}.`,
        });
        return;
      }
      setStatus({ error: false, text: `Saved “${name}” (version ${body.model.version}).` });
      router.refresh();
    } catch (error) {
      setStatus({
        error: true,
        text: `Could not reach the server (${error instanceof Error ? error.message : error}).`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="model-upload" onSubmit={upload} aria-label="Upload a model">
      <h2>Upload a model</h2>
      <p className="hint">
        A <code>.safetensors</code> file, up to {limit}. A model of the same name is replaced.
      </p>
      <label>
        File
        <input
          type="file"
          accept=".safetensors"
          onChange={(event) => {
            const chosen = event.target.files?.[0] ?? null;
            setFile(chosen);
            if (chosen) setName(nameFromFile(chosen.name));
            setStatus(null);
          }}
        />
      </label>
      <label>
        Name
        <input
          type="text"
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          placeholder="digits-mlp"
        />
      </label>
      <span className="action">
        <button type="submit" className="button primary" disabled={!file || busy}>
          {busy ? "Uploading…" : "Upload"}
        </button>
        {status && (
          <span
            role={status.error ? "alert" : "status"}
            className={status.error ? "error-text" : "hint"}
          >
            {status.text}
          </span>
        )}
      </span>
    </form>
  );
}
