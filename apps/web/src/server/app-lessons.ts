import { resolve } from "node:path";
import { type LessonLibrary, lessonFolder } from "./lessons";

/**
 * The course, from `GRADBOOK_LESSONS_DIR` (default `lessons/` in the app folder). Separate from
 * the database so that course pages can be rendered at build time.
 */
let library: LessonLibrary | undefined;

export function getLessons(): LessonLibrary {
  library ??= lessonFolder(
    resolve(/*turbopackIgnore: true*/ process.env.GRADBOOK_LESSONS_DIR ?? "lessons"),
  );
  return library;
}
