import { formatBytes } from "../server/limits";

/**
 * What a model over the size limit is told, the same from the shell (before asking the user to
 * allow a save) and from the server (which enforces it). `size` is null when the upload didn't
 * say how big it is and was cut off at the limit.
 */
export function modelTooLargeMessage(size: number | null, limit: number): string {
  return size !== null && size > limit
    ? `The model is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`
    : `The model is larger than the limit of ${formatBytes(limit)}.`;
}
