import { datasets } from "@gradbook/lessons";

/**
 * Builtins the sandbox adds to the notebook's own (torch, Plot, md, ...). The lesson session
 * adds the course's (`datasets`, `check`, `todo`, `hint`); `datasets` is here too so that a
 * notebook whose exercises don't parse, run as a plain notebook, still has its data.
 */
export function notebookBuiltins(): Readonly<Record<string, unknown>> {
  return { datasets };
}
