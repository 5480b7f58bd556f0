"use client";

import { useState } from "react";
import { api, messageOf } from "@/lib/api-client";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.auth.signOut.mutate();
      window.location.assign("/");
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <span className="action">
      <button type="button" className="button secondary" onClick={signOut} disabled={busy}>
        {busy ? "Signing out…" : "Sign out"}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
