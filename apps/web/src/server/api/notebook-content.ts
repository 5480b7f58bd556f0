import { NotebookParseError, parseNotebook } from "@gradbook/notebook";
import { TRPCError } from "@trpc/server";
import { formatBytes, type Limits } from "../limits";

const MAX_TITLE = 200;
export const UNTITLED = "Untitled notebook";

export const NEW_NOTEBOOK = `---
title: ${UNTITLED}
---

Write prose in Markdown and code in \`js\` cells. A cell re-runs when a value it uses changes.

\`\`\`js
const x = torch.randn(3, 4)
\`\`\`
`;

/**
 * Checks notebook text before anything is stored, and gives the title it is listed under: the
 * front matter's `title`, else its first heading.
 */
export function checkedNotebook(content: string, limits: Limits): { title: string } {
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > limits.notebookBytes) {
    throw new TRPCError({
      code: "PAYLOAD_TOO_LARGE",
      message: `This notebook is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.notebookBytes)}. Move large data out of the notebook.`,
    });
  }
  try {
    return { title: titleOf(content) };
  } catch (error) {
    if (!(error instanceof NotebookParseError)) throw error;
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The notebook could not be read: ${error.message}`,
      cause: error,
    });
  }
}

function titleOf(content: string): string {
  const notebook = parseNotebook(content);
  const declared = notebook.frontMatter.title?.trim();
  const heading = notebook.cells
    .filter((cell) => cell.type === "markdown")
    .map((cell) => /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(cell.source)?.[1])
    .find((text) => text !== undefined);
  const title = declared || heading?.trim() || UNTITLED;
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}
