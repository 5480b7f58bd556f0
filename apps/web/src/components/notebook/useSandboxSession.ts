"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type {
  CellStatus,
  ExerciseView,
  GradingRequest,
  ModelRequest,
  SandboxToShell,
  SavedExerciseMessage,
  ShellToSandbox,
  ShortcutAction,
  SlotPosition,
} from "@/sandbox/protocol";
import type { NotebookStore } from "./notebook-store";
import { type ConnectionState, SandboxConnection } from "./sandbox-connection";
import type { ModelReplySender } from "./useModelRequests";

/** A cell's last reported status, with timing for the progress display. */
export interface RunStatus {
  readonly status: CellStatus;
  readonly error?: { readonly name: string; readonly message: string };
  readonly waitingOn?: readonly string[];
  /** When it started running (performance.now()). */
  readonly startedAt?: number;
  /** How long its last run took, once done. */
  readonly tookMs?: number;
}

export interface SandboxLayout {
  readonly height: number;
  readonly slots: ReadonlyMap<string, SlotPosition>;
}

export interface SandboxSession {
  readonly connection: ConnectionState;
  /** The notebook as the sandbox last laid it out; null until it first has. */
  readonly layout: SandboxLayout | null;
  readonly statuses: ReadonlyMap<string, RunStatus>;
  /** Whether cells run (or wait for the engine, or are paused), and on which device. */
  readonly loaded: {
    readonly state: "starting" | "running" | "paused";
    readonly device: string;
  } | null;
  /** Cells that were running when the sandbox stopped answering. */
  readonly stuck: ReadonlySet<string>;
  /** Where the iframe goes. */
  readonly hostRef: (element: HTMLDivElement | null) => void;
  /** A new sandbox; `run: false` shows the notebook without running it. */
  restart(run: boolean): void;
  /** The height the shell's editor for a cell takes, to keep free above the cell. */
  reportSlotHeight(id: string, height: number): void;
}

export interface SandboxSessionOptions {
  readonly store: NotebookStore;
  /** Run at once (own notebooks, lessons) or show paused. */
  readonly run: boolean;
  readonly editable: boolean;
  /** How exercises run: as a student meets them (default) or as their author checks them. */
  readonly view?: ExerciseView;
  readonly onShortcut: (action: ShortcutAction) => void;
  readonly onEditCell: (id: string) => void;
  /** The viewer's own notebook's id, for `models.save`'s metadata. */
  readonly notebookId?: string | null;
  /** The notebook's `models.save`/`models.load` (useModelRequests). */
  readonly onModelRequest?: (request: ModelRequest, reply: ModelReplySender) => void;
  /** Hints and solutions the viewer already saw, sent with each load (useExerciseRecording). */
  readonly saved?: () => SavedExerciseMessage[];
  /** Progress, graded answers and reference runs from the sandbox (useExerciseRecording). */
  readonly onGradingRequest?: (
    request: GradingRequest,
    reply: (message: ShellToSandbox) => void,
  ) => void;
}

/**
 * The sandbox for one notebook page: makes the iframe, loads the notebook into it whenever a
 * new sandbox says it is ready, and keeps what it reports (layout, statuses) as React state.
 */
export function useSandboxSession(options: SandboxSessionOptions): SandboxSession {
  const [connection, setConnection] = useState<ConnectionState>({ status: "starting" });
  const [layout, setLayout] = useState<SandboxLayout | null>(null);
  const [statuses, setStatuses] = useState<ReadonlyMap<string, RunStatus>>(new Map());
  const [loaded, setLoaded] = useState<SandboxSession["loaded"]>(null);
  const [stuck, setStuck] = useState<ReadonlySet<string>>(new Set());
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const connectionRef = useRef<SandboxConnection | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const runOnLoad = useRef(options.run);
  const heights = useRef(new Map<string, number>());
  const pendingHeights = useRef<Map<string, number> | null>(null);
  const statusesRef = useRef(statuses);
  statusesRef.current = statuses;
  /** The cell the viewer last ran: the likely culprit if the sandbox hangs right after. */
  const lastRun = useRef<string | null>(null);

  useEffect(() => {
    if (!host) return;
    const { store } = optionsRef.current;
    const onMessage = (message: SandboxToShell) => {
      const { editable, onShortcut, onEditCell } = optionsRef.current;
      switch (message.type) {
        case "ready": {
          const run = runOnLoad.current;
          setStatuses(new Map());
          connectionRef.current?.send({
            type: "load",
            cells: store.sandboxCells(),
            run,
            editable,
            device: store.device(),
            slotHeights: Object.fromEntries(heights.current),
            view: optionsRef.current.view ?? "student",
            notebookId: optionsRef.current.notebookId ?? null,
            saved: optionsRef.current.saved?.(),
          });
          store.loaded(run);
          break;
        }
        case "loaded":
          setLoaded({ state: message.state, device: message.device });
          if (message.state === "running") setStuck(new Set());
          break;
        case "layout":
          setLayout({
            height: message.height,
            slots: new Map(message.slots.map((slot) => [slot.id, slot])),
          });
          break;
        case "status":
          setStatuses((before) => withStatus(before, message));
          markFirstRun(message.status);
          break;
        case "shortcut":
          onShortcut(message.action);
          break;
        case "editCell":
          if (editable) onEditCell(message.id);
          break;
        case "cellSource":
          store.sandboxRan(message.id, message.source);
          break;
        case "modelSave":
        case "modelLoad":
          optionsRef.current.onModelRequest?.(message, (reply, transfer) =>
            connectionRef.current?.send(reply, transfer),
          );
          break;
        case "progress":
        case "submitAnswer":
        case "expectations":
          optionsRef.current.onGradingRequest?.(message, (reply) =>
            connectionRef.current?.send(reply),
          );
          break;
      }
    };
    const onState = (state: ConnectionState) => {
      setConnection(state);
      if (state.status === "hung") setStuck(suspects(statusesRef.current, lastRun.current));
    };
    const connection = new SandboxConnection(host, { message: onMessage, state: onState });
    connectionRef.current = connection;
    store.setSender((message) => {
      if (message.type === "runCell") lastRun.current = message.id;
      if (message.type === "runAll") lastRun.current = null;
      connection.send(message);
    });
    return () => {
      store.setSender(() => {});
      connection.dispose();
      connectionRef.current = null;
    };
  }, [host]);

  const restart = useCallback((run: boolean) => {
    runOnLoad.current = run;
    if (run) setStuck(new Set());
    setLoaded(null);
    connectionRef.current?.restart();
  }, []);

  const reportSlotHeight = useCallback((id: string, height: number) => {
    if (heights.current.get(id) === height) return;
    heights.current.set(id, height);
    // One message for all the editors that resized in this task.
    if (pendingHeights.current) {
      pendingHeights.current.set(id, height);
      return;
    }
    pendingHeights.current = new Map([[id, height]]);
    queueMicrotask(() => {
      const batch = pendingHeights.current;
      pendingHeights.current = null;
      if (batch) {
        connectionRef.current?.send({ type: "setSlotHeights", heights: Object.fromEntries(batch) });
      }
    });
  }, []);

  return {
    connection,
    layout,
    statuses,
    loaded,
    stuck,
    hostRef: setHost,
    restart,
    reportSlotHeight,
  };
}

function withStatus(
  before: ReadonlyMap<string, RunStatus>,
  message: Extract<SandboxToShell, { type: "status" }>,
): ReadonlyMap<string, RunStatus> {
  const now = performance.now();
  const previous = before.get(message.id);
  const startedAt =
    message.status === "running"
      ? previous?.status === "running"
        ? previous.startedAt
        : now
      : previous?.startedAt;
  const tookMs =
    message.status === "done" && startedAt !== undefined ? now - startedAt : previous?.tookMs;
  const next = new Map(before);
  next.set(message.id, {
    status: message.status,
    error: message.error,
    waitingOn: message.waitingOn,
    startedAt,
    tookMs: message.status === "running" ? undefined : tookMs,
  });
  return next;
}

/**
 * The cells that probably hung the sandbox: those reported running, else the cell the viewer
 * just ran, else those about to run. (The sandbox's last messages before it hangs may never
 * arrive: they leave after the task that sent them, and that task never ends.)
 */
function suspects(
  statuses: ReadonlyMap<string, RunStatus>,
  lastRun: string | null,
): ReadonlySet<string> {
  const withStatus = (wanted: CellStatus) =>
    [...statuses].filter(([, status]) => status.status === wanted).map(([id]) => id);
  const running = withStatus("running");
  if (running.length) return new Set(running);
  return new Set(lastRun ? [lastRun] : withStatus("pending"));
}

/** For the e2e suite's timing: when the page's first cell finished running. */
function markFirstRun(status: CellStatus): void {
  if (status !== "done" || performance.getEntriesByName("gradbook:first-cell-done").length) return;
  performance.mark("gradbook:first-cell-done");
}
