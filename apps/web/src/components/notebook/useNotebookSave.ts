"use client";

import { TRPCClientError } from "@trpc/client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, messageOf } from "@/lib/api-client";
import { isLeaving, leaveWithoutAsking, mayLeave, setLeaveGuard } from "@/lib/leave-guard";
import type { AppRouter } from "@/server/api/root";
import type { NotebookStore } from "./notebook-store";

export type SaveState =
  | { readonly status: "idle" }
  | { readonly status: "saving" }
  | { readonly status: "saved"; readonly version: number }
  /** Saved elsewhere since this page loaded it: the edit is kept here, not written. */
  | { readonly status: "conflict"; readonly message: string }
  | { readonly status: "error"; readonly message: string };

export interface NotebookSave {
  readonly state: SaveState;
  save(): Promise<void>;
  /** Keeps the edits as a new notebook (after a conflict) and opens it. */
  saveAsCopy(): Promise<void>;
  /** Drops the edits and loads the saved version. */
  loadSaved(): void;
}

export interface SaveTarget {
  readonly id: string;
  readonly version: number;
}

/**
 * Saving with optimistic concurrency: each save names the version it was made on, and a save
 * over a newer version gets CONFLICT (nothing is lost: the edit stays here, and can be kept as
 * a copy). The page warns before leaving with unsaved edits.
 */
export function useNotebookSave(store: NotebookStore, target: SaveTarget | null): NotebookSave {
  const router = useRouter();
  const [state, setState] = useState<SaveState>({ status: "idle" });
  const version = useRef(target?.version ?? 0);
  const busy = useRef(false);

  useEffect(() => {
    setLeaveGuard(target ? () => store.snapshot().dirty : null);
    const warn = (event: BeforeUnloadEvent) => {
      if (target && store.snapshot().dirty && !isLeaving()) event.preventDefault();
    };
    // The app's own links navigate without unloading the page (no beforeunload): ask on them too.
    // In the capture phase on the document, before Next's Link handles the click.
    const confirmLeaving = (event: MouseEvent) => {
      if (leavesPage(event) && !mayLeave()) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    document.addEventListener("click", confirmLeaving, true);
    return () => {
      setLeaveGuard(null);
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", confirmLeaving, true);
    };
  }, [store, target]);

  const save = useCallback(async () => {
    if (!target || busy.current) return;
    busy.current = true;
    setState({ status: "saving" });
    const token = store.beginSave();
    try {
      const saved = await api.notebooks.update.mutate({
        id: target.id,
        version: version.current,
        content: store.serialize(),
      });
      version.current = saved.version;
      store.savedAt(token);
      setState({ status: "saved", version: saved.version });
      // The page's header and history are rendered by the server.
      router.refresh();
    } catch (error) {
      const message = messageOf(error);
      setState(isConflict(error) ? { status: "conflict", message } : { status: "error", message });
    } finally {
      busy.current = false;
    }
  }, [store, target, router]);

  const saveAsCopy = useCallback(async () => {
    try {
      const { id } = await api.notebooks.create.mutate({ content: store.serialize() });
      leaveWithoutAsking(); // the edits are in the copy
      router.push(`/n/${id}`);
    } catch (error) {
      setState({ status: "error", message: messageOf(error) });
    }
  }, [store, router]);

  const loadSaved = useCallback(() => {
    leaveWithoutAsking(); // dropping the edits is what was asked
    window.location.reload();
  }, []);

  return { state, save, saveAsCopy, loadSaved };
}

/** A plain click on a link to another page of this site (not a download or a new tab). */
function leavesPage(event: MouseEvent): boolean {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return false;
  }
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) {
    return false;
  }
  const url = new URL(link.href);
  return url.origin === location.origin && url.pathname !== location.pathname;
}

function isConflict(error: unknown): boolean {
  return (
    error instanceof TRPCClientError &&
    (error as TRPCClientError<AppRouter>).data?.code === "CONFLICT"
  );
}
