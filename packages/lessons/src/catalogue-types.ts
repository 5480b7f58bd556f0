/** A lesson in the catalogue: what a course page lists. */
export interface LessonInfo {
  /** The file name without its number: `lessons/01-tensors.md` is "tensors". */
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  /** Position in the course, from 1. */
  readonly order: number;
  readonly tags: readonly string[];
}

/** A lesson as embedded at build time: its catalogue entry and its Markdown. */
export interface EmbeddedLesson extends LessonInfo {
  readonly markdown: string;
}
