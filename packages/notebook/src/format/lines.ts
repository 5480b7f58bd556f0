/** One line of a file, with the ending that followed it ("" for the last line of a file without one). */
export interface Line {
  readonly text: string;
  readonly eol: string;
}

/** Splits text into lines, keeping each ending so that joining them gives back the text. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const ending = /\r?\n/g;
  let start = 0;
  for (let match = ending.exec(text); match !== null; match = ending.exec(text)) {
    lines.push({ text: text.slice(start, match.index), eol: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), eol: "" });
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  let text = "";
  for (const line of lines) text += line.text + line.eol;
  return text;
}

/** Lines as cell source: `\n` endings and no ending after the last line. */
export function sourceOf(lines: readonly Line[]): string {
  return lines.map((line) => line.text).join("\n");
}

export function isBlank(line: Line): boolean {
  return /^[ \t]*$/.test(line.text);
}

/** Writes `source` with the given line ending after every line, including the last. */
export function withEndings(source: string, eol: string): string {
  return source === "" ? "" : `${source.replace(/\r?\n/g, eol)}${eol}`;
}
