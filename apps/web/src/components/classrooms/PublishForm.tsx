"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { api, messageOf } from "@/lib/api-client";
import { runReferenceSolutions } from "./reference-run";

export interface PublishSource {
  /** `lesson:<slug>` or `notebook:<id>`. */
  readonly value: string;
  readonly title: string;
}

/**
 * Publishes a built-in lesson or one of the instructor's notebooks. Graded work first runs the
 * reference solutions here, in a sandbox on this page, to compute the expected answers the
 * server will check students' answers against.
 */
export function PublishForm({
  classroomId,
  lessons,
  notebooks,
}: {
  readonly classroomId: string;
  readonly lessons: readonly PublishSource[];
  readonly notebooks: readonly PublishSource[];
}) {
  const router = useRouter();
  const [source, setSource] = useState(lessons[0]?.value ?? notebooks[0]?.value ?? "");
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const [graded, setGraded] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const sandboxHost = useRef<HTMLDivElement>(null);
  const all = [...lessons, ...notebooks];
  const defaultTitle = all.find((s) => s.value === source)?.title ?? "";

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      const [kind, ref] = [
        source.slice(0, source.indexOf(":")),
        source.slice(source.indexOf(":") + 1),
      ];
      const from = kind === "lesson" ? { lesson: ref } : { notebookId: ref };
      let expectations: Record<string, unknown> | undefined;
      if (graded) {
        setBusy("Running the reference solutions…");
        const content =
          kind === "lesson"
            ? (await api.lessons.get.query({ slug: ref })).content
            : (await api.notebooks.get.query({ id: ref })).content;
        const host = sandboxHost.current;
        if (!host) throw new Error("the page is not ready yet");
        const { answers, problems } = await runReferenceSolutions(host, content);
        if (problems.length) {
          throw new Error(
            `Not published: ${problems.map((p) => `exercise "${p.exercise}": ${p.message}`).join("; ")}`,
          );
        }
        expectations = answers;
      }
      setBusy("Publishing…");
      const dueAt = due ? new Date(due).toISOString() : null;
      await api.assignments.publish.mutate({
        classroomId,
        title: title.trim() || defaultTitle,
        source: from,
        dueAt,
        graded,
        expectations,
      });
      setDone(`Published “${title.trim() || defaultTitle}”.`);
      setTitle("");
      router.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(null);
  };

  return (
    <section aria-label="Publish">
      <h2>Publish a lesson</h2>
      <form className="publish-form" onSubmit={publish}>
        <label>
          Lesson or notebook{" "}
          <select value={source} onChange={(e) => setSource(e.target.value)} required>
            <optgroup label="Course lessons">
              {lessons.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.title}
                </option>
              ))}
            </optgroup>
            {notebooks.length > 0 && (
              <optgroup label="My notebooks">
                {notebooks.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.title}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label>
          Title{" "}
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={defaultTitle}
          />
        </label>
        <label>
          Due date{" "}
          <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={graded} onChange={(e) => setGraded(e.target.checked)} />{" "}
          Graded (answers checked on the server; students get no solutions or checks)
        </label>
        <button type="submit" className="button primary" disabled={busy !== null || !source}>
          {busy ?? "Publish"}
        </button>
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
        {done && <output className="meta">{done}</output>}
      </form>
      {/* The reference run's sandbox: on screen (hidden frames are throttled), but small. */}
      <div ref={sandboxHost} className="reference-run-host" hidden={busy === null} />
    </section>
  );
}
