import { resolve } from "node:path";
import { type LessonLibrary, lessonFolder, lessonPackage } from "./lessons";

/**
 * The course: the lessons package's, or the notebook files in `GRADBOOK_LESSONS_DIR` when it is
 * set. Separate from the database so that course pages can be rendered at build time.
 */
let library: LessonLibrary | undefined;

export function getLessons(): LessonLibrary {
  const dir = process.env.GRADBOOK_LESSONS_DIR;
  library ??= dir ? lessonFolder(resolve(/*turbopackIgnore: true*/ dir)) : lessonPackage();
  return library;
}
