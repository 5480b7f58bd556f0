/**
 * torch.save / torch.load: state_dicts and whole models as safetensors bytes.
 *
 * Keys are PyTorch's state_dict names and int64 tensors are stored as I64, so
 * `safetensors.torch.load_file` in PyTorch reads what we write. A model built from built-in
 * modules also carries its architecture (JSON in the metadata) so it reloads without its code.
 */

import { fromTypedArray } from "../creation.js";
import type { DType } from "../dtype.js";
import { build, describe, Module, type ModuleSpec } from "../nn/index.js";
import { Tensor } from "../tensor.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  type TensorEntry,
} from "./safetensors.js";

export type StateDict = Record<string, Tensor>;

const ARCHITECTURE_KEY = "gradbook.architecture";
const TRAINING_KEY = "gradbook.training";

const TO_SAFETENSORS: Record<DType, TensorEntry["dtype"]> = {
  float32: "F32",
  int64: "I64",
  bool: "BOOL",
};
const FROM_SAFETENSORS: Record<TensorEntry["dtype"], DType> = {
  F32: "float32",
  I64: "int64",
  BOOL: "bool",
};

/**
 * Serialize a state_dict or a model to safetensors bytes: `const bytes = await torch.save(model)`.
 * Extra `metadata` strings (e.g. metrics) travel in the header.
 */
export async function save(
  obj: Module | StateDict,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const meta: Record<string, string> = { format: "pt", ...metadata };
  let stateDict: StateDict;
  if (obj instanceof Module) {
    // Describe first: a custom module fails here with a clear message, before any work.
    meta[ARCHITECTURE_KEY] = JSON.stringify(describe(obj));
    meta[TRAINING_KEY] = String(obj.training);
    stateDict = obj.state_dict();
  } else {
    stateDict = obj;
  }
  const entries: Record<string, TensorEntry> = {};
  for (const [name, t] of Object.entries(stateDict)) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(
        `torch.save: "${name}" is not a tensor; save a model or a state_dict of tensors`,
      );
    }
    entries[name] = { dtype: TO_SAFETENSORS[t.dtype], shape: [...t.shape], data: await t.data() };
  }
  return encodeSafetensors(entries, meta);
}

/** What `torch.load` found: the model when the bytes carry an architecture, else the state_dict. */
export function load(
  bytes: Uint8Array | ArrayBuffer,
  opts: { device?: string } = {},
): Module | StateDict {
  const { tensors, metadata } = decodeSafetensors(
    bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes),
  );
  const stateDict: StateDict = {};
  for (const [name, e] of Object.entries(tensors)) {
    stateDict[name] = fromTypedArray(e.data, e.shape, FROM_SAFETENSORS[e.dtype], opts.device);
  }
  const architecture = metadata[ARCHITECTURE_KEY];
  if (architecture === undefined) return stateDict;
  let spec: ModuleSpec;
  try {
    spec = JSON.parse(architecture) as ModuleSpec;
  } catch {
    throw new SafetensorsError(`the model architecture in the metadata is not valid JSON`);
  }
  const model = build(spec);
  model.load_state_dict(stateDict);
  model.train(metadata[TRAINING_KEY] !== "false");
  return model;
}

/** Like `load`, but always the state_dict (for `model.load_state_dict(torch.load_state_dict(bytes))`). */
export function load_state_dict(
  bytes: Uint8Array | ArrayBuffer,
  opts: { device?: string } = {},
): StateDict {
  const out = load(bytes, opts);
  return out instanceof Module ? out.state_dict() : out;
}

/** The metadata strings of a saved file (architecture, metrics, ...). */
export function load_metadata(bytes: Uint8Array): Record<string, string> {
  return decodeSafetensors(bytes).metadata;
}
