"use client";

import { useCallback, useRef, useState } from "react";
import { api } from "@/lib/api-client";
import { modelNameProblem } from "@/lib/model-name";
import { modelTooLargeMessage } from "@/lib/model-size";
import type { ModelReply, ModelRequest } from "@/sandbox/protocol";
import { formatBytes } from "@/server/limits";

/** Sends a reply to the sandbox that asked (bytes transferred, not copied). */
export type ModelReplySender = (reply: ModelReply, transfer?: Transferable[]) => void;

/** A save waiting for the viewer's answer. */
export interface ModelConsent {
  readonly name: string;
  readonly size: string;
  allow(): void;
  deny(): void;
}

export interface ModelScope {
  /** The viewer's own notebook, recorded as where a saved model came from. */
  readonly notebookId: string | null;
  /** A shared notebook's link: `models.load` reads its owner's models through it. */
  readonly shareId: string | null;
}

/**
 * The shell's side of the notebook builtin `models`: the sandbox asks, this asks the viewer
 * before any save (an Allow lasts for this notebook while the page is open) and makes the
 * request with the viewer's cookie; the sandbox only ever gets bytes or a message back. One
 * consent question at a time: a notebook that asks again while one is open is told so.
 */
export function useModelRequests(scope: ModelScope) {
  const [consent, setConsent] = useState<ModelConsent | null>(null);
  const allowed = useRef(false);
  const asking = useRef(false);
  const scopeRef = useRef(scope);
  scopeRef.current = scope;

  const handle = useCallback((request: ModelRequest, reply: ModelReplySender) => {
    const { requestId } = request;
    const fail = (message: string) => reply({ type: "modelFailed", requestId, message });
    const problem = modelNameProblem(request.name);
    if (problem) return fail(problem);
    const { name } = request;

    if (request.type === "modelLoad") {
      void loadModel(scopeRef.current, name).then(
        (data) => reply({ type: "modelLoaded", requestId, data }, [data]),
        (error: unknown) => fail(messageOf(error)),
      );
      return;
    }

    const save = () =>
      void saveModel(scopeRef.current, name, request.data).then(
        (saved) => reply({ type: "modelSaved", requestId, ...saved }),
        (error: unknown) => fail(messageOf(error)),
      );
    const ask = () => {
      if (asking.current) {
        return fail(
          `models.save("${name}"): another save is waiting for your answer; answer it, then run this again.`,
        );
      }
      asking.current = true;
      const answer = (allow: boolean) => {
        asking.current = false;
        setConsent(null);
        if (!allow) return fail(`You declined to save the model “${name}”.`);
        allowed.current = true;
        save();
      };
      setConsent({
        name,
        size: formatBytes(request.data.byteLength),
        allow: () => answer(true),
        deny: () => answer(false),
      });
    };
    // Too big is said at once: no point asking to save what the server would refuse.
    void withinLimit(request.data.byteLength).then(
      (tooLarge) => {
        if (tooLarge) return fail(tooLarge);
        if (allowed.current) return save();
        ask();
      },
      (error: unknown) => fail(messageOf(error)),
    );
  }, []);

  return { consent, handle };
}

let serverLimit: Promise<number> | null = null;

/** The size-limit message for `bytes`, or null when the server would take it (asked once per page). */
async function withinLimit(bytes: number): Promise<string | null> {
  serverLimit ??= api.models.limit.query().then(
    ({ bytes: limit }) => limit,
    (error: unknown) => {
      serverLimit = null; // ask again next time
      throw error;
    },
  );
  const limit = await serverLimit;
  return bytes > limit ? modelTooLargeMessage(bytes, limit) : null;
}

async function saveModel(
  scope: ModelScope,
  name: string,
  data: ArrayBuffer,
): Promise<{ name: string; version: number; bytes: number }> {
  const query = scope.notebookId ? `?notebook=${encodeURIComponent(scope.notebookId)}` : "";
  const response = await request(`/api/models/${encodeURIComponent(name)}${query}`, {
    method: "PUT",
    body: data,
    headers: { "content-type": "application/octet-stream" },
  });
  const { model } = (await response.json()) as {
    model: { name: string; version: number; bytes: number };
  };
  return { name: model.name, version: model.version, bytes: model.bytes };
}

async function loadModel(scope: ModelScope, name: string): Promise<ArrayBuffer> {
  const path = scope.shareId
    ? `/api/shares/${encodeURIComponent(scope.shareId)}/models/${encodeURIComponent(name)}`
    : `/api/models/${encodeURIComponent(name)}`;
  return (await request(path)).arrayBuffer();
}

/** fetch, with the server's own message as the error when it refuses. */
async function request(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin" });
  } catch (error) {
    throw new Error(
      `Could not reach the server (${messageOf(error)}); check your connection and try again.`,
    );
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  throw new Error(
    body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
