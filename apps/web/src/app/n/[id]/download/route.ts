import { exportIpynb, NotebookParseError, parseNotebook } from "@gradbook/notebook";
import { contentDisposition, downloadFileName } from "@/lib/download-name";
import type { NotebookDetail } from "@/server/api/routers/notebooks";
import { apiErrorCode, serverApi } from "@/server/api/server-caller";

/**
 * `GET /n/<id>/download?format=md|ipynb`: the owner's notebook as a file. Markdown is the text
 * exactly as stored (a lesson file downloads byte for byte as it was imported); .ipynb is made
 * from it.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const format = new URL(request.url).searchParams.get("format") ?? "md";
  if (format !== "md" && format !== "ipynb") {
    return refusal(400, `Unknown format "${format}": ask for format=md or format=ipynb.`);
  }
  let notebook: NotebookDetail;
  try {
    notebook = await (await serverApi()).notebooks.get({ id: (await params).id });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") return refusal(404, "No such notebook.");
    if (code === "FORBIDDEN") {
      return refusal(
        403,
        "Only this notebook's owner can download it: fork it to get your own copy.",
      );
    }
    throw error;
  }
  let body = notebook.content;
  if (format === "ipynb") {
    try {
      body = exportIpynb(parseNotebook(notebook.content));
    } catch (error) {
      if (!(error instanceof NotebookParseError)) throw error;
      return refusal(
        422,
        `This notebook's text could not be read (${error.message}): download it as .md.`,
      );
    }
  }
  return new Response(body, {
    headers: {
      "content-type":
        format === "md"
          ? "text/markdown; charset=utf-8"
          : "application/x-ipynb+json; charset=utf-8",
      "content-disposition": contentDisposition(downloadFileName(notebook.title, format)),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

function refusal(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
