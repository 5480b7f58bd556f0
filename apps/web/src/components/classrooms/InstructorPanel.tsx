"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/lib/api-client";
import { useApiAction } from "../useApiAction";

/** The join code, and "Renew code" (the old code stops working; members stay). */
export function JoinCodePanel({
  id,
  joinCode,
}: {
  readonly id: string;
  readonly joinCode: string;
}) {
  const [code, setCode] = useState(joinCode);
  const { busy, error, run } = useApiAction();
  const renew = () =>
    run(async () => setCode((await api.classrooms.renewCode.mutate({ id })).joinCode));
  return (
    <p className="join-code-panel">
      Join code:{" "}
      <code className="join-code" data-testid="join-code">
        {code}
      </code>{" "}
      <button type="button" className="button secondary small" onClick={renew} disabled={busy}>
        {busy ? "Renewing…" : "Renew code"}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </p>
  );
}

export interface MemberView {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: "instructor" | "student";
}

export function MembersList({
  id,
  members,
}: {
  readonly id: string;
  readonly members: readonly MemberView[];
}) {
  const router = useRouter();
  const { error, run } = useApiAction();
  const remove = (member: MemberView) => {
    if (!window.confirm(`Remove ${member.name || member.email} from this classroom?`)) return;
    void run(async () => {
      await api.classrooms.removeMember.mutate({ id, userId: member.userId });
      router.refresh();
    });
  };
  return (
    <section aria-label="Members">
      <h2>Members ({members.length})</h2>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <table className="members">
        <tbody>
          {members.map((member) => (
            <tr key={member.userId}>
              <td>{member.name}</td>
              <td>{member.email}</td>
              <td>{member.role}</td>
              <td>
                <button
                  type="button"
                  className="button quiet small"
                  aria-label={`Remove ${member.name || member.email}`}
                  onClick={() => remove(member)}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
