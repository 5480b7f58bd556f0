"use client";

import { useState } from "react";
import { api } from "@/lib/api-client";
import { useApiAction } from "../useApiAction";

type Role = "admin" | "instructor" | "student";
const ROLES: readonly Role[] = ["student", "instructor", "admin"];

/** One account's role on the admin page; a refused change (the last admin) keeps the old role. */
export function RoleSelect({
  userId,
  role,
  label,
}: {
  readonly userId: string;
  readonly role: Role;
  readonly label: string;
}) {
  const [value, setValue] = useState<Role>(role);
  const { busy, error, run } = useApiAction();
  const change = (next: Role) =>
    run(async () => setValue((await api.admin.setRole.mutate({ userId, role: next })).role));
  return (
    <span className="action">
      <select
        aria-label={`Role of ${label}`}
        value={value}
        disabled={busy}
        onChange={(e) => change(e.currentTarget.value as Role)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
