import type { ProgressTable } from "./progress-table";

/**
 * Grades as CSV (RFC 4180: CRLF lines, fields with a quote, comma or line break quoted, quotes
 * doubled). One row per student: name, email, then per assignment passed/total and whether it
 * was done on time. A field a spreadsheet would read as a formula (starting with = + - @, or a
 * tab or carriage return) gets a leading ' so that it stays text.
 */
export function gradesCsv(table: ProgressTable): string {
  const header = ["name", "email"];
  for (const assignment of table.assignments) {
    header.push(`${assignment.title} (passed/total)`, `${assignment.title} (on time)`);
  }
  const rows = table.students.map((student) => {
    const row = [student.name, student.email];
    for (const assignment of table.assignments) {
      const work = student.work[assignment.id];
      row.push(`${work?.passed ?? 0}/${work?.total ?? assignment.total}`, work?.onTime ?? "");
    }
    return row;
  });
  const lines = [header, ...rows].map((row) => row.map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
