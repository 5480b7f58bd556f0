import type { DType as StorageDType } from "@gradbook/kernels";

/** The dtypes a student sees, with PyTorch's names. int64 is stored as int32 inside. */
export type DType = "float32" | "int64" | "bool";

export const float32 = "float32" as const;
export const int64 = "int64" as const;
export const long = "int64" as const;
export const bool = "bool" as const;

export function storageDType(dtype: DType): StorageDType {
  return dtype === "int64" ? "int32" : dtype;
}

export function fromStorageDType(dtype: StorageDType): DType {
  return dtype === "int32" ? "int64" : dtype;
}

export function isFloating(dtype: DType): boolean {
  return dtype === "float32";
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2 };

/** PyTorch's type promotion for the dtypes we have: bool < int64 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype of a JavaScript scalar when it meets a tensor of dtype `t` (PyTorch's rules). */
export function scalarResultType(t: DType, value: number | boolean): DType {
  if (typeof value === "boolean") return t;
  if (!Number.isInteger(value)) return promoteTypes(t, "float32");
  return t === "bool" ? "int64" : t;
}
