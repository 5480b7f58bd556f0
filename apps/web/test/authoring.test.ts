import { readFileSync } from "node:fs";
import { lesson, lessons, lessonTemplate, prepareLesson } from "@gradbook/lessons";
import {
  exportIpynb,
  type Notebook,
  parseNotebook,
  serializeNotebook,
  updateCell,
} from "@gradbook/notebook";
import { describe, expect, it } from "vitest";
import { contentDisposition, downloadFileName } from "../src/lib/download-name";
import { exerciseRole } from "../src/lib/exercise-roles";
import {
  ExerciseTrioError,
  HINT_PLACEHOLDERS,
  makeExercise,
  suggestExerciseName,
} from "../src/lib/exercise-trio";
import { lessonProblems } from "../src/lib/lesson-problems";
import { readNotebookFile } from "../src/lib/notebook-import";
import { authorSource } from "../src/sandbox/client/author-run";

const NOTEBOOK = `---
title: Grids
---

Some prose.

\`\`\`js id=base
const base = torch.arange(12);
\`\`\`

\`\`\`js id=grid-cell hidden
const grid = base.reshape(3, 4);
\`\`\`

\`\`\`js
grid.sum()
\`\`\`
`;

const encode = (text: string) => new TextEncoder().encode(text);
const LIMIT = 1024 * 1024;

describe("makeExercise", () => {
  it("turns a cell into an exercise, a solution with hints to write and a check to finish", () => {
    const notebook = parseNotebook(NOTEBOOK);
    const trio = makeExercise(notebook, "grid-cell", "grid");
    const cells = trio.notebook.cells;
    const at = cells.findIndex((cell) => cell.id === "grid-cell");
    expect(cells.map((cell) => cell.id).slice(at, at + 3)).toEqual([
      "grid-cell",
      trio.solutionId,
      trio.checkId,
    ]);
    const [exercise, solution, check] = cells.slice(at, at + 3);
    // The exercise keeps its id (and place); `hidden` is dropped: students edit this cell.
    expect(exercise.attrs).toEqual({ id: "grid-cell", exercise: "grid" });
    expect(exercise.source).toBe("const grid = todo();");
    expect(solution.attrs).toEqual({ solution: "grid", hidden: true });
    expect(solution.source).toBe(
      `// hint: ${HINT_PLACEHOLDERS[0]}\n// hint: ${HINT_PLACEHOLDERS[1]}\nconst grid = base.reshape(3, 4);`,
    );
    expect(check.attrs).toEqual({ check: "grid", hidden: true });
    expect(check.source).toBe('check(grid, todo("the expected value of grid"), { name: "grid" });');
    // The other cells are untouched, and the result is a lesson prepareLesson accepts.
    expect(cells.length).toBe(notebook.cells.length + 2);
    const prepared = prepareLesson(trio.notebook);
    expect(prepared.exercises.map((e) => [e.name, e.cellId, e.hints.length])).toEqual([
      ["grid", "grid-cell", 2],
    ]);
    // Serialized, the untouched cells keep their text.
    const text = serializeNotebook(trio.notebook);
    expect(text).toContain("```js id=base\nconst base = torch.arange(12);\n```");
    expect(text).toContain("```js id=grid-cell exercise=grid\nconst grid = todo();\n```");
  });

  it("gives every declared name its todo() and its check", () => {
    const notebook = parseNotebook("```js id=pair\nconst [a, b] = [1, 2];\n```\n");
    const trio = makeExercise(notebook, "pair", "pair");
    const [exercise, , check] = trio.notebook.cells;
    expect(exercise.source).toBe("const a = todo();\nconst b = todo();");
    expect(check.source.split("\n")).toEqual([
      'check(a, todo("the expected value of a"), { name: "a" });',
      'check(b, todo("the expected value of b"), { name: "b" });',
    ]);
  });

  it("refuses what can't become an exercise, saying why, and changes nothing", () => {
    const notebook = parseNotebook(NOTEBOOK);
    const refusal = (id: string, name: string) => {
      try {
        makeExercise(notebook, id, name);
      } catch (error) {
        expect(error).toBeInstanceOf(ExerciseTrioError);
        return (error as Error).message;
      }
      throw new Error("expected a refusal");
    };
    const withExercise = makeExercise(notebook, "grid-cell", "grid").notebook;
    expect(refusal("grid-cell", "")).toMatch(/Give the exercise a name/);
    expect(refusal("grid-cell", "two words")).toMatch(/can't name an exercise: use letters/);
    expect(() => makeExercise(withExercise, "base", "grid")).toThrow(
      /already an exercise named "grid"/,
    );
    expect(() => makeExercise(withExercise, "grid-cell", "other")).toThrow(
      /already part of exercise "grid"/,
    );
    const display = notebook.cells.at(-1)!.id;
    expect(refusal(display, "sum")).toMatch(/defines no top-level name/);
    const broken = updateCell(notebook, "base", { source: "const base = (" });
    expect(() => makeExercise(broken, "base", "base")).toThrow(/doesn't compile .*fix it first/);
    const prose = notebook.cells[0].id;
    expect(refusal(prose, "x")).toMatch(/Only a code cell/);
    expect(serializeNotebook(notebook)).toBe(NOTEBOOK);
  });

  it("suggests the first name the cell declares", () => {
    expect(suggestExerciseName("const grid = 1;\nconst other = 2;")).toBe("grid");
    expect(suggestExerciseName("display(1)")).toBe("exercise");
    expect(suggestExerciseName("const (")).toBe("exercise");
  });
});

describe("lessonProblems", () => {
  const problems = (text: string) => lessonProblems(parseNotebook(text));
  const fence = (attrs: string, code: string) => `\`\`\`js ${attrs}\n${code}\n\`\`\`\n\n`;
  const exercise = fence("id=ex exercise=grid", "const grid = todo();");
  const solution = fence("id=sol solution=grid", "// hint: arange\nconst grid = torch.arange(12);");
  const check = fence("id=chk check=grid", 'check(grid, torch.arange(12), { name: "grid" });');

  it("finds nothing wrong with the course's lessons and the template", () => {
    for (const { slug } of lessons()) expect(problems(lesson(slug)), slug).toEqual([]);
    expect(problems(lessonTemplate())).toEqual([]);
  });

  it("says what is missing, at a cell of the exercise", () => {
    expect(problems(exercise + solution)).toEqual([
      {
        message: 'Exercise "grid" has no check cell (a code cell marked check=grid).',
        cellId: "ex",
      },
    ]);
    expect(problems(check)).toEqual([
      {
        message: 'Exercise "grid" has no exercise cell (a code cell marked exercise=grid).',
        cellId: "chk",
      },
      {
        message: 'Exercise "grid" has no solution cell (a code cell marked solution=grid).',
        cellId: "chk",
      },
    ]);
  });

  it("explains prepareLesson's findings plainly, at the cell to fix", () => {
    const misnamed = fence("id=sol solution=grid", "const grd = torch.arange(12);");
    expect(problems(exercise + misnamed + check)).toEqual([
      {
        message:
          'The solution for "grid" defines other names than the exercise: the exercise cell defines grid, the solution grd.',
        cellId: "sol",
      },
    ]);
    const blind = fence("id=chk check=grid", "check(1, 1);");
    expect(problems(exercise + solution + blind)).toEqual([
      {
        message:
          'The check for "grid" reads none of the names the exercise defines, so it would not re-run when a student edits the exercise.',
        cellId: "chk",
      },
    ]);
    const broken = fence("id=chk check=grid", "check(grid, ");
    const [problem] = problems(exercise + solution + broken);
    expect(problem.cellId).toBe("chk");
    expect(problem.message).toMatch(/^The check cell of "grid" does not compile: /);
  });

  it("reports every exercise, and cells that play two parts or none by name", () => {
    const found = problems(
      `${fence("id=a exercise=one", "const one = todo();")}${fence("id=b exercise solution=two", "const two = 2;")}${fence("id=c check", "check(1, 1);")}`,
    );
    expect(found).toEqual([
      {
        message: 'Exercise "one" has no solution cell (a code cell marked solution=one).',
        cellId: "a",
      },
      {
        message: 'Exercise "one" has no check cell (a code cell marked check=one).',
        cellId: "a",
      },
      {
        message:
          "Code cell 2 is marked exercise and solution: a cell plays one part in one exercise.",
        cellId: "b",
      },
      {
        message:
          "Code cell 3 is marked check without a name: write check=name, with its exercise's name.",
        cellId: "c",
      },
    ]);
  });

  it("lists what Make exercise leaves to finish: the check's expected value and the hints", () => {
    const trio = makeExercise(parseNotebook(NOTEBOOK), "grid-cell", "grid");
    expect(lessonProblems(trio.notebook)).toEqual([
      {
        message:
          'The hints for "grid" are still to write: a nudge first, then nearly the answer (the // hint: lines of its solution).',
        cellId: trio.solutionId,
      },
      {
        message:
          'The check for "grid" still calls todo(): write the value the answer should equal.',
        cellId: trio.checkId,
      },
    ]);
  });
});

describe("readNotebookFile", () => {
  const lessonFile = new URL("../../../packages/lessons/lessons/01-tensors.md", import.meta.url);

  it("keeps a lesson file byte for byte", () => {
    const bytes = readFileSync(lessonFile);
    const imported = readNotebookFile("01-tensors.md", bytes, LIMIT);
    expect(imported).toEqual({ ok: true, content: bytes.toString("utf8"), warnings: [] });
  });

  it("keeps a byte-order mark and CRLF line endings", () => {
    const text = "\uFEFF# Title\r\n\r\n```js\r\nconst x = 1\r\n```\r\n";
    const imported = readNotebookFile("crlf.MD", encode(text), LIMIT);
    expect(imported.ok && imported.content).toBe(text);
    expect(imported.ok && serializeNotebook(parseNotebook(imported.content))).toBe(text);
  });

  it("converts a Jupyter notebook, naming it after its file when it has no title", () => {
    const ipynb = exportIpynb(parseNotebook("Prose.\n\n```js\nconst x = 1\n```\n"));
    const imported = readNotebookFile("My experiment.ipynb", encode(ipynb), LIMIT);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const notebook: Notebook = parseNotebook(imported.content);
    expect(notebook.frontMatter.title).toBe("My experiment");
    expect(notebook.cells.map((cell) => [cell.type, cell.source])).toEqual([
      ["markdown", "Prose."],
      ["code", "const x = 1"],
    ]);
    // Gradbook's own export keeps its title and attributes.
    const again = exportIpynb(parseNotebook(lessonTemplate()));
    const back = readNotebookFile("template.ipynb", encode(again), LIMIT);
    expect(back.ok && parseNotebook(back.content).frontMatter.title).toBe("Your lesson's title");
  });

  it("refuses, saying why, a file that is too big, not UTF-8, not a notebook or of another kind", () => {
    const error = (name: string, bytes: Uint8Array, limit = LIMIT) => {
      const result = readNotebookFile(name, bytes, limit);
      expect(result.ok).toBe(false);
      return result.ok ? "" : result.error;
    };
    expect(error("big.md", encode("x".repeat(2048)), 1024)).toBe(
      '"big.md" is 2 KB; a notebook can be at most 1 KB. Move large data out of it.',
    );
    expect(error("latin1.md", new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe(
      '"latin1.md" is not UTF-8 text: save it as UTF-8 in your editor and import it again.',
    );
    expect(error("bad.md", encode("```js exercise=\nx\n```\n"))).toMatch(
      /^"bad\.md" could not be read as a notebook: line 1: /,
    );
    expect(error("bad.ipynb", encode("{ not json"))).toMatch(
      /^"bad\.ipynb" could not be imported: not a Jupyter notebook: invalid JSON/,
    );
    expect(error("old.ipynb", encode('{"cells": [], "nbformat": 3}'))).toMatch(
      /nbformat 3 is not supported/,
    );
    expect(error("notes.txt", encode("hello"))).toBe(
      '"notes.txt" is not a notebook file: choose a .md or .ipynb file.',
    );
  });
});

describe("download names", () => {
  it("names the file after the title, safely", () => {
    expect(downloadFileName("Your lesson's title", "md")).toBe("Your lesson's title.md");
    expect(downloadFileName('a/b: "c"?', "ipynb")).toBe("a b c.ipynb");
    expect(downloadFileName("  ..\n", "md")).toBe("notebook.md");
    expect(contentDisposition("Tenseurs — été.md")).toBe(
      "attachment; filename=\"Tenseurs _ _t_.md\"; filename*=UTF-8''Tenseurs%20%E2%80%94%20%C3%A9t%C3%A9.md",
    );
  });
});

describe("the author view's cells", () => {
  it("runs the solution in the exercise's place and checks it", () => {
    const code = (attrs: Record<string, string | true>) => ({ type: "code" as const, attrs });
    expect(authorSource(code({ exercise: "grid" }), "const grid = todo();")).toBe("");
    expect(authorSource(code({ exercise: "grid", graded: true }), "const g = todo();")).toBe(
      "const g = todo();",
    );
    expect(authorSource(code({ solution: "grid" }), "const grid = 1;")).toBe("const grid = 1;");
    expect(authorSource(code({ check: "grid" }), "check(grid, 1);")).toBe(
      'await __checkExercise("grid", async (check) => {\ncheck(grid, 1);\n});',
    );
    expect(exerciseRole({ check: "grid", hidden: true })).toEqual({ kind: "check", name: "grid" });
  });
});
