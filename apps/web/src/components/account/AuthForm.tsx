"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { api, messageOf } from "@/lib/api-client";

/**
 * Sign-in and sign-up. On success the page is reloaded at `next` (a path checked by the page), so
 * the header and every server-rendered page see the new session.
 */
export function AuthForm({
  mode,
  next,
}: {
  readonly mode: "signin" | "signup";
  readonly next: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signUp = mode === "signup";

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      if (signUp) {
        const displayName = String(form.get("displayName") ?? "");
        await api.auth.signUp.mutate({ email, password, displayName });
      } else {
        await api.auth.signIn.mutate({ email, password });
      }
      window.location.assign(next);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  const other = `${signUp ? "/signin" : "/signup"}?next=${encodeURIComponent(next)}`;
  return (
    <form className="form" onSubmit={submit}>
      {signUp && (
        <label className="field">
          <span>Your name (optional)</span>
          <input name="displayName" autoComplete="name" maxLength={80} />
        </label>
      )}
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label className="field">
        <span>Password</span>
        <input
          name="password"
          type="password"
          autoComplete={signUp ? "new-password" : "current-password"}
          minLength={signUp ? 10 : undefined}
          maxLength={256}
          required
        />
        {signUp && (
          <span className="hint">At least 10 characters. A short sentence works well.</span>
        )}
      </label>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {signUp
            ? busy
              ? "Creating your account…"
              : "Sign up"
            : busy
              ? "Signing in…"
              : "Sign in"}
        </button>
        <Link href={other}>{signUp ? "I have an account" : "Create an account"}</Link>
      </div>
    </form>
  );
}
