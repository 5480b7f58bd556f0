import * as torch from "@gradbook/engine";
import { modelNameProblem } from "../../lib/model-name";
import type { ModelReply, ShellToSandbox } from "../protocol";
import type { ShellChannel } from "./shell-channel";

/**
 * The notebook builtin `models`: the viewer's saved models.
 *
 *   await models.save("digits-mlp", model, { metrics: { accuracy } })  // -> { name, version, bytes }
 *   const model = await models.load("digits-mlp")                     // on the notebook's device
 *
 * The sandbox has no network and no cookies: it serializes here (torch.save, with the
 * architecture, the metrics and the notebook's id in the metadata) and asks the shell, which
 * asks the viewer before saving and does the request. In a shared notebook, `load` reads the
 * owner's model and `save` goes to the viewer's own store.
 */
export interface ModelsBuiltin {
  save(
    name: string,
    model: unknown,
    options?: { metrics?: Record<string, unknown> },
  ): Promise<SavedModel>;
  load(name: string): Promise<torch.nn.Module | torch.StateDict>;
}

export interface SavedModel {
  readonly name: string;
  readonly version: number;
  readonly bytes: number;
}

type Settle = (reply: ModelReply) => void;

/** The sandbox's end of model requests: sends them to the shell and matches the replies. */
export class ModelRequests {
  private readonly pending = new Map<string, Settle>();
  private notebookId: string | null = null;

  constructor(private readonly channel: ShellChannel) {}

  /** Takes the shell's messages that concern models; false for any other message. */
  handle(message: ShellToSandbox): boolean {
    if (message.type === "load") {
      this.notebookId = message.notebookId ?? null;
      return false;
    }
    if (
      message.type !== "modelSaved" &&
      message.type !== "modelLoaded" &&
      message.type !== "modelFailed"
    ) {
      return false;
    }
    const settle = this.pending.get(message.requestId);
    this.pending.delete(message.requestId);
    settle?.(message);
    return true;
  }

  builtin(): ModelsBuiltin {
    return {
      save: async (name, model, options) => this.save(name, model, metricsOption(options)),
      load: (name) => this.load(name),
    };
  }

  private async save(
    name: string,
    model: unknown,
    metrics: Record<string, unknown> | undefined,
  ): Promise<SavedModel> {
    checkName(name, "save");
    if (!(model instanceof torch.nn.Module) && !isStateDict(model)) {
      throw new TypeError(
        `models.save("${name}", model): model must be an nn.Module (or a state_dict of tensors), got ${describe(model)}.`,
      );
    }
    const metadata: Record<string, string> = {};
    if (metrics !== undefined)
      metadata["gradbook.metrics"] = JSON.stringify(await metricValues(metrics));
    if (this.notebookId) metadata["gradbook.notebook"] = this.notebookId;
    const bytes = await torch.save(model, metadata);
    // Transfer the bytes rather than copy them: a fresh buffer that is all ours.
    const data =
      bytes.byteOffset === 0 &&
      bytes.byteLength === bytes.buffer.byteLength &&
      bytes.buffer instanceof ArrayBuffer
        ? bytes.buffer
        : (bytes.slice().buffer as ArrayBuffer);
    const reply = await this.request({ type: "modelSave", name, data }, [data]);
    if (reply.type === "modelFailed") throw new Error(reply.message);
    if (reply.type !== "modelSaved")
      throw new Error("models.save: the app answered something else");
    return { name: reply.name, version: reply.version, bytes: reply.bytes };
  }

  private async load(name: string): Promise<torch.nn.Module | torch.StateDict> {
    checkName(name, "load");
    const reply = await this.request({ type: "modelLoad", name });
    if (reply.type === "modelFailed") throw new Error(reply.message);
    if (reply.type !== "modelLoaded")
      throw new Error("models.load: the app answered something else");
    return torch.load(new Uint8Array(reply.data), { device: torch.get_default_device() });
  }

  private request(
    message:
      | { type: "modelSave"; name: string; data: ArrayBuffer }
      | { type: "modelLoad"; name: string },
    transfer: Transferable[] = [],
  ): Promise<ModelReply> {
    const requestId = randomId();
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.channel.post({ ...message, requestId }, transfer);
    });
  }
}

/** `{ metrics }`, refusing other keys: `{ accuracy }` alone would otherwise vanish silently. */
function metricsOption(options: unknown): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      "models.save: the options must be an object, like { metrics: { accuracy } }.",
    );
  }
  const unknown = Object.keys(options).filter((key) => key !== "metrics");
  if (unknown.length) {
    throw new TypeError(
      `models.save: unknown option ${unknown.map((k) => `"${k}"`).join(", ")}; put metrics inside { metrics: { ... } }.`,
    );
  }
  return (options as { metrics?: Record<string, unknown> }).metrics;
}

function checkName(name: unknown, action: "save" | "load"): void {
  const problem = modelNameProblem(name);
  if (problem) throw new Error(`models.${action}: ${problem}`);
}

/** Metrics as JSON values: numbers (one-element tensors are read), strings, booleans. */
async function metricValues(metrics: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    throw new TypeError(
      "models.save: metrics must be an object, like { metrics: { accuracy: 0.97 } }.",
    );
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (value instanceof torch.Tensor) {
      if (value.numel() !== 1) {
        throw new TypeError(
          `models.save: metric "${key}" is a tensor of shape [${value.shape.join(", ")}]; give one number.`,
        );
      }
      values[key] = await value.item();
    } else if (
      (typeof value === "number" && Number.isFinite(value)) ||
      typeof value === "string" ||
      typeof value === "boolean"
    ) {
      values[key] = value;
    } else {
      throw new TypeError(
        `models.save: metric "${key}" is ${describe(value)}; give a number, a string or a boolean.`,
      );
    }
  }
  return values;
}

function isStateDict(value: unknown): value is torch.StateDict {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).length > 0 &&
    Object.values(value).every((t) => t instanceof torch.Tensor)
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
