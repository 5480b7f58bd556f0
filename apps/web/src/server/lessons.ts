import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { lesson, lessons } from "@gradbook/lessons";
import { parseNotebook } from "@gradbook/notebook";

/**
 * The course: the lessons package's (`@gradbook/lessons`), or a folder of notebook files
 * (`GRADBOOK_LESSONS_DIR`, for a school's own course). In a folder, `01-tensors.md` is the
 * lesson `tensors`, listed first.
 */
export interface LessonSummary {
  readonly slug: string;
  readonly title: string;
  readonly description: string;
}

export interface Lesson extends LessonSummary {
  readonly content: string;
}

export interface LessonLibrary {
  list(): Promise<readonly LessonSummary[]>;
  get(slug: string): Promise<Lesson | null>;
}

export const LESSON_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The course that ships with Gradbook (embedded in the lessons package at its build). */
export function lessonPackage(): LessonLibrary {
  const summaries = lessons().map(({ slug, title, description }) => ({ slug, title, description }));
  return {
    async list() {
      return summaries;
    },
    async get(slug) {
      const summary = summaries.find((entry) => entry.slug === slug);
      return summary ? { ...summary, content: lesson(slug) } : null;
    },
  };
}

export function lessonFolder(dir: string): LessonLibrary {
  // Lessons ship with the app, so they are read once per process.
  let loaded: Promise<Map<string, Lesson>> | undefined;
  const load = () => {
    loaded ??= readLessons(dir);
    return loaded;
  };
  return {
    async list() {
      return [...(await load()).values()].map(({ slug, title, description }) => ({
        slug,
        title,
        description,
      }));
    },
    async get(slug) {
      return (await load()).get(slug) ?? null;
    },
  };
}

async function readLessons(dir: string): Promise<Map<string, Lesson>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".md")).sort();
  const lessons = new Map<string, Lesson>();
  for (const file of files) {
    const slug = file.replace(/\.md$/, "").replace(/^\d+-/, "");
    if (!LESSON_SLUG.test(slug)) throw new Error(`lesson file name ${file} gives a bad slug`);
    const content = await readFile(join(dir, file), "utf8");
    const { frontMatter } = parseNotebook(content);
    lessons.set(slug, {
      slug,
      title: frontMatter.title ?? slug,
      description: frontMatter.description ?? "",
      content,
    });
  }
  return lessons;
}
