import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { modelNameProblem } from "../../lib/model-name";
import { ownedNotebook, readableShare } from "../api/access";
import { type Context, createRequestContext } from "../api/context";
import { authorizeWrite } from "../api/trpc";
import type { ModelRow, NotebookRow } from "../db/schema";
import { ID_PATTERN } from "../ids";
import { log } from "../log";
import type { Services } from "../services";
import {
  CorruptModelError,
  findModel,
  ModelTooLargeError,
  modelBytesStream,
  saveModel,
  UploadInterruptedError,
} from "./store";

/**
 * The model store over HTTP. Models are raw bytes, streamed both ways, so these are plain route
 * handlers rather than tRPC (JSON): `PUT /api/models/<name>` saves (`?notebook=<id>` records the
 * notebook it came from), `GET /api/models/<name>` downloads, and
 * `GET /api/shares/<shareId>/models/<name>` loads, read-only, a model of the owner of a notebook
 * shared by link. Identity, the same-origin check and the write budget are writeProcedure's.
 * Errors are `{ error: { message } }` with the status tRPC would give; someone else's model is
 * simply not found.
 */

/** PUT /api/models/<name> */
export async function putModel(req: Request, services: Services): Promise<Response> {
  const headers = new Headers();
  const ctx = createRequestContext(services, req, headers);
  const url = new URL(req.url);
  try {
    const name = modelNameOf(url.pathname, /^\/api\/models\/([^/]+)$/);
    const ownerId = await authorizeWrite(ctx);
    const notebookId = await notebookOf(ctx, url, ownerId);
    if (!req.body) throw badRequest("The request has no body: send the model's bytes.");
    const declared = req.headers.get("content-length");
    const row = await saveModel(services.db, {
      ownerId,
      name,
      notebookId,
      body: req.body,
      limit: services.limits.modelBytes,
      declaredBytes: declared !== null && /^\d+$/.test(declared) ? Number(declared) : null,
    });
    return Response.json({ model: savedOf(row) }, { status: 200, headers });
  } catch (error) {
    // Stop reading an upload that was refused: nothing more of it is wanted.
    await req.body?.cancel().catch(() => {});
    return errorResponse(error, headers);
  }
}

/** GET /api/models/<name>: the caller's own model. */
export async function getModel(req: Request, services: Services): Promise<Response> {
  const headers = new Headers();
  const ctx = createRequestContext(services, req, headers);
  try {
    const name = modelNameOf(new URL(req.url).pathname, /^\/api\/models\/([^/]+)$/);
    const userId = await ctx.identity.current();
    const row = userId === null ? null : await findModel(services.db, userId, name);
    if (!row) throw notFound(`You have no saved model named “${name}”.`);
    return download(services, row, headers);
  } catch (error) {
    return errorResponse(error, headers);
  }
}

/** GET /api/shares/<shareId>/models/<name>: a model of the shared notebook's owner, read-only. */
export async function getSharedModel(req: Request, services: Services): Promise<Response> {
  const headers = new Headers();
  const ctx = createRequestContext(services, req, headers);
  try {
    const { pathname } = new URL(req.url);
    const match = /^\/api\/shares\/([^/]+)\/models\/[^/]+$/.exec(pathname);
    const shareId = match?.[1] ?? "";
    if (!ID_PATTERN.test(shareId)) throw notFound("This share link does not exist (any more).");
    const name = modelNameOf(pathname, /^\/api\/shares\/[^/]+\/models\/([^/]+)$/);
    const { notebook } = await readableShare(services.db, shareId, await ctx.identity.current());
    const row = await findModel(services.db, notebook.ownerId, name);
    if (!row || !sharedWith(row, notebook)) {
      throw notFound(`This shared notebook has no saved model named “${name}”.`);
    }
    return download(services, row, headers);
  } catch (error) {
    return errorResponse(error, headers);
  }
}

/**
 * A share link opens the models its notebook uses, not all of its owner's: those saved from it,
 * and those its code loads by name (`models.load("name")`, the name written as a literal).
 */
export function sharedWith(row: ModelRow, notebook: NotebookRow): boolean {
  if (row.notebookId === notebook.id) return true;
  const name = row.name.replaceAll(".", "\\.");
  const call = new RegExp(String.raw`models\.load\(\s*(["'\x60])` + name + String.raw`\1`);
  return call.test(notebook.content);
}

export function savedOf(row: ModelRow) {
  return { name: row.name, version: row.version, bytes: row.bytes, sha256: row.sha256 };
}

function download(services: Services, row: ModelRow, headers: Headers): Response {
  headers.set("content-type", "application/octet-stream");
  headers.set("content-length", String(row.bytes));
  // Names are letters, digits, space and -_. only (model-name.ts): safe inside the quotes.
  headers.set("content-disposition", `attachment; filename="${row.name}.safetensors"`);
  headers.set("cache-control", "private, no-store");
  headers.set("x-model-version", String(row.version));
  return new Response(modelBytesStream(services.db, row), { status: 200, headers });
}

/** The notebook named by `?notebook=`, which the writer must own; null when not given. */
async function notebookOf(ctx: Context, url: URL, ownerId: string): Promise<string | null> {
  const id = url.searchParams.get("notebook");
  if (id === null || id === "") return null;
  if (!ID_PATTERN.test(id)) throw badRequest(`“${id.slice(0, 64)}” is not a notebook id.`);
  await ownedNotebook(ctx.services.db, id, ownerId, "save models from it");
  return id;
}

function modelNameOf(pathname: string, pattern: RegExp): string {
  const raw = pattern.exec(pathname)?.[1];
  let name: string | undefined;
  try {
    name = raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    name = undefined;
  }
  if (name === undefined) throw badRequest("The URL does not name a model.");
  const problem = modelNameProblem(name);
  if (problem) throw badRequest(problem);
  return name;
}

function errorResponse(error: unknown, headers: Headers): Response {
  headers.set("cache-control", "no-store");
  if (error instanceof ModelTooLargeError) {
    // The rest of the upload is not read: close the connection rather than drain it.
    headers.set("connection", "close");
    return Response.json({ error: { message: error.message } }, { status: 413, headers });
  }
  // The client is usually gone by then; the answer is for one that is not.
  if (error instanceof CorruptModelError || error instanceof UploadInterruptedError) {
    return Response.json({ error: { message: error.message } }, { status: 400, headers });
  }
  if (error instanceof TRPCError) {
    return Response.json(
      { error: { message: error.message } },
      { status: getHTTPStatusCodeFromError(error), headers },
    );
  }
  log.error({ err: error }, "model request failed");
  return Response.json(
    { error: { message: "The server could not handle this model request; try again." } },
    { status: 500, headers },
  );
}

const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });
const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });
