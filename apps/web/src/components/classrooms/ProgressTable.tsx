"use client";

import { Fragment, useEffect, useState } from "react";
import { api, messageOf } from "@/lib/api-client";
import type { ProgressTable as Table } from "@/server/classrooms/progress-table";

const REFRESH_MS = 5_000;

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";

/**
 * Students × assignments: exercises passed of total, "late" when a pass came after the due date;
 * a student's row opens to each exercise's record. Refreshed every few seconds.
 */
export function ProgressTable({ id, initial }: { readonly id: string; readonly initial: Table }) {
  const [table, setTable] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const next = await api.classrooms.progress.query({ id });
        if (!stopped) {
          setTable(next);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(`Not refreshed: ${messageOf(e)}`);
      }
    };
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [id]);

  return (
    <section aria-label="Progress">
      <h2>Progress</h2>
      <p>
        <a className="button secondary" href={`/api/classrooms/${id}/grades.csv`} download>
          Download grades (CSV)
        </a>
      </p>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {table.students.length === 0 || table.assignments.length === 0 ? (
        <p className="meta">
          {table.students.length === 0
            ? "No students yet: give them the join code."
            : "Nothing published yet."}
        </p>
      ) : (
        <table className="progress-table">
          <thead>
            <tr>
              <th scope="col">Student</th>
              {table.assignments.map((a) => (
                <th scope="col" key={a.id}>
                  {a.title}
                  {a.graded && " (graded)"}
                  {a.dueAt && <span className="meta"> due {when(a.dueAt)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.students.map((student) => (
              <Fragment key={student.userId}>
                <tr data-student={student.email}>
                  <th scope="row">
                    <button
                      type="button"
                      className="button quiet small"
                      aria-expanded={open === student.userId}
                      onClick={() => setOpen(open === student.userId ? null : student.userId)}
                    >
                      {student.name || student.email}
                    </button>
                  </th>
                  {table.assignments.map((a) => {
                    const work = student.work[a.id];
                    return (
                      <td key={a.id} data-assignment={a.title}>
                        {work.notebookId === null ? (
                          <span className="meta">not started</span>
                        ) : (
                          `${work.passed}/${work.total}`
                        )}
                        {work.late && <span className="late-mark"> late</span>}
                      </td>
                    );
                  })}
                </tr>
                {open === student.userId && (
                  <tr className="progress-detail">
                    <td colSpan={table.assignments.length + 1}>
                      {table.assignments.map((a) => (
                        <table
                          key={a.id}
                          aria-label={`${student.name || student.email}: ${a.title}`}
                        >
                          <caption>{a.title}</caption>
                          <thead>
                            <tr>
                              <th>Exercise</th>
                              <th>Status</th>
                              <th>Attempts</th>
                              <th>Hints</th>
                              <th>Solution shown</th>
                              <th>Passed</th>
                              <th>Last change</th>
                            </tr>
                          </thead>
                          <tbody>
                            {student.work[a.id].exercises.map((e) => (
                              <tr key={e.exercise}>
                                <td>{e.exercise}</td>
                                <td title={e.message ?? ""}>
                                  {e.status}
                                  {e.checkedBy === "server" && " (server)"}
                                </td>
                                <td>{e.attempts}</td>
                                <td>{e.hintsShown}</td>
                                <td>{e.solutionShown ? "yes" : "no"}</td>
                                <td>{when(e.passedAt)}</td>
                                <td>{e.attempts || e.hintsShown ? when(e.updatedAt) : ""}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      ))}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
