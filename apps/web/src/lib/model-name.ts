/**
 * What a saved model may be called: the rule the server enforces, and that the notebook builtin
 * and the Models page check first so a bad name fails early with the same message. Names go in
 * URLs and in a download's file name, hence the small, quote-free character set.
 */
export const MODEL_NAME_MAX = 100;

const ALLOWED = /^[A-Za-z0-9 _.-]+$/;

/** Why `name` is not a valid model name, or null if it is. */
export function modelNameProblem(name: unknown): string | null {
  if (typeof name !== "string") return 'A model\'s name must be a string, like "digits-mlp".';
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  if (name.length === 0) return "A model's name cannot be empty.";
  if (name.length > MODEL_NAME_MAX) {
    return `The model name “${shown}” is ${name.length} characters; the most is ${MODEL_NAME_MAX}.`;
  }
  if (!ALLOWED.test(name)) {
    return `The model name “${shown}” has characters that are not allowed: use letters (A–Z), digits, spaces, "-", "_" and ".".`;
  }
  if (name.trim() !== name) return `The model name “${shown}” cannot start or end with a space.`;
  if (!/[A-Za-z0-9]/.test(name)) return `The model name “${shown}” needs a letter or a digit.`;
  return null;
}
