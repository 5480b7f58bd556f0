/**
 * Download the saved notebook: its Markdown exactly as stored, or as a Jupyter notebook. Plain
 * links to /n/<id>/download, so they work before (and without) the editor's scripts.
 */
export function DownloadLinks({ id }: { readonly id: string }) {
  const href = (format: "md" | "ipynb") => `/n/${encodeURIComponent(id)}/download?format=${format}`;
  return (
    <span className="download-links">
      <a
        className="button secondary small"
        href={href("md")}
        download
        title="The saved version's Markdown, byte for byte (save first to include your edits)"
      >
        Download .md
      </a>
      <a
        className="button secondary small"
        href={href("ipynb")}
        download
        title="The saved version as a Jupyter notebook (save first to include your edits)"
      >
        .ipynb
      </a>
    </span>
  );
}
