"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api-client";
import { useApiAction } from "./useApiAction";

type Visibility = "private" | "link" | "public";
interface ShareLink {
  readonly id: string;
  readonly visibility: Visibility;
}

const VISIBILITY_LABELS: Record<Visibility, string> = {
  private: "Off (only you)",
  link: "Anyone with the link",
  public: "Public",
};

/** The owner's share links for one notebook: create, copy, change who can open, delete. */
export function SharePanel({
  notebookId,
  initial,
}: {
  readonly notebookId: string;
  readonly initial: readonly ShareLink[];
}) {
  const [links, setLinks] = useState<readonly ShareLink[]>(initial);
  const { error, run } = useApiAction();
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);

  const create = () =>
    run(async () => {
      const link = await api.shares.create.mutate({ notebookId, visibility: "link" });
      setLinks((all) => [...all, link]);
    });
  const setVisibility = (id: string, visibility: Visibility) =>
    run(async () => {
      const link = await api.shares.setVisibility.mutate({ id, visibility });
      setLinks((all) => all.map((l) => (l.id === id ? link : l)));
    });
  const remove = (id: string) =>
    run(async () => {
      await api.shares.delete.mutate({ id });
      setLinks((all) => all.filter((l) => l.id !== id));
    });

  return (
    <details className="share-panel">
      <summary className="button secondary">Share</summary>
      <div className="share-body">
        <p className="hint">
          People with a link can read this notebook and fork their own copy. They can never change
          yours.
        </p>
        {links.map((link) => (
          <div className="share-link" key={link.id}>
            <input
              readOnly
              aria-label="Share link"
              value={`${origin}/s/${link.id}`}
              onFocus={(e) => e.currentTarget.select()}
            />
            <select
              aria-label="Who can open this link"
              value={link.visibility}
              onChange={(e) => setVisibility(link.id, e.currentTarget.value as Visibility)}
            >
              {Object.entries(VISIBILITY_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button quiet"
              onClick={() => run(() => navigator.clipboard.writeText(`${origin}/s/${link.id}`))}
            >
              Copy
            </button>
            <button type="button" className="button quiet danger" onClick={() => remove(link.id)}>
              Delete
            </button>
          </div>
        ))}
        <button type="button" className="button secondary" onClick={create}>
          {links.length === 0 ? "Create a share link" : "Create another link"}
        </button>
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
