/**
 * Checks a safetensors file as its bytes stream in, so a bad upload is refused at the first
 * wrong byte rather than after it has all arrived. The layout (huggingface/safetensors): a u64
 * little-endian header length N, N bytes of UTF-8 JSON (an object: `__metadata__` of strings,
 * and per tensor its dtype, shape and data_offsets relative to the data), then the data, which
 * the tensors must tile exactly: no gaps, no overlaps, nothing after.
 *
 * The dtypes, their sizes and the header cap are the engine's own (those `torch.load` reads),
 * from its dependency-free subpath: the server does not load the engine's tensor code.
 */

import {
  ITEM_BYTES,
  isDType,
  MAX_HEADER_BYTES,
  METADATA_KEY,
} from "@gradbook/engine/safetensors-format";

/** A file that is not a valid safetensors model; the message says what is wrong. */
export class CorruptModelError extends Error {
  constructor(problem: string) {
    super(`This is not a valid safetensors file: ${problem}.`);
    this.name = "CorruptModelError";
  }
}

const KNOWN_DTYPES = Object.keys(ITEM_BYTES).join(", ");

export type SafetensorsMetadata = Record<string, string>;

interface TensorSpan {
  readonly name: string;
  readonly begin: number;
  readonly end: number;
}

export class SafetensorsCheck {
  /** Bytes seen so far. */
  private received = 0;
  /** The first 8 + N bytes, kept until the header is parsed. */
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private headerLength: number | null = null;
  private parsed: { metadata: SafetensorsMetadata; total: number } | null = null;

  /** The whole file's size as its header declares it, once the header has been read. */
  get declaredBytes(): number | null {
    return this.parsed?.total ?? null;
  }

  /** Takes the next bytes; throws CorruptModelError as soon as they cannot be a valid file. */
  push(chunk: Uint8Array): void {
    this.received += chunk.byteLength;
    if (this.parsed) {
      this.refuseTrailing();
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.byteLength;
    if (this.headerLength === null && this.headBytes >= 8) this.headerLength = this.readLength();
    if (this.headerLength !== null && this.headBytes >= 8 + this.headerLength) {
      this.parsed = this.parseHeader(this.headerLength);
      this.head = [];
      this.refuseTrailing();
    }
  }

  /** After the last byte: the header's metadata, or CorruptModelError if the file is cut short. */
  finish(): SafetensorsMetadata {
    if (this.received < 8) {
      throw new CorruptModelError(
        `the file is ${this.received} bytes, too short for the 8-byte header length`,
      );
    }
    if (!this.parsed) {
      throw new CorruptModelError(
        `the header length says ${this.headerLength} bytes of header, but only ${this.received - 8} bytes follow (the file is truncated, or not safetensors)`,
      );
    }
    if (this.received < this.parsed.total) {
      throw new CorruptModelError(
        `the file is ${this.received} bytes but its header describes ${this.parsed.total}: it is truncated`,
      );
    }
    return this.parsed.metadata;
  }

  private refuseTrailing(): void {
    if (this.parsed && this.received > this.parsed.total) {
      throw new CorruptModelError(
        `the tensors cover ${this.parsed.total} bytes but the file goes on past that (trailing bytes)`,
      );
    }
  }

  private joinedHead(): Uint8Array {
    if (this.head.length === 1) return this.head[0];
    const joined = new Uint8Array(this.headBytes);
    let at = 0;
    for (const part of this.head) {
      joined.set(part, at);
      at += part.byteLength;
    }
    this.head = [joined];
    return joined;
  }

  private readLength(): number {
    const bytes = this.joinedHead();
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const low = view.getUint32(0, true);
    const high = view.getUint32(4, true);
    if (high !== 0 || low > MAX_HEADER_BYTES) {
      const length = BigInt(high) * 0x1_0000_0000n + BigInt(low);
      throw new CorruptModelError(
        `the first 8 bytes give a header length of ${length}, more than the ${MAX_HEADER_BYTES} a header may have (is it a safetensors file?)`,
      );
    }
    if (low < 2) throw new CorruptModelError(`the header length is ${low}, too short for JSON`);
    return low;
  }

  private parseHeader(length: number): { metadata: SafetensorsMetadata; total: number } {
    const bytes = this.joinedHead().subarray(8, 8 + length);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new CorruptModelError("the header is not UTF-8 text");
    }
    let header: unknown;
    try {
      header = JSON.parse(text);
    } catch (error) {
      throw new CorruptModelError(
        `the header is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!isObject(header)) throw new CorruptModelError("the header is not a JSON object");
    const metadata: SafetensorsMetadata = {};
    const spans: TensorSpan[] = [];
    for (const [key, value] of Object.entries(header)) {
      if (key === METADATA_KEY) readMetadata(value, metadata);
      else spans.push(tensorSpan(key, value));
    }
    spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
    let covered = 0;
    for (const span of spans) {
      if (span.begin !== covered) {
        throw new CorruptModelError(
          span.begin < covered
            ? `tensor ${JSON.stringify(span.name)} (data_offsets [${span.begin}, ${span.end}]) overlaps the data before it, which ends at ${covered}`
            : `there is a gap in the data: tensor ${JSON.stringify(span.name)} begins at ${span.begin} but the data before it ends at ${covered}`,
        );
      }
      covered = span.end;
    }
    return { metadata, total: 8 + length + covered };
  }
}

function readMetadata(value: unknown, into: SafetensorsMetadata): void {
  if (!isObject(value)) throw new CorruptModelError(`"${METADATA_KEY}" is not an object`);
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== "string") {
      throw new CorruptModelError(`the metadata value ${JSON.stringify(key)} is not a string`);
    }
    // PostgreSQL's jsonb cannot hold U+0000; no metadata we write has it.
    if (`${key}${text}`.includes("\u0000")) {
      throw new CorruptModelError(`the metadata ${JSON.stringify(key)} contains a NUL character`);
    }
    Object.defineProperty(into, key, { value: text, enumerable: true, writable: true });
  }
}

function tensorSpan(name: string, entry: unknown): TensorSpan {
  const tensor = `tensor ${JSON.stringify(name)}`;
  if (!isObject(entry)) throw new CorruptModelError(`${tensor} is not an object in the header`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== "string" || !isDType(dtype)) {
    throw new CorruptModelError(
      `${tensor} has dtype ${JSON.stringify(dtype)}; the known dtypes are ${KNOWN_DTYPES}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new CorruptModelError(
      `${tensor} has shape ${JSON.stringify(shape)}; a shape is a list of non-negative integers`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new CorruptModelError(
      `${tensor} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] of non-negative integers`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const needed = (shape as number[]).reduce((n, d) => n * d, 1) * ITEM_BYTES[dtype];
  if (end - begin !== needed) {
    throw new CorruptModelError(
      `${tensor} has data_offsets [${begin}, ${end}], but its shape ${JSON.stringify(shape)} of ${dtype} needs ${needed} bytes`,
    );
  }
  return { name, begin, end };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
