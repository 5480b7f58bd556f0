import { createHash } from "node:crypto";
import { and, asc, desc, eq, like, lt, notLike, type SQL, sql } from "drizzle-orm";
import { modelTooLargeMessage } from "../../lib/model-size";
import type { Database } from "../db/open";
import { type ModelRow, modelChunks, models, notebooks } from "../db/schema";
import { randomId } from "../ids";
import { MiB } from "../limits";
import { log } from "../log";
import { CorruptModelError, SafetensorsCheck, type SafetensorsMetadata } from "./safetensors-check";

/**
 * Saved models: a safetensors file per (owner, name), stored as 1 MiB rows of `model_chunks`
 * so that neither saving nor downloading needs one huge value in memory. Saving checks the file
 * as it arrives (size, structure, SHA-256) and writes each 1 MiB chunk as soon as it is checked,
 * under a staging row of `models` (see STAGING_PREFIX), each write its own short statement: an
 * upload holds about one chunk in memory and no transaction while it waits on the network. At
 * the end, one short transaction swaps the staging row in for the previous version. A failed
 * save deletes its staging row: nothing is stored, and the previous version stays readable.
 */

export const CHUNK_BYTES = MiB;

/**
 * The name of a staging row is this plus its id. Model names cannot contain ":"
 * (lib/model-name.ts), so it never matches a real name; PostgreSQL text cannot hold the NUL one
 * might use instead. Queries that list or move models exclude these rows with `isSavedModel()`.
 */
export const STAGING_PREFIX = ":upload:";

/** A staging row untouched this long belongs to an upload that died with its server: swept. */
export const STAGING_IDLE_MS = 60 * 60 * 1000;

/** The condition that a `models` row is a saved model, not an upload in progress. */
export function isSavedModel(): SQL {
  return notLike(models.name, `${STAGING_PREFIX}%`);
}

/** An upload over the limit. `size` is the file's size when known (Content-Length, header). */
export class ModelTooLargeError extends Error {
  constructor(
    readonly size: number | null,
    readonly limit: number,
  ) {
    super(modelTooLargeMessage(size, limit));
    this.name = "ModelTooLargeError";
  }
}

export { CorruptModelError };

/** The upload's body failed before its end (the connection dropped): nothing was stored. */
export class UploadInterruptedError extends Error {
  constructor(cause: unknown) {
    super("The upload was interrupted before the whole model arrived; nothing was saved.", {
      cause,
    });
    this.name = "UploadInterruptedError";
  }
}

export interface SaveModelInput {
  readonly ownerId: string;
  readonly name: string;
  /** The notebook it was saved from; the caller has checked that the owner owns it. */
  readonly notebookId: string | null;
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  readonly limit: number;
  /** The size the client announced (Content-Length), if it did: for the too-large message. */
  readonly declaredBytes?: number | null;
}

/** Checks and stores a model, replacing (version + 1) one of the same name. */
export async function saveModel(db: Database, input: SaveModelInput): Promise<ModelRow> {
  const { limit } = input;
  const declared = input.declaredBytes ?? null;
  if (declared !== null && declared > limit) throw new ModelTooLargeError(declared, limit);
  await sweepStagedUploads(db);
  const upload = new StagedUpload(db, input.ownerId);
  try {
    const checked = await streamChecked(input, (chunk) => upload.write(chunk));
    return await upload.commit(input, checked);
  } catch (error) {
    await upload.discard();
    throw error;
  }
}

/**
 * Deletes staging rows (and so their chunks) idle for `idleMs`: uploads whose server stopped
 * before it could clean up. A live upload touches its row with every chunk, so a slow one is
 * kept. Run before each upload; returns how many were removed.
 */
export async function sweepStagedUploads(db: Database, idleMs = STAGING_IDLE_MS): Promise<number> {
  const swept = await db
    .delete(models)
    .where(
      and(
        like(models.name, `${STAGING_PREFIX}%`),
        // The database's clock, the one that set updated_at.
        lt(models.updatedAt, sql`now() - make_interval(secs => ${idleMs / 1000})`),
      ),
    )
    .returning({ id: models.id });
  return swept.length;
}

interface CheckedModel {
  readonly bytes: number;
  readonly sha256: string;
  readonly metadata: SafetensorsMetadata;
}

/**
 * Reads the body in 1 MiB chunks, checking each part before it goes into a chunk, and hands
 * each full chunk to `store` before reading on: the upload waits for the database rather than
 * piling up in memory.
 */
async function streamChecked(
  input: SaveModelInput,
  store: (chunk: Buffer) => Promise<void>,
): Promise<CheckedModel> {
  const { limit } = input;
  const declared = input.declaredBytes ?? null;
  const check = new SafetensorsCheck();
  const hash = createHash("sha256");
  let current = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let bytes = 0;
  for await (const part of chunksOf(input.body)) {
    bytes += part.byteLength;
    if (bytes > limit) throw new ModelTooLargeError(declared ?? check.declaredBytes, limit);
    check.push(part);
    const header = check.declaredBytes;
    if (header !== null && header > limit) throw new ModelTooLargeError(header, limit);
    hash.update(part);
    for (let at = 0; at < part.byteLength; ) {
      const n = Math.min(CHUNK_BYTES - filled, part.byteLength - at);
      current.set(part.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === CHUNK_BYTES) {
        await store(current);
        // A fresh buffer: the driver may still refer to the one it was given.
        current = Buffer.allocUnsafe(CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  const metadata = check.finish();
  if (filled > 0) await store(current.subarray(0, filled));
  return { bytes, sha256: hash.digest("hex"), metadata };
}

/** An upload's staging row and its chunks, created with the first chunk. */
class StagedUpload {
  private id: string | null = null;
  private seq = 0;

  constructor(
    private readonly db: Database,
    private readonly ownerId: string,
  ) {}

  async write(data: Buffer): Promise<void> {
    const id = await this.staged();
    await this.db.insert(modelChunks).values({ modelId: id, seq: this.seq, data });
    this.seq++;
  }

  /** Turns the staging row into the model, replacing the previous version, in one transaction. */
  async commit(input: SaveModelInput, model: CheckedModel): Promise<ModelRow> {
    const id = await this.staged();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          const [previous] = await tx
            .select({ id: models.id, version: models.version, createdAt: models.createdAt })
            .from(models)
            .where(and(eq(models.ownerId, input.ownerId), eq(models.name, input.name)))
            .for("update");
          // Each version has its own id (the staging row's): a download of the old version that
          // is still streaming then fails cleanly (its chunks are gone) instead of mixing bytes.
          if (previous) await tx.delete(models).where(eq(models.id, previous.id));
          const [row] = await tx
            .update(models)
            .set({
              name: input.name,
              bytes: model.bytes,
              sha256: model.sha256,
              metadata: model.metadata,
              notebookId: input.notebookId,
              version: (previous?.version ?? 0) + 1,
              createdAt: previous ? previous.createdAt : sql`now()`,
              updatedAt: sql`now()`,
            })
            .where(eq(models.id, id))
            .returning();
          if (!row) throw discarded();
          return row;
        });
      } catch (error) {
        // Two first saves of one name at once: the loser (its transaction rolled back, its
        // staging row intact) retries as a replacement of the winner.
        if (attempt > 0 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Deletes the staging row and its chunks; if that fails too, the sweep removes them later. */
  async discard(): Promise<void> {
    if (this.id === null) return;
    try {
      // Only while still staged: a commit whose reply was lost may have made it the model.
      await this.db
        .delete(models)
        .where(and(eq(models.id, this.id), like(models.name, `${STAGING_PREFIX}%`)));
    } catch (error) {
      log.warn({ err: error, modelId: this.id }, "could not delete a failed model upload");
    }
  }

  /** The staging row's id, creating the row the first time and touching it (for the sweep) after. */
  private async staged(): Promise<string> {
    if (this.id === null) {
      const id = randomId();
      await this.db.insert(models).values({
        id,
        ownerId: this.ownerId,
        name: `${STAGING_PREFIX}${id}`,
        bytes: 0,
        sha256: "",
        metadata: {},
        version: 0,
      });
      this.id = id;
      return id;
    }
    const touched = await this.db
      .update(models)
      .set({ updatedAt: sql`now()` })
      .where(eq(models.id, this.id))
      .returning({ id: models.id });
    if (touched.length === 0) throw discarded();
    return this.id;
  }
}

const discarded = () =>
  new Error(
    "The upload's staging row was deleted before it finished (idle for over an hour, or its owner was deleted); save the model again.",
  );

/**
 * A stream's chunks; leaving the loop early (a refused upload) cancels the stream. A failure to
 * read (the client went away mid-upload) is an UploadInterruptedError.
 */
async function* chunksOf(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (!(body instanceof ReadableStream)) {
    try {
      for await (const part of body) yield part;
    } catch (error) {
      throw new UploadInterruptedError(error);
    }
    return;
  }
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new UploadInterruptedError(error);
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

export async function findModel(
  db: Database,
  ownerId: string,
  name: string,
): Promise<ModelRow | null> {
  const [row] = await db
    .select()
    .from(models)
    .where(and(eq(models.ownerId, ownerId), eq(models.name, name), isSavedModel()));
  return row ?? null;
}

/**
 * A model's bytes, one chunk per pull (so a download holds one chunk in memory). If the model is
 * replaced or deleted mid-download, the stream errors rather than mix versions.
 */
export function modelBytesStream(db: Database, row: ModelRow): ReadableStream<Uint8Array> {
  const count = Math.ceil(row.bytes / CHUNK_BYTES);
  let seq = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (seq >= count) {
        controller.close();
        return;
      }
      const [chunk] = await db
        .select({ data: modelChunks.data })
        .from(modelChunks)
        .where(and(eq(modelChunks.modelId, row.id), eq(modelChunks.seq, seq)));
      if (!chunk) {
        controller.error(new Error(`The model “${row.name}” changed while it was being read.`));
        return;
      }
      seq++;
      controller.enqueue(new Uint8Array(chunk.data));
    },
  });
}

/** Deletes a model (its chunks go with it); false if the owner has none of that name. */
export async function deleteModel(db: Database, ownerId: string, name: string): Promise<boolean> {
  const deleted = await db
    .delete(models)
    .where(and(eq(models.ownerId, ownerId), eq(models.name, name), isSavedModel()))
    .returning({ id: models.id });
  return deleted.length > 0;
}

export interface ModelListing {
  readonly row: ModelRow;
  readonly notebookTitle: string | null;
}

/** The owner's models, most recently saved first, with the title of the notebook each came from. */
export async function listModels(db: Database, ownerId: string): Promise<ModelListing[]> {
  const rows = await db
    .select({ row: models, notebookTitle: notebooks.title })
    .from(models)
    .leftJoin(notebooks, eq(models.notebookId, notebooks.id))
    .where(and(eq(models.ownerId, ownerId), isSavedModel()))
    .orderBy(desc(models.updatedAt), asc(models.name));
  return rows;
}
