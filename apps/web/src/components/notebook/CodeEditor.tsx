"use client";

import Editor from "@monaco-editor/react";
import type { editor as MonacoEditor } from "monaco-editor";
import { useEffect, useRef, useState } from "react";
import { EDITOR_PADDING, editorHeight, LINE_HEIGHT } from "./editor-metrics";
import type { Monaco } from "./monaco-setup";
import { useMonaco } from "./useMonaco";

/** What the editor's own shortcuts do (see KeyboardHelp). */
export interface EditorKeys {
  run(): void;
  save(): void;
  runAll(): void;
  interrupt(): void;
}

export interface CodeEditorProps {
  readonly cellId: string;
  readonly language: "javascript" | "markdown";
  readonly value: string;
  readonly readOnly: boolean;
  readonly label: string;
  /** Take the keyboard focus (once the editor is up, and again whenever this turns true). */
  readonly focus?: boolean;
  readonly onChange: (value: string) => void;
  readonly keys: EditorKeys;
}

const OPTIONS: MonacoEditor.IStandaloneEditorConstructionOptions = {
  minimap: { enabled: false },
  lineNumbers: "off",
  glyphMargin: false,
  folding: false,
  lineDecorationsWidth: 12,
  lineNumbersMinChars: 0,
  scrollBeyondLastLine: false,
  wordWrap: "on",
  wrappingIndent: "same",
  overviewRulerLanes: 0,
  overviewRulerBorder: false,
  hideCursorInOverviewRuler: true,
  // The editor is as tall as its text: the page scrolls, never the editor.
  scrollbar: {
    vertical: "hidden",
    horizontal: "hidden",
    handleMouseWheel: false,
    alwaysConsumeMouseWheel: false,
  },
  fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  fontSize: 13.5,
  lineHeight: LINE_HEIGHT,
  padding: { top: EDITOR_PADDING, bottom: EDITOR_PADDING },
  automaticLayout: true,
  fixedOverflowWidgets: true,
  renderLineHighlightOnlyWhenFocus: true,
  occurrencesHighlight: "off",
  stickyScroll: { enabled: false },
  guides: { indentation: false },
  tabSize: 2,
  contextmenu: false,
  suggest: { showWords: false },
};

/**
 * A cell's editor: Monaco once it has loaded, and until then the same text, in the same metrics,
 * as plain text, so the page shows code at once and nothing moves when Monaco arrives.
 */
export function CodeEditor(props: CodeEditorProps) {
  const monaco = useMonaco();
  const [height, setHeight] = useState(() => editorHeight(props.value));
  const keys = useRef(props.keys);
  keys.current = props.keys;
  const [editor, setEditor] = useState<MonacoEditor.IStandaloneCodeEditor | null>(null);
  useEffect(() => {
    if (props.focus && editor) editor.focus();
  }, [props.focus, editor]);

  if (!monaco) {
    return (
      <pre className="editor-fallback" style={{ minHeight: height }}>
        {props.value}
      </pre>
    );
  }

  const onMount = (editor: MonacoEditor.IStandaloneCodeEditor, instance: Monaco) => {
    editor.onDidContentSizeChange((event) => {
      if (event.contentHeightChanged) setHeight(event.contentHeight);
    });
    setHeight(editor.getContentHeight());
    addShortcuts(editor, instance, () => keys.current);
    setEditor(editor);
    if (!performance.getEntriesByName("gradbook:editor-ready").length) {
      performance.mark("gradbook:editor-ready");
    }
  };

  return (
    <div className="editor" style={{ height }} data-editor-ready="true">
      <Editor
        height="100%"
        path={`file:///cells/${props.cellId}.${props.language === "markdown" ? "md" : "js"}`}
        language={props.language}
        value={props.value}
        theme="gradbook"
        loading={null}
        options={{ ...OPTIONS, readOnly: props.readOnly, ariaLabel: props.label }}
        onChange={(value) => props.onChange(value ?? "")}
        onMount={onMount}
      />
    </div>
  );
}

function addShortcuts(
  editor: MonacoEditor.IStandaloneCodeEditor,
  { KeyCode, KeyMod }: Monaco,
  keys: () => EditorKeys,
): void {
  const actions: [string, string, number[], () => void][] = [
    [
      "run",
      "Run cell",
      [KeyMod.Shift | KeyCode.Enter, KeyMod.CtrlCmd | KeyCode.Enter],
      () => keys().run(),
    ],
    ["save", "Save notebook", [KeyMod.CtrlCmd | KeyCode.KeyS], () => keys().save()],
    [
      "run-all",
      "Run all cells",
      [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter],
      () => keys().runAll(),
    ],
    ["interrupt", "Interrupt", [KeyMod.CtrlCmd | KeyCode.Period], () => keys().interrupt()],
  ];
  for (const [id, label, keybindings, run] of actions) {
    editor.addAction({ id: `gradbook.${id}`, label, keybindings, run });
  }
}
