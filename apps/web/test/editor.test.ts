import { describe, expect, it } from "vitest";
import { NotebookStore } from "../src/components/notebook/notebook-store";
import { newNonce, sandboxCsp, sandboxHtml } from "../src/sandbox/page";
import {
  parseSandboxMessage,
  parseShellMessage,
  type ShellToSandbox,
} from "../src/sandbox/protocol";

const NOTEBOOK = `---
title: Test
---

# Test

\`\`\`js id=a
const a = 1
\`\`\`

\`\`\`js id=b
display(a + 1)
\`\`\`
`;

function storeWithLog(content = NOTEBOOK) {
  const sent: ShellToSandbox[] = [];
  const store = new NotebookStore(content, () => 42);
  store.setSender((message) => sent.push(message));
  store.loaded(true);
  return { store, sent };
}

describe("NotebookStore", () => {
  it("sends code to the sandbox when it runs, not as it is typed", () => {
    const { store, sent } = storeWithLog();
    store.setSource("a", "const a = 2");
    expect(sent).toEqual([]);
    expect(store.snapshot().cells.find((c) => c.id === "a")?.edited).toBe(true);
    store.runCell("a");
    expect(sent).toEqual([{ type: "runCell", id: "a", source: "const a = 2" }]);
    expect(store.snapshot().cells.find((c) => c.id === "a")?.edited).toBe(false);
  });

  it("re-renders Markdown as it is typed", () => {
    const { store, sent } = storeWithLog();
    const id = store.snapshot().cells[0].id;
    store.setSource(id, "# Renamed");
    expect(sent).toEqual([{ type: "updateCell", id, source: "# Renamed" }]);
  });

  it("adds, moves, converts, collapses and deletes cells, mirroring each to the sandbox", () => {
    const { store, sent } = storeWithLog();
    const id = store.insertCell(3, "code", "const c = 3");
    expect(sent.at(-1)).toMatchObject({ type: "insertCell", index: 3, slotHeight: 42 });
    expect(store.snapshot().focus).toBe(id);
    store.moveCell(id, -1);
    expect(sent.at(-1)).toEqual({ type: "moveCell", id, index: 2 });
    store.moveCell(store.snapshot().cells[0].id, -1); // already first: nothing to do
    expect(sent.at(-1)).toEqual({ type: "moveCell", id, index: 2 });
    store.convertCell(id);
    expect(sent.at(-1)).toMatchObject({ type: "replaceCell", cell: { id, type: "markdown" } });
    store.deleteCell(id);
    expect(sent.at(-1)).toEqual({ type: "deleteCell", id });
    store.toggleCollapsed("a");
    expect(store.serialize()).toMatch(/```js id=a hidden\n/);
    expect(store.snapshot().cells.find((c) => c.id === "a")?.collapsed).toBe(true);
  });

  it("runs all with the cells edited since they ran", () => {
    const { store, sent } = storeWithLog();
    store.setSource("b", "display(a + 2)");
    store.runAll();
    expect(sent).toEqual([{ type: "runAll", sources: [{ id: "b", source: "display(a + 2)" }] }]);
  });

  it("knows what is saved", () => {
    const { store } = storeWithLog();
    expect(store.snapshot().dirty).toBe(false);
    store.setSource("a", "const a = 5");
    const token = store.beginSave();
    store.setSource("a", "const a = 6"); // typed while saving
    store.savedAt(token);
    expect(store.snapshot().dirty).toBe(true);
    store.savedAt(store.beginSave());
    expect(store.snapshot().dirty).toBe(false);
    expect(store.serialize()).toContain("const a = 6");
  });

  it("takes code the sandbox ran itself (a lesson's Show solution), in exercise cells only", () => {
    const lesson = NOTEBOOK.replace("```js id=a", "```js id=a exercise=first");
    const { store } = storeWithLog(lesson);
    store.sandboxRan("a", "const a = 10");
    expect(store.snapshot().cells.find((c) => c.id === "a")).toMatchObject({
      source: "const a = 10",
      edited: false,
    });
    store.sandboxRan("b", "fetch('https://evil.test')");
    expect(store.snapshot().cells.find((c) => c.id === "b")?.source).toBe("display(a + 1)");
    const markdown = store.snapshot().cells[0].id;
    store.sandboxRan(markdown, "<script>alert(1)</script>");
    expect(store.snapshot().cells[0].source).toBe("# Test");
  });

  it("reads the device a notebook asks for, and ignores nonsense", () => {
    expect(storeWithLog().store.device()).toBe("auto");
    const wasm = NOTEBOOK.replace("title: Test", "title: Test\ndevice: wasm");
    expect(storeWithLog(wasm).store.device()).toBe("wasm");
    const odd = NOTEBOOK.replace("title: Test", "title: Test\ndevice: quantum");
    expect(storeWithLog(odd).store.device()).toBe("auto");
  });
});

describe("the sandbox protocol", () => {
  it("accepts well-formed messages both ways", () => {
    expect(parseShellMessage({ type: "runCell", id: "a", source: "1" })).not.toBeNull();
    expect(
      parseSandboxMessage({
        type: "layout",
        height: 100,
        slots: [{ id: "a", top: 0, left: 2, width: 700 }],
      }),
    ).not.toBeNull();
  });

  it("drops anything else: unknown types, wrong shapes, absurd sizes", () => {
    expect(parseSandboxMessage({ type: "saveAs", id: "x" })).toBeNull();
    expect(parseSandboxMessage({ type: "shortcut", action: "delete-everything" })).toBeNull();
    expect(parseSandboxMessage({ type: "layout", height: -1, slots: [] })).toBeNull();
    expect(parseSandboxMessage({ type: "layout", height: 1e12, slots: [] })).toBeNull();
    expect(parseSandboxMessage({ type: "editCell", id: "x".repeat(1000) })).toBeNull();
    expect(parseSandboxMessage("pong")).toBeNull();
    expect(parseSandboxMessage(null)).toBeNull();
    expect(parseShellMessage({ type: "moveCell", id: "a", index: 1.5 })).toBeNull();
  });
});

describe("the sandbox page", () => {
  it("runs only its own script, may eval (cells) but fetch nothing, and stays sandboxed", () => {
    const nonce = newNonce();
    const csp = sandboxCsp(nonce);
    expect(csp).toContain(`script-src 'nonce-${nonce}' 'unsafe-eval' 'wasm-unsafe-eval'`);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/sandbox allow-scripts$/);
    expect(csp).not.toContain("allow-same-origin");
    const html = sandboxHtml({ script: "/s/client.js", style: "/s/client.css" }, nonce);
    expect(html).toContain(`<script nonce="${nonce}" src="/s/client.js"></script>`);
    expect(newNonce()).not.toBe(nonce);
  });
});
