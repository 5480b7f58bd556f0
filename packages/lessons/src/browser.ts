/**
 * `@gradbook/lessons/browser`: a lesson running in the page. `new LessonSession(root, markdown,
 * { onProgress })` runs the lesson's notebook with the course's builtins and checks its
 * exercises; `lessonBuiltins` gives those builtins to a plain `NotebookRuntime`.
 */

export { type ExerciseHost, lessonBuiltins } from "./browser/builtins.js";
export { FeedbackView } from "./browser/feedback.js";
export { LessonSession, type LessonSessionOptions } from "./browser/session.js";
