"use client";

import { api } from "@/lib/api-client";
import { ApiButton } from "../ApiButton";

export function SignOutButton() {
  return (
    <ApiButton
      label="Sign out"
      busyLabel="Signing out…"
      className="button secondary"
      navigates
      action={async () => {
        await api.auth.signOut.mutate();
        window.location.assign("/");
      }}
    />
  );
}
