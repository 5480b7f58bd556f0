/** Exercises in the notebook format: how a lesson is prepared for the runtime, and its errors. */
import { parseNotebook } from "@gradbook/notebook";
import { describe, expect, test } from "vitest";
import {
  CHECK_BUILTIN,
  LessonFormatError,
  prepareLesson,
  SUBMIT_BUILTIN,
  splitHints,
  withSolutions,
} from "../src/index.js";

const fence = (attrs: string, source: string) => `\`\`\`js ${attrs}\n${source}\n\`\`\``;

function lessonText(...cells: string[]): string {
  return ["---\ntitle: Test\n---", "# Test", ...cells].join("\n\n");
}

const exercise = [
  fence("id=setup", "const x = torch.ones(2);"),
  fence("exercise=double", "const doubled = todo();"),
  fence(
    "solution=double hidden",
    "// hint: Multiply by 2.\n// Hint: `x.mul(2)`\nconst doubled = x.mul(2);",
  ),
  fence("check=double hidden", 'check(doubled, x.mul(2), { name: "doubled" });'),
  fence("id=after", "doubled.sum()"),
];

describe("prepareLesson", () => {
  test("finds each exercise: its cells, solution and hints", () => {
    const { exercises } = prepareLesson(lessonText(...exercise));
    const notebook = parseNotebook(lessonText(...exercise));
    const id = (attr: string) => notebook.cells.find((cell) => cell.attrs[attr] === "double")?.id;
    expect(exercises).toEqual([
      {
        name: "double",
        cellId: id("exercise"),
        placeholder: "const doubled = todo();",
        solution: "const doubled = x.mul(2);",
        hints: ["Multiply by 2.", "`x.mul(2)`"],
        checkCellId: id("check"),
      },
    ]);
  });

  test("leaves the solution out of what runs, and wraps the check to report to its exercise", () => {
    const { cells, exercises } = prepareLesson(lessonText(...exercise));
    expect(cells.map((cell) => cell.source)).not.toContain("const doubled = x.mul(2);");
    expect(cells).toHaveLength(5);
    const check = cells.find((cell) => cell.id === exercises[0].checkCellId);
    expect(check?.source).toBe(
      `await ${CHECK_BUILTIN}("double", async (check) => {\ncheck(doubled, x.mul(2), { name: "doubled" });\n});`,
    );
  });

  test("withSolutions puts each solution in its exercise cell", () => {
    const solved = withSolutions(lessonText(...exercise));
    const { exercises } = prepareLesson(solved);
    const cell = solved.cells.find((c) => c.id === exercises[0].cellId);
    expect(cell?.source).toBe("const doubled = x.mul(2);");
  });

  test("a lesson without exercises has none", () => {
    expect(prepareLesson(lessonText(fence("", "1 + 1"))).exercises).toEqual([]);
  });
});

describe("graded exercises (checked by the server)", () => {
  const graded = [
    fence("id=setup", "const x = torch.ones(2);"),
    fence("exercise=double graded", "const doubled = todo();\nconst tripled = todo();"),
    fence("id=after", "doubled.sum()"),
  ];

  test("have no solution or check cell; a submit cell sends the names the exercise defines", () => {
    const { cells, exercises } = prepareLesson(lessonText(...graded));
    expect(exercises).toHaveLength(1);
    const [double] = exercises;
    expect(double).toMatchObject({ name: "double", graded: true, solution: "", hints: [] });
    expect(double.names).toEqual(["doubled", "tripled"]);
    const at = cells.findIndex((cell) => cell.id === double.cellId);
    expect(cells[at + 1]).toEqual({
      id: double.checkCellId,
      type: "code",
      source: `await ${SUBMIT_BUILTIN}("double", { doubled, tripled });`,
    });
    expect(withSolutions(lessonText(...graded)).cells[2].source).toContain("todo()");
  });

  test("refuse a solution or check cell, and a cell that defines nothing", () => {
    expect(() =>
      prepareLesson(lessonText(...graded, fence("solution=double hidden", "const doubled = 1;"))),
    ).toThrow(/exercise "double" is graded .* no solution=double cell/);
    expect(() => prepareLesson(lessonText(fence("exercise=none graded", "1 + 1")))).toThrow(
      /defines no name/,
    );
  });
});

describe("format errors say which exercise and what to fix", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "a missing solution",
      [exercise[1], exercise[3]],
      /exercise "double" has no solution=double cell/,
    ],
    [
      "a missing check",
      [exercise[0], exercise[1], exercise[2]],
      /exercise "double" has no check=double cell/,
    ],
    ["a solution without its exercise", [exercise[2], exercise[3]], /has no exercise=double cell/],
    [
      "two solutions",
      [
        exercise[0],
        exercise[1],
        exercise[2],
        fence("solution=double", "const doubled = 2;"),
        exercise[3],
      ],
      /exercise "double" has two solution cells/,
    ],
    [
      "a solution that defines other names",
      [exercise[0], exercise[1], fence("solution=double", "const twice = x.mul(2);"), exercise[3]],
      /defines \[doubled\] but its solution defines \[twice\]/,
    ],
    [
      "a check that doesn't read the exercise",
      [exercise[0], exercise[1], exercise[2], fence("check=double", "check(x, x);")],
      /its check reads none of the names the exercise defines \(doubled\)/,
    ],
    [
      "a role without a name",
      [fence("exercise", "const a = todo();")],
      /"exercise" needs the exercise's name/,
    ],
    [
      "two roles on one cell",
      [fence("exercise=a solution=a", "1")],
      /has more than one of exercise, solution/,
    ],
    [
      "a solution that does not compile",
      [exercise[1], fence("solution=double", "const doubled = ;"), exercise[3]],
      /the solution does not compile/,
    ],
  ];
  test.each(cases)("%s", (_, cells, message) => {
    expect(() => prepareLesson(lessonText(...cells))).toThrow(LessonFormatError);
    expect(() => prepareLesson(lessonText(...cells))).toThrow(message);
  });
});

test("splitHints takes `// hint:` lines, in order, and leaves the code", () => {
  expect(splitHints("// hint: one\nconst a = 1;\n  // HINT: two\n")).toEqual({
    code: "const a = 1;",
    hints: ["one", "two"],
  });
});
