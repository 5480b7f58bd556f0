/** Where a cell is in its life, reported to the app through `onStatus`. */
export type CellStatus =
  /** Scheduled: waiting for the cells it reads to finish. */
  | "pending"
  /** Its code is running (a generator cell until it returns). */
  | "running"
  | "done"
  /** It threw, could not be compiled, or its definitions clash with another cell's. */
  | "error"
  /** A cell it reads from failed, so it cannot run. */
  | "blocked";

export interface CellErrorInfo {
  readonly name: string;
  readonly message: string;
  /** 1-based, within the cell, when known. */
  readonly line?: number;
  readonly column?: number;
}

export interface CellStatusEvent {
  readonly id: string;
  readonly status: CellStatus;
  /** For "error": what went wrong; for "blocked": the failure it is blocked by. */
  readonly error?: CellErrorInfo;
  /** For "pending" and "blocked": the names it waits on. */
  readonly waitingOn?: readonly string[];
}
