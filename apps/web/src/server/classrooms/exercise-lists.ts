import { prepareLesson } from "@gradbook/lessons";

/**
 * The exercises a notebook text has, by name: the denominator of "3/5 exercises" and of grades.
 * Lessons and assignments don't change once published, so results are kept per text.
 */
const cache = new Map<string, readonly string[]>();
const CACHE_SIZE = 500;

export function exerciseNames(content: string): readonly string[] {
  const cached = cache.get(content);
  if (cached) return cached;
  let names: readonly string[];
  try {
    names = prepareLesson(content).exercises.map((exercise) => exercise.name);
  } catch {
    // Exercises that don't hold together run unchecked (see the sandbox): nothing to count.
    names = [];
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(content, names);
  return names;
}
