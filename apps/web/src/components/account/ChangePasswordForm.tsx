"use client";

import { type FormEvent, useState } from "react";
import { api, messageOf } from "@/lib/api-client";

/** Changes the password; the server signs out every other browser. */
export function ChangePasswordForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const current = String(form.get("current") ?? "");
    const next = String(form.get("next") ?? "");
    if (next !== String(form.get("repeat") ?? "")) {
      setError("The two new passwords differ: type the same one twice.");
      return;
    }
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api.auth.changePassword.mutate({ current, next });
      formElement.reset();
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>Current password</span>
        <input name="current" type="password" autoComplete="current-password" required />
      </label>
      <label className="field">
        <span>New password</span>
        <input
          name="next"
          type="password"
          autoComplete="new-password"
          minLength={10}
          maxLength={256}
          required
        />
      </label>
      <label className="field">
        <span>New password, again</span>
        <input name="repeat" type="password" autoComplete="new-password" required />
      </label>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {done && (
        <output className="hint">
          Password changed. Every other browser signed in to this account is now signed out.
        </output>
      )}
      <div className="form-actions">
        <button type="submit" className="button secondary" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
