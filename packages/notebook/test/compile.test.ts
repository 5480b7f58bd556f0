import { describe, expect, test } from "vitest";
import { CellSyntaxError, compileCell } from "../src/index.js";

const sorted = (names: readonly string[]) => [...names].sort();

/** Runs a compiled body as the runtime would: call it with the inputs, in order. */
async function run(source: string, scope: Record<string, unknown> = {}): Promise<unknown> {
  const cell = compileCell(source);
  const fn = new Function(`return (${cell.body});`)() as (...args: unknown[]) => unknown;
  return fn(...cell.inputs.map((name) => scope[name]));
}

function syntaxError(source: string): CellSyntaxError {
  try {
    compileCell(source);
  } catch (error) {
    if (error instanceof CellSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a CellSyntaxError for ${JSON.stringify(source)}`);
}

describe("declarations", () => {
  const cases: [string, string, string[]][] = [
    ["const", "const a = 1, b = 2", ["a", "b"]],
    ["let", "let a; let b = 1", ["a", "b"]],
    ["var", "var a = 1; var a = 2", ["a"]],
    ["function", "function f() {}", ["f"]],
    ["async generator function", "async function* g() {}", ["g"]],
    ["class", "class Model extends Base {}", ["Model"]],
    ["object destructuring", "const { a, b: c } = o", ["a", "c"]],
    [
      "nested, defaults and rest",
      "const { a: [b, , { c = 1 }] = [], ...rest } = o",
      ["b", "c", "rest"],
    ],
    ["array destructuring with rest", "const [first, ...others] = xs", ["first", "others"]],
    ["using", "using handle = open()", ["handle"]],
    ["var inside a block stays local", "if (ok) { var hidden = 1 }", []],
    ["for loop variables stay local", "for (let i = 0; i < 3; i++) {}", []],
    ["function in a block stays local", "{ function inner() {} }", []],
  ];
  for (const [name, source, outputs] of cases) {
    test(name, () => {
      expect(compileCell(source).outputs).toEqual(outputs);
    });
  }
});

describe("references", () => {
  const cases: [string, string, string[]][] = [
    ["free names", "const y = w * x + b", ["b", "w", "x"]],
    [
      "globals are not inputs",
      "const r = Math.max(...xs); console.log(r); await Promise.resolve(JSON)",
      ["xs"],
    ],
    ["own declarations are not inputs", "const a = 1; const b = a + 1", []],
    ["x.y references x only", "model.layer.weight.grad", ["model"]],
    ["computed members reference the key", "table[key]", ["key", "table"]],
    [
      "object keys are not references",
      "({ lr: 0.1, [dynamic]: 1, shorthand })",
      ["dynamic", "shorthand"],
    ],
    [
      "labels are not references",
      "outer: for (const x of xs) { for (;;) { break outer } }",
      ["xs"],
    ],
    [
      "function parameters and locals shadow outer names",
      "function f(x, { y }, ...z) { const w = 1; return x + y + z + w + v }",
      ["v"],
    ],
    ["block scopes shadow", "{ const a = 1; a } a", ["a"]],
    ["catch parameters shadow", "try { risky() } catch (error) { error.message }", ["risky"]],
    ["arrow parameters shadow", "xs.map((x, i) => x * i * k)", ["k", "xs"]],
    ["default values are read in scope", "function f(a = b, c = a) {}", ["b"]],
    ["a function can be used before its declaration", "f(); function f() { return g }", ["g"]],
    [
      "class members",
      "class A extends B { #p = q; static s = t; m() { return this.#p + u } }",
      ["B", "q", "t", "u"],
    ],
    [
      "named function expressions see their own name",
      "const f = function fact(n) { return fact(n - 1) }",
      [],
    ],
    [
      "named class expressions see their own name",
      "const C = class K { make() { return new K() } }",
      [],
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the cell's source is a template literal
    ["template literals", "`${a} and ${b.c}`", ["a", "b"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the cell's source is a template literal
    ["tagged templates", "md`# ${title}`", ["md", "title"]],
    [
      "new.target and import.meta are not references",
      "function F() { return new.target ?? import.meta }",
      [],
    ],
    ["optional chaining", "maybe?.deep?.[key]", ["key", "maybe"]],
    ["member assignment reads the object", "state.count = total", ["state", "total"]],
    ["display and view are inputs", "display(view(slider))", ["display", "slider", "view"]],
    ["undefined is not an input", "value === undefined", ["value"]],
  ];
  for (const [name, source, inputs] of cases) {
    test(name, () => {
      expect(sorted(compileCell(source).inputs)).toEqual(inputs);
    });
  }

  test("inputs are listed once, in order of first use", () => {
    expect(compileCell("b + a + b + c").inputs).toEqual(["b", "a", "c"]);
  });

  test("globals can be replaced", () => {
    expect(
      compileCell("torch.ones([2]) + Math.PI", { globals: new Set(["torch"]) }).inputs,
    ).toEqual(["Math"]);
  });
});

describe("expressions, statements and generators", () => {
  test("a single expression is displayed", async () => {
    const cell = compileCell("x * 2");
    expect(cell).toMatchObject({
      expression: true,
      autodisplay: true,
      generator: false,
      async: false,
    });
    expect(cell.outputs).toEqual([]);
    expect(await run("x * 2", { x: 21 })).toBe(42);
  });

  test("an object literal is an expression", async () => {
    expect(compileCell("{ a: 1 }").expression).toBe(true);
    expect(compileCell("({ a: x })")).toMatchObject({ expression: true, inputs: ["x"] });
    expect(await run("({ a: x })", { x: 1 })).toEqual({ a: 1 });
    expect(await run("{ a: 1 }")).toEqual({ a: 1 });
  });

  test("an anonymous function is an expression, a named one a declaration", () => {
    expect(compileCell("function () {}").expression).toBe(true);
    expect(compileCell("function f() {}")).toMatchObject({ expression: false, outputs: ["f"] });
    expect(compileCell("class A {}")).toMatchObject({ expression: false, outputs: ["A"] });
  });

  test("a trailing semicolon makes a statement, not displayed", () => {
    expect(compileCell("x;")).toMatchObject({ expression: false, autodisplay: false });
  });

  test("empty and comment-only cells are statements with nothing to show", async () => {
    for (const source of ["", "  \n", "// just a note", "/* a\n   block */"]) {
      expect(compileCell(source)).toMatchObject({
        expression: false,
        autodisplay: false,
        inputs: [],
        outputs: [],
      });
      expect(await run(source)).toBeUndefined();
    }
  });

  test("an expression ending in a comment", async () => {
    expect(compileCell("x + 1 // note").expression).toBe(true);
    expect(await run("// leading\nx + 1 // note", { x: 1 })).toBe(2);
  });

  test("calls to display or view are not displayed again", () => {
    expect(compileCell("display(plot)").autodisplay).toBe(false);
    expect(compileCell("view(slider)").autodisplay).toBe(false);
  });

  test("statements return their declarations", async () => {
    const cell = compileCell("const a = x + 1\nfunction f() { return a }");
    expect(cell).toMatchObject({
      expression: false,
      autodisplay: false,
      inputs: ["x"],
      outputs: ["a", "f"],
    });
    const result = (await run("const a = x + 1\nfunction f() { return a }", { x: 1 })) as {
      a: number;
      f: () => number;
    };
    expect(result.a).toBe(2);
    expect(result.f()).toBe(2);
  });

  test("top-level await makes the body async", async () => {
    expect(compileCell("await load()")).toMatchObject({ async: true, expression: true });
    expect(compileCell("const data = await load()")).toMatchObject({
      async: true,
      outputs: ["data"],
    });
    expect(compileCell("for await (const b of batches) {}").async).toBe(true);
    expect(compileCell("await using r = open()").async).toBe(true);
    expect(compileCell("async function f() { await g() }").async).toBe(false);
    expect(compileCell("const f = async () => await g()").async).toBe(false);
    expect(await run("const data = await load()", { load: async () => 7 })).toEqual({ data: 7 });
  });

  test("top-level yield makes a generator cell, displayed as it yields", async () => {
    const source =
      "const losses = []\nfor (let epoch = 0; epoch < 3; epoch++) {\n  losses.push(epoch)\n  yield losses.length\n}";
    const cell = compileCell(source);
    expect(cell).toMatchObject({
      generator: true,
      async: false,
      autodisplay: true,
      outputs: ["losses"],
    });
    const generator = (await run(source)) as Generator<number, { losses: number[] }>;
    expect([...generator]).toEqual([1, 2, 3]);
    const again = (await run(source)) as Generator<number, { losses: number[] }>;
    let step = again.next();
    while (!step.done) step = again.next();
    expect(step.value).toEqual({ losses: [0, 1, 2] });
  });

  test("an async generator cell", async () => {
    const cell = compileCell("for (const b of batches) { yield await train(b) }");
    expect(cell).toMatchObject({ generator: true, async: true, inputs: ["batches", "train"] });
    expect(cell.body.startsWith("async function* (batches, train)")).toBe(true);
  });

  test("yield inside a nested generator does not make a generator cell", () => {
    expect(compileCell("function* g() { yield 1 }").generator).toBe(false);
  });
});

describe("errors", () => {
  test("syntax errors give the line and column within the cell", () => {
    const error = syntaxError("const a = 1\nconst b = ;\n");
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toMatchObject({ line: 2, column: 11, reason: "Unexpected token" });
    expect(error.message).toBe("Unexpected token (2:11)");
  });

  test("CRLF sources count lines the same way", () => {
    expect(syntaxError("const a = 1\r\nconst b = ;")).toMatchObject({ line: 2, column: 11 });
  });

  test("a syntax error on the first line", () => {
    expect(syntaxError("let let = 1")).toMatchObject({ line: 1, column: 5 });
  });

  test("an unclosed brace reports the end of the cell", () => {
    expect(syntaxError("if (ok) {\n  go()")).toMatchObject({
      line: 2,
      column: 7,
      reason: expect.stringMatching(/end of cell/),
    });
  });

  test("a stray closing brace can't escape the cell", () => {
    expect(syntaxError("}) + (() => {")).toMatchObject({ line: 1, column: 1 });
    expect(syntaxError("x\n}; evil(); {")).toMatchObject({ line: 2 });
    expect(syntaxError("x\n}) + (() => {")).toMatchObject({ line: 2, column: 1 });
  });

  test("import and export are not supported", () => {
    expect(syntaxError('const a = 1\nimport x from "npm:d3"')).toMatchObject({
      line: 2,
      column: 1,
      reason: expect.stringMatching(/^import statements are not supported in cells/),
    });
    expect(syntaxError("export const a = 1").reason).toMatch(
      /^export statements are not supported/,
    );
    expect(compileCell('await import("./module.js")').inputs).toEqual([]);
  });

  test("return at the top level", () => {
    expect(syntaxError("const a = 1\nreturn a")).toMatchObject({ line: 2, column: 1 });
    expect(compileCell("function f() { return 1 }").outputs).toEqual(["f"]);
  });

  test("assigning to another cell's variable", () => {
    expect(syntaxError("total = 1")).toMatchObject({
      line: 1,
      column: 1,
      reason: expect.stringMatching(/"total"/),
    });
    expect(syntaxError("n++")).toMatchObject({ reason: expect.stringMatching(/"n"/) });
    expect(syntaxError("[a, b] = [b, a]")).toMatchObject({ reason: expect.stringMatching(/"a"/) });
    expect(syntaxError("for (item of items) {}")).toMatchObject({ column: 6 });
    expect(syntaxError("function f() { count += 1 }")).toMatchObject({ column: 16 });
    expect(compileCell("let n = 0; n++; { let m; m = n }").outputs).toEqual(["n"]);
  });
});
