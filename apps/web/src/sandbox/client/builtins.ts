import { datasets } from "@gradbook/lessons";
import type { ModelRequests } from "./models-builtin";

/**
 * Builtins the sandbox adds to the notebook's own (torch, Plot, md, ...). The lesson session
 * adds the course's (`datasets`, `check`, `todo`, `hint`); `datasets` is here too so that a
 * notebook whose exercises don't parse, run as a plain notebook, still has its data. `models`
 * saves and loads the viewer's models (models-builtin.ts).
 */
export function notebookBuiltins(models: ModelRequests): Readonly<Record<string, unknown>> {
  return { datasets, models: models.builtin() };
}
