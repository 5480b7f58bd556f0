/**
 * `todo()`: the placeholder an exercise cell starts with. It throws `NotAttempted`, so the
 * exercise reads as "not attempted yet" and the cells that use its answer wait for it.
 */
export class NotAttempted extends Error {
  override name = "NotAttempted";
}

export function todo(what?: string): never {
  const task = what ? ` (${what})` : "";
  throw new NotAttempted(`not attempted yet${task}: replace todo() with your code`);
}

export function isNotAttempted(error: unknown): error is NotAttempted {
  return error instanceof Error && error.name === "NotAttempted";
}
