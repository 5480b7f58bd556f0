import * as torch from "@gradbook/engine";
import { describe, expect, it } from "vitest";
import { ModelRequests } from "../src/sandbox/client/models-builtin";
import type { ShellChannel } from "../src/sandbox/client/shell-channel";
import type { SandboxToShell } from "../src/sandbox/protocol";

/** The notebook builtin `models` against a fake shell: what it sends, and what it makes of replies. */
function sandbox() {
  const sent: { message: SandboxToShell; transfer: Transferable[] }[] = [];
  const channel = {
    post: (message: SandboxToShell, transfer: Transferable[] = []) =>
      sent.push({ message, transfer }),
  };
  const requests = new ModelRequests(channel as unknown as ShellChannel);
  requests.handle({
    type: "load",
    cells: [],
    run: true,
    editable: true,
    device: "auto",
    slotHeights: {},
    notebookId: "nb_0123456789abcdef",
  });
  return { sent, requests, models: requests.builtin() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the notebook builtin models", () => {
  it("saves with torch.save: architecture, metrics and notebook id in the metadata, bytes transferred", async () => {
    const { sent, requests, models } = sandbox();
    const model = new torch.nn.Sequential(new torch.nn.Linear(4, 3), new torch.nn.ReLU());
    const saving = models.save("digits-mlp", model, { metrics: { accuracy: torch.tensor(0.5) } });
    await tick();
    await tick();
    const [{ message, transfer }] = sent;
    if (message.type !== "modelSave") throw new Error(`sent ${message.type}`);
    expect(message.name).toBe("digits-mlp");
    expect(transfer).toEqual([message.data]);
    const metadata = torch.load_metadata(new Uint8Array(message.data));
    expect(JSON.parse(metadata["gradbook.metrics"])).toEqual({ accuracy: 0.5 });
    expect(metadata["gradbook.notebook"]).toBe("nb_0123456789abcdef");
    expect(JSON.parse(metadata["gradbook.architecture"]).type).toBe("Sequential");
    requests.handle({
      type: "modelSaved",
      requestId: message.requestId,
      name: "digits-mlp",
      version: 3,
      bytes: 123,
    });
    expect(await saving).toEqual({ name: "digits-mlp", version: 3, bytes: 123 });
  });

  it("loads a model rebuilt from its architecture, and shows the shell's refusals as errors", async () => {
    const { sent, requests, models } = sandbox();
    torch.manual_seed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(4, 3));
    const bytes = await torch.save(model);
    const loading = models.load("digits-mlp");
    const [{ message }] = sent;
    if (message.type !== "modelLoad") throw new Error(`sent ${message.type}`);
    requests.handle({
      type: "modelLoaded",
      requestId: message.requestId,
      data: bytes.slice().buffer,
    });
    const loaded = (await loading) as torch.nn.Module;
    expect(loaded).toBeInstanceOf(torch.nn.Module);
    const x = torch.randn(2, 4);
    expect(await loaded(x).tolist()).toEqual(await model(x).tolist());

    const failing = models.load("missing");
    const request = sent[1].message as { requestId: string };
    requests.handle({
      type: "modelFailed",
      requestId: request.requestId,
      message: "You have no saved model named “missing”.",
    });
    await expect(failing).rejects.toThrow("You have no saved model named “missing”.");
  });

  it("refuses bad names, non-models and misplaced metrics before asking the shell", async () => {
    const { sent, models } = sandbox();
    const model = new torch.nn.Linear(2, 2);
    await expect(models.save("a/b", model)).rejects.toThrow(
      /models\.save: The model name “a\/b” has characters/,
    );
    await expect(models.save("ok", 42)).rejects.toThrow(/must be an nn.Module/);
    await expect(models.save("ok", model, { accuracy: 1 } as never)).rejects.toThrow(
      /unknown option "accuracy"/,
    );
    await expect(models.save("ok", model, { metrics: { acc: Number.NaN } })).rejects.toThrow(
      /metric "acc"/,
    );
    await expect(models.load("")).rejects.toThrow(/cannot be empty/);
    expect(sent).toEqual([]);
  });
});
