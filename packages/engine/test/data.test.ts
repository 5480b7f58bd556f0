import { afterEach, describe, expect, it, vi } from "vitest";
import { arange, tensor } from "../src/creation.js";
import {
  DataLoader,
  Dataset,
  default_collate,
  RandomSampler,
  random_split,
  Subset,
  TensorDataset,
  TransformedDataset,
  transforms,
} from "../src/data/index.js";
import { Generator, manual_seed } from "../src/random.js";
import { Tensor } from "../src/tensor.js";

/** 10 samples: X row i is [i, 10 + i, 20 + i], label i % 3 (int64). */
function tenRows(n = 10): TensorDataset {
  const X = arange(n)
    .float()
    .reshape(n, 1)
    .add(tensor([[0, 10, 20]]));
  const y = arange(n).sub(arange(n).div(3).floor().mul(3).long());
  return new TensorDataset(X, y);
}

/** The sample ids (column 0 of X) of each batch. */
function batchIds(loader: Iterable<Tensor[]>): number[][] {
  return [...loader].map(([xb]) => (xb.index(":", 0).tolistSync() as number[]).map(Number));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("TensorDataset", () => {
  it("indexes rows of every tensor", () => {
    const ds = tenRows();
    expect(ds.__len__()).toBe(10);
    expect(ds.length).toBe(10);
    const [x, y] = ds.__getitem__(4);
    expect(x.tolistSync()).toEqual([4, 14, 24]);
    expect(y.dtype).toBe("int64");
    expect(y.itemSync()).toBe(1);
    expect(ds.__getitem__(-1)[0].tolistSync()).toEqual([9, 19, 29]);
  });

  it("needs tensors of the same length", () => {
    expect(() => new TensorDataset(arange(3), arange(4))).toThrow("Size mismatch between tensors");
  });
});

describe("DataLoader over a TensorDataset", () => {
  it("batches in order, with a shorter last batch", () => {
    const loader = new DataLoader(tenRows(), { batch_size: 4 });
    expect(loader.length).toBe(3);
    expect(loader.__len__()).toBe(3);
    const batches = [...loader];
    expect(batches.map(([xb, yb]) => [xb.shape, yb.shape])).toEqual([
      [[4, 3], [4]],
      [[4, 3], [4]],
      [[2, 3], [2]],
    ]);
    expect(batchIds(loader)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batches[1][1].dtype).toBe("int64");
    expect(batches[1][1].tolistSync()).toEqual([1, 2, 0, 1]);
  });

  it("drops the last partial batch with drop_last", () => {
    const loader = new DataLoader(tenRows(), { batch_size: 4, drop_last: true });
    expect(loader.length).toBe(2);
    expect(batchIds(loader)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it("takes batch_size 1 by default, and arguments by position as PyTorch", () => {
    expect(new DataLoader(tenRows()).length).toBe(10);
    const loader = new DataLoader(tenRows(), 5, false);
    expect(batchIds(loader)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it("uses one index_select per tensor per batch, no per-sample indexing", () => {
    const select = vi.spyOn(Tensor.prototype, "index_select");
    const perSample = vi.spyOn(Tensor.prototype, "index");
    const loader = new DataLoader(tenRows(), { batch_size: 4, shuffle: true });
    for (const _ of loader) {
      // just iterate
    }
    expect(select).toHaveBeenCalledTimes(2 * 3);
    expect(perSample).not.toHaveBeenCalled();
  });

  it("shuffles: every epoch is a permutation, a fresh one each epoch", () => {
    manual_seed(0);
    const loader = new DataLoader(tenRows(20), { batch_size: 8, shuffle: true });
    const epoch1 = batchIds(loader).flat();
    const epoch2 = batchIds(loader).flat();
    const all = [...Array(20).keys()];
    expect([...epoch1].sort((a, b) => a - b)).toEqual(all);
    expect([...epoch2].sort((a, b) => a - b)).toEqual(all);
    expect(epoch1).not.toEqual(all);
    expect(epoch2).not.toEqual(epoch1);
  });

  it("shuffles reproducibly: with a seeded generator, or after torch.manual_seed", () => {
    const order = (g?: Generator) =>
      [0, 1].map(() =>
        batchIds(new DataLoader(tenRows(), { batch_size: 3, shuffle: true, generator: g })).flat(),
      );
    expect(order(new Generator().manual_seed(42))).toEqual(order(new Generator().manual_seed(42)));
    expect(order(new Generator().manual_seed(42))).not.toEqual(
      order(new Generator().manual_seed(43)),
    );
    manual_seed(7);
    const a = order();
    manual_seed(7);
    expect(order()).toEqual(a);
  });

  it("batches a Subset (e.g. from random_split) by its indices", () => {
    const sub = new Subset(tenRows(), [9, 3, -1, 0]);
    expect(batchIds(new DataLoader(sub, { batch_size: 3 }))).toEqual([[9, 3, 9], [0]]);
    const bad = new Subset(tenRows(), [1, 10]);
    expect(() => [...new DataLoader(bad, { batch_size: 2 })]).toThrow(
      "index 10 is out of bounds for dimension 0 with size 10",
    );
  });
});

describe("random_split", () => {
  const lengths = (ds: Subset<unknown>[]) => ds.map((s) => s.__len__());

  it("splits by counts or by fractions, with PyTorch's rounding", () => {
    expect(lengths(random_split(tenRows(), [7, 3]))).toEqual([7, 3]);
    expect(lengths(random_split(tenRows(150), [0.8, 0.2]))).toEqual([120, 30]);
    expect(lengths(random_split(tenRows(), [1 / 3, 1 / 3, 1 / 3]))).toEqual([4, 3, 3]);
    expect(lengths(random_split(tenRows(11), [0.5, 0.25, 0.25]))).toEqual([6, 3, 2]);
    expect(lengths(random_split(tenRows(7), [0.1, 0.1, 0.8]))).toEqual([1, 1, 5]);
  });

  it("gives disjoint subsets that cover the dataset, reproducibly with a generator", () => {
    const split = (seed: number) =>
      random_split(tenRows(150), [0.8, 0.2], { generator: new Generator().manual_seed(seed) });
    const [train, val] = split(1);
    const seen = [...train.indices, ...val.indices].sort((a, b) => a - b);
    expect(seen).toEqual([...Array(150).keys()]);
    expect(split(1)[1].indices).toEqual(val.indices);
    expect(split(2)[1].indices).not.toEqual(val.indices);
    expect(val.__getitem__(0)[0].tolistSync()).toEqual(
      tenRows(150).__getitem__(val.indices[0])[0].tolistSync(),
    );
  });

  it("checks the lengths", () => {
    expect(() => random_split(tenRows(), [3, 3])).toThrow(
      "Sum of input lengths does not equal the length of the input dataset!",
    );
    expect(() => random_split(tenRows(), [1.5, -0.5])).toThrow(
      "Fraction at index 0 is not between 0 and 1",
    );
  });
});

/** A custom dataset, as a student writes one: samples are `{ x, label, name }` records. */
class Squares extends Dataset<{ x: Tensor; label: number; name: string }> {
  __len__(): number {
    return 5;
  }
  __getitem__(i: number) {
    return { x: tensor([i, i * i]), label: i % 2, name: `s${i}` };
  }
}

describe("custom datasets and default_collate", () => {
  it("collates a Dataset subclass's samples per key", () => {
    const loader = new DataLoader(new Squares(), { batch_size: 2 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches).toHaveLength(3);
    const { x, label, name } = batches[1];
    expect(x.shape).toEqual([2, 2]);
    expect(x.tolistSync()).toEqual([
      [2, 4],
      [3, 9],
    ]);
    expect(label.dtype).toBe("float32");
    expect(label.tolistSync()).toEqual([0, 1]);
    expect(name).toEqual(["s2", "s3"]);
    expect(batches[2].x.shape).toEqual([1, 2]);
  });

  it("goes through __getitem__ for a TensorDataset subclass that overrides it", () => {
    class Doubled extends TensorDataset {
      override __getitem__(i: number): Tensor[] {
        return super.__getitem__(i).map((t) => t.mul(2));
      }
    }
    const base = tenRows();
    const loader = new DataLoader(new Doubled(...base.tensors), { batch_size: 4 });
    expect(batchIds(loader)[0]).toEqual([0, 2, 4, 6]);
  });

  it("collates tuples elementwise, numbers to float32, bigints to int64", () => {
    const [x, y, flag] = default_collate([
      [tensor([1, 2]), 3n, true],
      [tensor([3, 4]), 5n, false],
    ]);
    expect(x.tolistSync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(y.dtype).toBe("int64");
    expect(y.tolistSync()).toEqual([3, 5]);
    expect(flag.dtype).toBe("bool");
    expect(default_collate([0.5, 1.5]).dtype).toBe("float32");
  });

  it("explains what it cannot collate", () => {
    expect(() => default_collate([[1, 2], [3]])).toThrow(
      "each element in list of batch should be of equal size",
    );
    expect(() => default_collate([null, null])).toThrow(
      "default_collate: batch must contain tensors, numbers, dicts or lists; found null",
    );
    expect(() => default_collate([tensor([1]), tensor([1, 2])])).toThrow(
      "stack expects each tensor to be equal size",
    );
  });

  it("takes a plain array as a dataset, a collate_fn, and batch_size null", () => {
    const loader = new DataLoader([1, 2, 3, 4, 5], {
      batch_size: 2,
      collate_fn: (batch: number[]) => batch.reduce((a, b) => a + b, 0),
    });
    expect([...loader]).toEqual([3, 7, 5]);
    const unbatched = new DataLoader(new Squares(), { batch_size: null });
    expect(unbatched.length).toBe(5);
    expect([...unbatched].map((s) => s.name)).toEqual(["s0", "s1", "s2", "s3", "s4"]);
  });

  it("takes a sampler", () => {
    const sampler = new RandomSampler(tenRows(), {
      replacement: true,
      num_samples: 30,
      generator: new Generator().manual_seed(3),
    });
    const loader = new DataLoader(tenRows(), { batch_size: 10, sampler });
    const ids = batchIds(loader).flat();
    expect(loader.length).toBe(3);
    expect(ids).toHaveLength(30);
    expect(ids.every((i) => i >= 0 && i < 10)).toBe(true);
    expect(new Set(ids).size).toBeLessThan(30); // drawn with replacement
  });

  it("checks its options with PyTorch's messages", () => {
    const ds = tenRows();
    expect(() => new DataLoader(ds, { batch_size: 0 })).toThrow(
      "batch_size should be a positive integer value, but got batch_size=0",
    );
    expect(() => new DataLoader(ds, { shuffle: true, sampler: new RandomSampler(ds) })).toThrow(
      "sampler option is mutually exclusive with shuffle",
    );
    expect(() => new DataLoader(ds, { batch_size: null, drop_last: true })).toThrow(
      "batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
    );
    expect(() => new DataLoader(ds, { batch_szie: 4 } as never)).toThrow(
      "DataLoader() got an unexpected keyword argument 'batch_szie'",
    );
  });
});

describe("transforms", () => {
  it("Normalize works per channel (dim -3) on images and batches of images", () => {
    const norm = new transforms.Normalize([1, 2], [2, 4]);
    const img = tensor([[[1, 3]], [[2, 10]]]); // [C=2, H=1, W=2]
    expect(norm(img).tolistSync()).toEqual([[[0, 1]], [[0, 2]]]);
    const batch = img.unsqueeze(0).expand(3, 2, 1, 2);
    const out = norm(batch);
    expect(out.shape).toEqual([3, 2, 1, 2]);
    expect(out.index(2).tolistSync()).toEqual([[[0, 1]], [[0, 2]]]);
  });

  it("Normalize works per feature (last dim) on tabular data", () => {
    const norm = new transforms.Normalize([0, 10, 100], [1, 2, 10]);
    expect(norm(tensor([1, 12, 120])).tolistSync()).toEqual([1, 1, 2]);
    expect(
      norm(
        tensor([
          [1, 12, 120],
          [0, 10, 100],
        ]),
      ).tolistSync(),
    ).toEqual([
      [1, 1, 2],
      [0, 0, 0],
    ]);
    expect(new transforms.Normalize(0.5, 0.5)(tensor([1.5, 0.5])).tolistSync()).toEqual([2, 0]);
  });

  it("Normalize explains bad input", () => {
    const norm = new transforms.Normalize([0.5, 0.5], [0.5, 0.5]);
    expect(() => norm(tensor([[[1]], [[1]], [[1]]]))).toThrow(
      "Normalize: mean has 2 values but the input [3, 1, 1] has 3 channels (dim -3)",
    );
    expect(() => norm(arange(2))).toThrow("Input tensor should be a float tensor. Got int64.");
    expect(() => new transforms.Normalize([0], [0])(tensor([1]))).toThrow(
      "std evaluated to zero after conversion to float32, leading to division by zero.",
    );
  });

  it("Compose applies transforms in order; Lambda wraps a function", () => {
    const t = new transforms.Compose([
      new transforms.Lambda((x: Tensor) => x.flatten()),
      new transforms.Normalize([1], [2]),
      (x: Tensor) => x.mul(10),
    ]);
    expect(
      t(
        tensor([
          [1, 3],
          [5, 7],
        ]),
      ).tolistSync(),
    ).toEqual([0, 10, 20, 30]);
    expect(t).toBeInstanceOf(transforms.Compose);
    expect(String(t)).toBe(
      "Compose(\n    Lambda()\n    Normalize(mean=[1], std=[2])\n    (x) => x.mul(10)\n)",
    );
    expect(() => new transforms.Lambda(3 as never)).toThrow("Argument lambd should be callable");
  });

  it("TransformedDataset applies transform to inputs and target_transform to targets", () => {
    const ds = new TransformedDataset(tenRows(), {
      transform: new transforms.Normalize([0, 10, 20], [2, 2, 2]),
      target_transform: (y: Tensor) => y.add(100),
    });
    expect(ds.length).toBe(10);
    const [xb, yb] = [...new DataLoader(ds, { batch_size: 4 })][0];
    expect(xb.tolistSync()).toEqual([
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [1, 1, 1],
      [1.5, 1.5, 1.5],
    ]);
    expect(yb.tolistSync()).toEqual([100, 101, 102, 100]);
  });
});
