/**
 * The safetensors format's fixed facts (https://github.com/huggingface/safetensors): its dtypes
 * and their sizes, the header's cap and its metadata key. Dependency-free and apart from the
 * codec and the tensor code, so that a server can check uploads by the same rules
 * (`@gradbook/engine/safetensors-format`) without loading the engine.
 */

/** Every dtype the engine reads on disk. */
export type SafetensorsDType =
  | "F32"
  | "F64"
  | "F16"
  | "BF16"
  | "I64"
  | "I32"
  | "I16"
  | "I8"
  | "U8"
  | "BOOL";

/** Bytes per element of each dtype. */
export const ITEM_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function isDType(s: string): s is SafetensorsDType {
  return Object.hasOwn(ITEM_BYTES, s);
}

/** Same cap as the reference implementation: refuse to parse absurd headers. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The header key of the file's string metadata (every other key is a tensor). */
export const METADATA_KEY = "__metadata__";
