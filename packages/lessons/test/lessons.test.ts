/**
 * The lesson files in Node: they parse and round-trip byte for byte, their front matter and
 * exercises hold together, the catalogue embeds exactly these files, and no cell ends in an
 * expression the notebook would not show.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileCell, parseNotebook, serializeNotebook } from "@gradbook/notebook";
import { describe, expect, test } from "vitest";
import { readLessons } from "../scripts/embed.mjs";
import { lesson, lessons, lessonTemplate, prepareLesson } from "../src/index.js";

const files = readLessons();
const template = readFileSync(
  fileURLToPath(new URL("../templates/lesson.md", import.meta.url)),
  "utf8",
);

/**
 * A cell of several statements shows nothing by itself (only a cell that is one expression
 * shows its value), so a last line without a semicolon is almost surely meant to be shown.
 */
function undisplayedEnding(source: string): string | null {
  if (compileCell(source).expression) return null;
  const lines = source.split("\n").filter((line) => line.trim() && !line.trim().startsWith("//"));
  const last = (lines.at(-1) ?? "").replace(/\s*\/\/.*$/, "").trim();
  return /[;{}(,[]$/.test(last) ? null : last;
}

describe.each([...files, { slug: "template", order: 0, markdown: template }])("$slug", ({
  markdown,
}) => {
  const notebook = parseNotebook(markdown);

  test("parses without warnings and round-trips byte for byte", () => {
    expect(notebook.warnings).toEqual([]);
    expect(serializeNotebook(notebook)).toBe(markdown);
  });

  test("has a title, a description, tags, an order and a key visual", () => {
    const { title, description, tags, order, visual } = notebook.frontMatter;
    expect(title).toMatch(/\S/);
    expect(description).toMatch(/\S/);
    expect(tags?.length).toBeGreaterThan(0);
    expect(typeof order).toBe("number");
    if (visual !== undefined) {
      expect(notebook.cells.some((cell) => cell.id === visual && cell.type === "code")).toBe(true);
    }
  });

  test("its exercises hold together, each with a hint", () => {
    const { exercises, cells } = prepareLesson(markdown);
    expect(exercises.length).toBeGreaterThan(0);
    for (const exercise of exercises) {
      expect(exercise.hints.length, exercise.name).toBeGreaterThan(0);
      expect(exercise.placeholder, exercise.name).toContain("todo(");
      expect(exercise.solution, exercise.name).not.toContain("todo(");
    }
    expect(cells.every((cell) => !cell.source.includes("// hint:"))).toBe(true);
  });

  test("no code cell ends in an expression that would not be shown", () => {
    const endings = notebook.cells
      .filter((cell) => cell.type === "code")
      .map((cell) => [cell.id, undisplayedEnding(cell.source)])
      .filter(([, ending]) => ending !== null);
    expect(endings).toEqual([]);
  });
});

describe("catalogue", () => {
  test("lists every lesson in order, 1 to 13, with its front matter", () => {
    const listed = lessons();
    expect(listed.map((entry) => entry.order)).toEqual(files.map((_, i) => i + 1));
    expect(listed).toHaveLength(13);
    expect(listed).toEqual(
      files.map(({ slug, title, description, order, tags }) => ({
        slug,
        title,
        description,
        order,
        tags,
      })),
    );
  });

  test("embeds exactly the lesson files and the template (run `npm run embed` if not)", () => {
    for (const file of files) expect(lesson(file.slug)).toBe(file.markdown);
    expect(lessonTemplate()).toBe(template);
  });

  test("an unknown slug is an error that lists the lessons", () => {
    expect(() => lesson("quantum")).toThrow(/no lesson "quantum"; the lessons are: tensors, /);
  });
});
