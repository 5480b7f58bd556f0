import type { LessonInfo } from "./catalogue-types.js";
import { LESSONS, TEMPLATE } from "./generated/lessons.js";

/**
 * The course's lessons, embedded at build time (see scripts/embed.mjs), so the web app imports
 * them without fs: `lessons()` lists them, `lesson(slug)` gives a lesson's Markdown.
 */

/** Every lesson in course order. */
export function lessons(): LessonInfo[] {
  return LESSONS.map(({ markdown: _markdown, ...info }) => ({ ...info, tags: [...info.tags] }));
}

/** A lesson's notebook Markdown. Throws a RangeError naming the known slugs for an unknown one. */
export function lesson(slug: string): string {
  const found = LESSONS.find((entry) => entry.slug === slug);
  if (!found) {
    const known = LESSONS.map((entry) => entry.slug).join(", ");
    throw new RangeError(`no lesson "${slug}"; the lessons are: ${known}`);
  }
  return found.markdown;
}

/** The template a new lesson starts from: front matter, prose, a live cell and an exercise. */
export function lessonTemplate(): string {
  return TEMPLATE;
}
