import * as z from "zod/mini";

/**
 * The messages between the app shell and the sandbox iframe (an opaque origin: no cookies, no
 * API). Each side accepts a message only from the other's window and only if it parses here;
 * anything else is dropped. The sandbox runs untrusted code, so the shell treats everything it
 * sends as hostile input: bounded sizes, no field that could make the shell act with the
 * viewer's rights beyond what the viewer could do with one click (save, run).
 *
 * zod/mini keeps this small: it is in both the shell's editor chunk and the sandbox bundle.
 */

const MAX_CELLS = 5_000;
/** Larger than any notebook the API accepts (1 MB), so a valid notebook always fits. */
const MAX_SOURCE = 2_000_000;
/** Layout coordinates: generous, but finite. */
const MAX_PIXELS = 10_000_000;

const cellId = z.string().check(z.minLength(1), z.maxLength(200));
const source = z.string().check(z.maxLength(MAX_SOURCE));
const pixels = z.number().check(z.gte(0), z.lte(MAX_PIXELS));
const index = z.int().check(z.gte(0), z.lte(MAX_CELLS));
const seq = z.int().check(z.gte(0));

/** A cell as the sandbox needs it: what the notebook format's `Cell` carries, minus its layout. */
export const sandboxCell = z.object({
  id: cellId,
  type: z.enum(["code", "markdown"]),
  source,
  attrs: z.record(
    z.string().check(z.maxLength(100)),
    z.union([z.string().check(z.maxLength(10_000)), z.literal(true)]),
  ),
});
export type SandboxCell = z.infer<typeof sandboxCell>;

const slotHeights = z.record(cellId, pixels);

/** Where cells run: `auto` is the fastest the machine has (WebGPU, else WebAssembly). */
export const deviceChoice = z.enum(["auto", "webgpu", "wasm", "js"]);
export type DeviceChoice = z.infer<typeof deviceChoice>;

/**
 * How a notebook's exercises run: as a student meets them (solutions and checks hidden,
 * placeholders, feedback), or for their author (every cell shown, run with the solutions).
 */
export const exerciseView = z.enum(["student", "author"]);
export type ExerciseView = z.infer<typeof exerciseView>;

/**
 * The notebook builtin `models` (save and load models in the viewer's store). The sandbox cannot
 * reach the network, so it asks the shell, which asks the viewer's consent before a save and
 * makes the request itself. The sandbox never sees a URL or a credential, only bytes and results.
 * Ids are random, so a reply meant for a sandbox that was since restarted matches nothing.
 */
const modelRequestId = z.string().check(z.minLength(1), z.maxLength(64));
/** Loose on purpose: the shell checks the name and replies with why it is wrong. */
const modelName = z.string().check(z.maxLength(1_000));
const modelBytes = z.instanceof(ArrayBuffer);

function modelReplies() {
  return [
    z.object({
      type: z.literal("modelSaved"),
      requestId: modelRequestId,
      name: modelName,
      version: z.int().check(z.gte(1)),
      bytes: z.int().check(z.gte(0)),
    }),
    /** The model's safetensors bytes (transferred). */
    z.object({ type: z.literal("modelLoaded"), requestId: modelRequestId, data: modelBytes }),
    z.object({
      type: z.literal("modelFailed"),
      requestId: modelRequestId,
      message: z.string().check(z.maxLength(2_000)),
    }),
  ] as const;
}

function modelRequests() {
  return [
    /** Save these safetensors bytes (transferred) under `name`, after the viewer consents. */
    z.object({
      type: z.literal("modelSave"),
      requestId: modelRequestId,
      name: modelName,
      data: modelBytes,
    }),
    z.object({ type: z.literal("modelLoad"), requestId: modelRequestId, name: modelName }),
  ] as const;
}

/**
 * Graded work and saved progress. The sandbox reports its lesson session's progress (the shell
 * saves it for the viewer's own notebooks), sends a graded exercise's values for the server to
 * check (the shell answers with the verdict), and computes an assignment's expected answers by
 * running its reference solutions (publishing). Values are JSON (src/lib/answer-values.ts),
 * checked in full by the server; here only their size is bounded.
 */
const gradingRequestId = z.string().check(z.minLength(1), z.maxLength(64));
const exerciseName = z.string().check(z.minLength(1), z.maxLength(200));
const MAX_ANSWER_JSON = 4_000_000;
const answerJson = z.unknown().check(
  z.refine((value) => {
    try {
      return (JSON.stringify(value)?.length ?? 0) <= MAX_ANSWER_JSON;
    } catch {
      return false;
    }
  }, "an answer must be JSON of at most 4 MB"),
);
export const savedExercise = z.object({
  name: exerciseName,
  hintsShown: z.int().check(z.gte(0), z.lte(1_000)),
  solutionShown: z.boolean(),
});
export type SavedExerciseMessage = z.infer<typeof savedExercise>;
const exerciseStatus = z.enum([
  "not-attempted",
  "checking",
  "passed",
  "failed",
  "error",
  "blocked",
]);

function gradingReplies() {
  return [
    /** The server's verdict on a `submitAnswer`. */
    z.object({
      type: z.literal("answerVerdict"),
      requestId: gradingRequestId,
      status: z.enum(["passed", "failed", "not-attempted"]),
      message: z.string().check(z.maxLength(2_000)),
    }),
    /** Run these cells (a lesson with its solutions) to compute each exercise's expected answer. */
    z.object({
      type: z.literal("collectExpectations"),
      requestId: gradingRequestId,
      cells: z.array(sandboxCell).check(z.maxLength(MAX_CELLS)),
      device: deviceChoice,
    }),
  ] as const;
}

function gradingRequests() {
  return [
    z.object({
      type: z.literal("progress"),
      exercises: z
        .array(
          z.object({
            name: exerciseName,
            status: exerciseStatus,
            message: z.string().check(z.maxLength(2_000)),
            hintsShown: z.int().check(z.gte(0), z.lte(1_000)),
            solutionShown: z.boolean(),
          }),
        )
        .check(z.maxLength(500)),
    }),
    z.object({
      type: z.literal("submitAnswer"),
      requestId: gradingRequestId,
      exercise: exerciseName,
      values: answerJson,
    }),
    /** The reference run's answers, and the exercises it could not compute (with why). */
    z.object({
      type: z.literal("expectations"),
      requestId: gradingRequestId,
      answers: answerJson,
      problems: z
        .array(z.object({ exercise: exerciseName, message: z.string().check(z.maxLength(2_000)) }))
        .check(z.maxLength(500)),
    }),
  ] as const;
}

export const shellToSandbox = z.discriminatedUnion("type", [
  /** Heartbeat: the sandbox answers each with a pong carrying the same `seq`. */
  z.object({ type: z.literal("ping"), seq }),
  /**
   * Show a notebook (replacing any shown). `run: false` renders prose and empty code cells
   * without running anything (after a hang, until the viewer runs it). `slotHeights` is the
   * space to keep above each cell for the shell's editor. `device` comes from the notebook's
   * front matter (`device: wasm`).
   */
  z.object({
    type: z.literal("load"),
    cells: z.array(sandboxCell).check(z.maxLength(MAX_CELLS)),
    run: z.boolean(),
    editable: z.boolean(),
    device: deviceChoice,
    slotHeights,
    /** Absent: "student". */
    view: z.optional(exerciseView),
    /** The notebook's id when the viewer owns it: `models.save` records it in the metadata. */
    notebookId: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
    /** Hints already revealed and solutions already shown (the viewer's saved progress). */
    saved: z.optional(z.array(savedExercise).check(z.maxLength(500))),
  }),
  /** New text for a cell without running it: Markdown re-renders, code waits for `runCell`. */
  z.object({ type: z.literal("updateCell"), id: cellId, source }),
  /** Run a code cell with this source (its dependants follow). */
  z.object({ type: z.literal("runCell"), id: cellId, source }),
  z.object({ type: z.literal("insertCell"), cell: sandboxCell, index, slotHeight: pixels }),
  z.object({ type: z.literal("deleteCell"), id: cellId }),
  z.object({ type: z.literal("moveCell"), id: cellId, index }),
  /** A cell changed type (code <-> Markdown): replace it, keeping its id and place. */
  z.object({ type: z.literal("replaceCell"), cell: sandboxCell }),
  /** Run every cell afresh, with these sources for cells edited since they last ran. */
  z.object({
    type: z.literal("runAll"),
    sources: z.array(z.object({ id: cellId, source })).check(z.maxLength(MAX_CELLS)),
  }),
  z.object({ type: z.literal("interrupt") }),
  z.object({ type: z.literal("setSlotHeights"), heights: slotHeights }),
  ...modelReplies(),
  ...gradingReplies(),
]);
export type ShellToSandbox = z.infer<typeof shellToSandbox>;

/** What the sandbox can use: cross-origin isolation gives wasm threads; WebGPU is faster still. */
export const sandboxCapabilities = z.object({
  crossOriginIsolated: z.boolean(),
  sharedArrayBuffer: z.boolean(),
  webgpu: z.boolean(),
});
export type SandboxCapabilities = z.infer<typeof sandboxCapabilities>;

export const cellStatus = z.enum(["pending", "running", "done", "error", "blocked"]);
export type CellStatus = z.infer<typeof cellStatus>;

const shortText = z.string().check(z.maxLength(2_000));

export const cellStatusMessage = z.object({
  type: z.literal("status"),
  id: cellId,
  status: cellStatus,
  error: z.optional(
    z.object({
      name: shortText,
      message: z.string().check(z.maxLength(20_000)),
      line: z.optional(z.int()),
      column: z.optional(z.int()),
    }),
  ),
  waitingOn: z.optional(z.array(shortText).check(z.maxLength(1_000))),
});
export type CellStatusMessage = z.infer<typeof cellStatusMessage>;

/** Where each cell's slot is in the sandbox's document, so the shell can lay editors over it. */
export const slotPosition = z.object({ id: cellId, top: pixels, left: pixels, width: pixels });
export type SlotPosition = z.infer<typeof slotPosition>;

export const shortcutAction = z.enum(["save", "runAll", "interrupt"]);
export type ShortcutAction = z.infer<typeof shortcutAction>;

export const sandboxToShell = z.discriminatedUnion("type", [
  /** The sandbox's script is running and listening. */
  z.object({ type: z.literal("ready"), capabilities: sandboxCapabilities }),
  z.object({ type: z.literal("pong"), seq }),
  /**
   * Where a `load` is: shown while the engine loads (`starting`), running, or shown without
   * running (`paused`, as asked); `device` is the engine's once it runs.
   */
  z.object({
    type: z.literal("loaded"),
    state: z.enum(["starting", "running", "paused"]),
    device: shortText,
  }),
  cellStatusMessage,
  z.object({
    type: z.literal("layout"),
    height: pixels,
    slots: z.array(slotPosition).check(z.maxLength(MAX_CELLS)),
  }),
  /** A shortcut pressed while focus was in the sandbox (the shell owns shortcuts). */
  z.object({ type: z.literal("shortcut"), action: shortcutAction }),
  /** The viewer asked to edit a Markdown cell (double-click or its Edit button). */
  z.object({ type: z.literal("editCell"), id: cellId }),
  /** The sandbox ran new code in a cell ("Show solution"): the shell's text follows. */
  z.object({ type: z.literal("cellSource"), id: cellId, source }),
  ...modelRequests(),
  ...gradingRequests(),
]);
export type SandboxToShell = z.infer<typeof sandboxToShell>;
export type ModelRequest = Extract<SandboxToShell, { type: "modelSave" | "modelLoad" }>;
export type ModelReply = Extract<
  ShellToSandbox,
  { type: "modelSaved" | "modelLoaded" | "modelFailed" }
>;

/** Parses a message, or null if it is not one of ours. */
export function parseSandboxMessage(data: unknown): SandboxToShell | null {
  const result = sandboxToShell.safeParse(data);
  return result.success ? result.data : null;
}

export function parseShellMessage(data: unknown): ShellToSandbox | null {
  const result = shellToSandbox.safeParse(data);
  return result.success ? result.data : null;
}

export type GradingRequest = Extract<
  SandboxToShell,
  { type: "progress" | "submitAnswer" | "expectations" }
>;
