import "katex/dist/katex.min.css";
import type { StaticCell } from "@/server/markdown";

/**
 * A notebook's cells as the server renders them: prose as HTML (sanitized, see markdown.ts),
 * code as text. This is what a reader sees at once, before any JavaScript runs.
 */
export function StaticCells({ cells }: { readonly cells: readonly StaticCell[] }) {
  return (
    <div className="cells">
      {cells.map((cell) =>
        cell.type === "markdown" ? (
          <div
            key={cell.id}
            className="cell prose"
            data-cell-id={cell.id}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized in server/markdown.ts (raw HTML escaped, link schemes checked)
            dangerouslySetInnerHTML={{ __html: cell.html }}
          />
        ) : cell.hidden ? null : (
          <pre key={cell.id} className="cell code-cell" data-cell-id={cell.id}>
            <code>{cell.source}</code>
          </pre>
        ),
      )}
    </div>
  );
}
