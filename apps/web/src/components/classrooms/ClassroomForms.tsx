"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "@/lib/api-client";
import { ApiButton } from "../ApiButton";
import { useApiAction } from "../useApiAction";

/** A one-field form that calls the API and opens the classroom it names. */
function OneFieldForm({
  label,
  button,
  busyLabel,
  placeholder,
  submit,
}: {
  readonly label: string;
  readonly button: string;
  readonly busyLabel: string;
  readonly placeholder?: string;
  readonly submit: (value: string) => Promise<{ id: string }>;
}) {
  const router = useRouter();
  const [value, setValue] = useState("");
  const { busy, error, run } = useApiAction({ navigates: true });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { id } = await submit(value);
      router.push(`/classrooms/${id}`);
    });
  };
  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <label>
        {label}{" "}
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={placeholder}
          required
        />
      </label>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? busyLabel : button}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </form>
  );
}

export function CreateClassroomForm() {
  return (
    <OneFieldForm
      label="Classroom name"
      button="Create classroom"
      busyLabel="Creating…"
      submit={(name) => api.classrooms.create.mutate({ name })}
    />
  );
}

export function JoinClassroomForm() {
  return (
    <OneFieldForm
      label="Join code"
      button="Join"
      busyLabel="Joining…"
      placeholder="K7PD-Q2MX"
      submit={(code) => api.classrooms.join.mutate({ code })}
    />
  );
}

/** Starts (or reopens) the student's own copy of an assignment. */
export function StartAssignmentButton({
  assignmentId,
  started,
}: {
  readonly assignmentId: string;
  readonly started: boolean;
}) {
  const router = useRouter();
  return (
    <ApiButton
      label={started ? "Continue" : "Start"}
      busyLabel="Opening…"
      className="button primary"
      navigates
      action={async () => {
        const { notebookId } = await api.assignments.start.mutate({ assignmentId });
        router.push(`/n/${notebookId}`);
      }}
    />
  );
}
