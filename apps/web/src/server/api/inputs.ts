import { z } from "zod";
import { ID_PATTERN } from "../ids";
import { LESSON_SLUG } from "../lessons";

/** Input shapes shared by the routers. Ids are checked for shape before any lookup. */
export const notebookId = z.string().regex(ID_PATTERN, "not a notebook id");
export const shareId = z.string().regex(ID_PATTERN, "not a share id");
export const lessonSlug = z.string().max(100).regex(LESSON_SLUG, "not a lesson name");
export const version = z.number().int().min(1);
/** Generous: the exact limit, in bytes, is checked with a clear message (notebook-content.ts). */
export const notebookText = z.string().max(4 * 1024 * 1024);
export const visibility = z.enum(["private", "link", "public"]);
