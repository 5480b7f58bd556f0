/**
 * The file a notebook downloads as: its title, made safe for every file system, and the
 * Content-Disposition header that names it (RFC 6266: an ASCII fallback and the UTF-8 name).
 */

export type DownloadFormat = "md" | "ipynb";

export function downloadFileName(title: string, format: DownloadFormat): string {
  const base = title
    .normalize("NFC")
    // Characters Windows, macOS or Linux refuse in names, and control characters.
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "")
    .slice(0, 100)
    .trim();
  return `${base || "notebook"}.${format}`;
}

export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
