import { parseNotebook } from "@gradbook/notebook";
import type { Answer } from "@/lib/answer-values";
import { deviceChoice, type SandboxToShell } from "@/sandbox/protocol";
import { SandboxConnection } from "../notebook/sandbox-connection";

/** An exercise whose expected answer could not be computed, and why. */
export interface ReferenceProblem {
  readonly exercise: string;
  readonly message: string;
}

/**
 * Computes a lesson's expected answers in the instructor's browser: a sandbox (in `host`, so it
 * is on screen and not throttled) runs the lesson with its reference solutions and sends back
 * the values each exercise's names hold. Nothing from the lesson runs in the app's own page.
 */
export function runReferenceSolutions(
  host: HTMLElement,
  content: string,
): Promise<{ answers: Record<string, Answer>; problems: ReferenceProblem[] }> {
  const notebook = parseNotebook(content);
  const device = deviceChoice.safeParse(notebook.frontMatter.device);
  const requestId = `reference-${Date.now().toString(36)}`;
  return new Promise((resolve, reject) => {
    let sent = false;
    const connection = new SandboxConnection(host, {
      state(state) {
        if (state.status === "ready" && !sent) {
          sent = true;
          connection.send({
            type: "collectExpectations",
            requestId,
            cells: notebook.cells.map(({ id, type, source, attrs }) => ({
              id,
              type,
              source,
              attrs,
            })),
            device: device.success ? device.data : "auto",
          });
        } else if (state.status === "failed" || state.status === "hung") {
          connection.dispose();
          reject(
            new Error(
              state.status === "hung"
                ? "The reference solutions stopped responding (an endless loop?)."
                : "The sandbox did not start: reload the page and try again.",
            ),
          );
        }
      },
      message(message: SandboxToShell) {
        if (message.type !== "expectations" || message.requestId !== requestId) return;
        connection.dispose();
        resolve({
          answers: (message.answers ?? {}) as Record<string, Answer>,
          problems: message.problems,
        });
      },
    });
  });
}
