import { createHash } from "node:crypto";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Database } from "../db/open";
import { type ModelRow, modelChunks, models, notebooks } from "../db/schema";
import { randomId } from "../ids";
import { formatBytes, MiB } from "../limits";
import { CorruptModelError, SafetensorsCheck, type SafetensorsMetadata } from "./safetensors-check";

/**
 * Saved models: a safetensors file per (owner, name), stored as 1 MiB rows of `model_chunks`
 * so that neither saving nor downloading needs one huge value. Saving checks the file as it
 * arrives (size, structure, SHA-256) and writes it in one transaction: a failed save stores
 * nothing and leaves the previous version as it was.
 */

export const CHUNK_BYTES = MiB;

/** An upload over the limit. `size` is the file's size when known (Content-Length, header). */
export class ModelTooLargeError extends Error {
  constructor(
    readonly size: number | null,
    readonly limit: number,
  ) {
    super(
      size !== null && size > limit
        ? `The model is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`
        : `The model is larger than the limit of ${formatBytes(limit)}.`,
    );
    this.name = "ModelTooLargeError";
  }
}

export { CorruptModelError };

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
  const { chunks, bytes, sha256, metadata } = await readChecked(input);
  for (let attempt = 0; ; attempt++) {
    try {
      return await writeModel(db, input, { chunks, bytes, sha256, metadata });
    } catch (error) {
      // Two first saves of one name at once: the loser retries as a replacement.
      if (attempt > 0 || !isUniqueViolation(error)) throw error;
    }
  }
}

interface CheckedModel {
  readonly chunks: Buffer[];
  readonly bytes: number;
  readonly sha256: string;
  readonly metadata: SafetensorsMetadata;
}

/**
 * Reads the body into 1 MiB chunks, checking as it goes. It is read before the transaction
 * opens (bounded by the limit) so that a slow upload never holds the database: PGlite has a
 * single connection, and PostgreSQL a small pool.
 */
async function readChecked(input: SaveModelInput): Promise<CheckedModel> {
  const { limit } = input;
  const declared = input.declaredBytes ?? null;
  if (declared !== null && declared > limit) throw new ModelTooLargeError(declared, limit);
  const check = new SafetensorsCheck();
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
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
        chunks.push(current);
        current = Buffer.allocUnsafe(CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  const metadata = check.finish();
  if (filled > 0) chunks.push(current.subarray(0, filled));
  return { chunks, bytes, sha256: hash.digest("hex"), metadata };
}

async function writeModel(
  db: Database,
  input: SaveModelInput,
  model: CheckedModel,
): Promise<ModelRow> {
  return db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ id: models.id, version: models.version, createdAt: models.createdAt })
      .from(models)
      .where(and(eq(models.ownerId, input.ownerId), eq(models.name, input.name)))
      .for("update");
    // A new id per version: a download of the old version that is still streaming then fails
    // cleanly (its chunks are gone) instead of mixing two versions' bytes.
    if (previous) await tx.delete(models).where(eq(models.id, previous.id));
    const [row] = await tx
      .insert(models)
      .values({
        id: randomId(),
        ownerId: input.ownerId,
        name: input.name,
        bytes: model.bytes,
        sha256: model.sha256,
        metadata: model.metadata,
        notebookId: input.notebookId,
        version: (previous?.version ?? 0) + 1,
        ...(previous ? { createdAt: previous.createdAt } : {}),
      })
      .returning();
    for (const [seq, data] of model.chunks.entries()) {
      await tx.insert(modelChunks).values({ modelId: row.id, seq, data });
    }
    return row;
  });
}

/** A stream's chunks; leaving the loop early (a refused upload) cancels the stream. */
async function* chunksOf(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (!(body instanceof ReadableStream)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
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
    .where(and(eq(models.ownerId, ownerId), eq(models.name, name)));
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
    .where(and(eq(models.ownerId, ownerId), eq(models.name, name)))
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
    .where(eq(models.ownerId, ownerId))
    .orderBy(desc(models.updatedAt), asc(models.name));
  return rows;
}
