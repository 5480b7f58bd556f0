/**
 * The one question before the page is left with unsaved work. A notebook with unsaved edits
 * sets the guard; links (useNotebookSave) and actions that open another page (useApiAction) ask
 * it. One page shows one notebook, so there is one guard at a time.
 */

let unsaved: (() => boolean) | null = null;
let leaving = false;

export const LEAVE_QUESTION = "This notebook has unsaved edits. Leave without saving them?";

/** Called with whether there is unsaved work; `null` when the page has none to guard. */
export function setLeaveGuard(hasUnsavedWork: (() => boolean) | null): void {
  unsaved = hasUnsavedWork;
  leaving = false;
}

/** Whether the page may be left (asking when there is unsaved work); a yes lets it go quietly. */
export function mayLeave(): boolean {
  if (leaving || !unsaved?.()) return true;
  leaving = window.confirm(LEAVE_QUESTION);
  return leaving;
}

/** Leaving was decided without asking (the edits were kept elsewhere, or dropped on purpose). */
export function leaveWithoutAsking(): void {
  leaving = true;
}

/** The page stays after all (the action that would have left it failed): ask again next time. */
export function stayed(): void {
  leaving = false;
}

/** Whether the page is being left on purpose: beforeunload doesn't ask then. */
export function isLeaving(): boolean {
  return leaving;
}
