/** torch.save / torch.load: safetensors bytes with PyTorch's names, models that reload without their code. */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as torch from "../src/index.js";

const { nn } = torch;

function digitsModel(): torch.nn.Module {
  torch.manual_seed(3);
  return new nn.Sequential(
    new nn.Linear(8, 16),
    new nn.BatchNorm1d(16),
    new nn.ReLU(),
    new nn.Dropout(0.2),
    new nn.Linear(16, 3),
    new nn.LogSoftmax({ dim: 1 }),
  );
}

/** One training step, so the BatchNorm running statistics and num_batches_tracked move off their defaults. */
function trainOnce(model: torch.nn.Module): void {
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
  const loss = torch.F.nll_loss(model(torch.randn(10, 8)), torch.randint(0, 3, [10]));
  loss.backward();
  opt.step();
}

describe("torch.save / torch.load", () => {
  test("a model reloads without its source: same architecture, weights, buffers and outputs", async () => {
    const model = digitsModel();
    trainOnce(model);
    model.eval();
    const bytes = await torch.save(model);
    const loaded = torch.load(bytes);
    expect(loaded).toBeInstanceOf(nn.Module);
    const copy = loaded as torch.nn.Module;
    expect(String(copy)).toBe(String(model));
    expect(copy.training).toBe(false);
    const x = torch.randn(4, 8);
    expect(await copy(x).tolist()).toEqual(await model(x).tolist());
    const sd = copy.state_dict();
    expect(Object.keys(sd)).toEqual(Object.keys(model.state_dict()));
    expect(sd["1.num_batches_tracked"].dtype).toBe("int64");
    expect(await sd["1.num_batches_tracked"].item()).toBe(1);
  });

  test("a state_dict saves with PyTorch's key names and int64 as I64, and loads back as a state_dict", async () => {
    const model = digitsModel();
    const bytes = await torch.save(model.state_dict(), { epoch: "3" });
    const header = JSON.parse(
      new TextDecoder().decode(
        bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
      ),
    );
    expect(header["1.num_batches_tracked"].dtype).toBe("I64");
    expect(header["0.weight"]).toMatchObject({ dtype: "F32", shape: [16, 8] });
    expect(header.__metadata__).toEqual({ format: "pt", epoch: "3" });
    const sd = torch.load(bytes) as torch.StateDict;
    expect(Object.keys(sd)).toEqual(Object.keys(model.state_dict()));
    const fresh = digitsModel();
    fresh.load_state_dict(sd);
    expect(await fresh.state_dict()["4.bias"].tolist()).toEqual(
      await model.state_dict()["4.bias"].tolist(),
    );
  });

  test("a custom module can't be saved with its architecture, and the error says what to do", async () => {
    class Net extends nn.Module {
      fc = new nn.Linear(2, 2);
      override forward(x: torch.Tensor) {
        return this.fc(x);
      }
    }
    const net = new Net();
    await expect(torch.save(net)).rejects.toThrow(/custom Module subclass.*state_dict\(\)/s);
    const sd = torch.load(await torch.save(net.state_dict())) as torch.StateDict;
    expect(Object.keys(sd)).toEqual(["fc.weight", "fc.bias"]);
  });

  test("corrupt or truncated bytes give a clear error; nothing is half-loaded", async () => {
    const bytes = await torch.save(digitsModel());
    expect(() => torch.load(bytes.subarray(0, bytes.length - 5))).toThrow(torch.SafetensorsError);
    expect(() => torch.load(new Uint8Array([1, 2, 3]))).toThrow(/safetensors/);
    const garbled = bytes.slice();
    garbled[9] = 0x7b; // break the JSON header
    expect(() => torch.load(garbled)).toThrow(torch.SafetensorsError);
  });

  test("loading weights of the wrong shape names the key and both shapes", async () => {
    const small = torch.load(await torch.save(new nn.Linear(3, 2).state_dict())) as torch.StateDict;
    expect(() => new nn.Linear(4, 2).load_state_dict(small)).toThrow(
      "size mismatch for weight: copying a param with shape [2, 3] from checkpoint, the shape in current model is [2, 4].",
    );
  });

  test("real PyTorch loads the saved model and computes the same outputs", async () => {
    const model = digitsModel();
    trainOnce(model);
    model.eval();
    const x = torch.randn(5, 8);
    const ours = (await model(x).data()) as Float32Array;
    const dir = mkdtempSync(join(tmpdir(), "gradbook-io-"));
    try {
      writeFileSync(join(dir, "model.safetensors"), await torch.save(model));
      writeFileSync(join(dir, "x.json"), JSON.stringify(await x.tolist()));
      const script = fileURLToPath(new URL("./pytorch/load_model.py", import.meta.url));
      const python = process.env.PYTHON ?? "/usr/bin/python3";
      const out = execFileSync(
        python,
        [script, join(dir, "model.safetensors"), join(dir, "x.json")],
        {
          encoding: "utf8",
        },
      );
      const theirs = JSON.parse(out) as number[];
      expect(theirs).toHaveLength(ours.length);
      for (const [i, v] of theirs.entries()) {
        expect(Math.abs(v - ours[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(v));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
