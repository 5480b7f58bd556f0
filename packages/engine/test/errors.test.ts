/** Errors a student can act on: the op, the shapes, the dims, worded as PyTorch words them. */
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error, but none was thrown");
}

describe("shape mismatches", () => {
  it("matmul names both shapes", () => {
    expect(() => torch.randn(5, 7).matmul(torch.randn(6, 3))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (5x7 and 6x3)",
    );
    expect(() => torch.randn(5, 7).mm(torch.randn(6, 3))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (5x7 and 6x3)",
    );
    expect(() => torch.matmul(torch.randn(7), torch.randn(6, 3))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (7 and 6x3)",
    );
    expect(() => torch.randn(5, 7).matmul(torch.randn(6))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (5x7 and 6)",
    );
    expect(() => torch.randn(2, 5, 7).matmul(torch.randn(2, 6, 3))).toThrow(
      "mat1 and mat2 shapes cannot be multiplied (2x5x7 and 2x6x3)",
    );
    expect(() => torch.randn(5).matmul(torch.randn(6))).toThrow(
      "inconsistent tensor size, expected tensor [5] and src [6] to have the same number of elements, but got 5 and 6 elements respectively",
    );
    expect(() => torch.randn(5).dot(torch.randn(2, 5))).toThrow(
      "1D tensors expected, but got 1D and 2D tensors",
    );
    expect(() => torch.randn(2, 3, 4).matmul(torch.randn(3, 4, 5))).toThrow(
      /must match the size of tensor b \(3\) at non-singleton dimension 0.*matmul/,
    );
    expect(() => torch.randn(3).matmul(torch.tensor(2))).toThrow(
      "both arguments to matmul need to be at least 1D, but they are 1D and 0D",
    );
  });

  it("broadcasting names the sizes, the dimension, the op and both shapes", () => {
    const m = message(() => torch.ones(2, 3).add(torch.ones(4)));
    expect(m).toContain(
      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
    );
    expect(m).toContain("add");
    expect(m).toContain("[2, 3]");
    expect(m).toContain("[4]");
    expect(() => torch.ones(2, 3).mul(torch.ones(3, 2))).toThrow(/mul.*\[2, 3\].*\[3, 2\]/);
    expect(() => torch.where(torch.ones(2).gt(0), torch.ones(3), 0)).toThrow(/where/);
  });

  it("cat names the dim, the sizes, the tensor and both shapes", () => {
    expect(() => torch.cat([torch.randn(2, 3), torch.randn(2, 4)])).toThrow(
      "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list",
    );
    expect(() => torch.cat([torch.randn(2, 3), torch.randn(2, 4)])).toThrow(/\[2, 3\].*\[2, 4\]/);
    expect(() => torch.cat([torch.randn(2, 3), torch.randn(2)])).toThrow(
      "Tensors must have same number of dimensions: got 2 and 1",
    );
    expect(() => torch.cat([])).toThrow("expected a non-empty list of Tensors");
    expect(() => torch.cat([torch.tensor(1), torch.tensor(2)])).toThrow(
      "zero-dimensional tensor (at position 0) cannot be concatenated",
    );
    expect(() => torch.cat([torch.randn(2, 3)], 2)).toThrow(
      "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    );
  });

  it("stack names both shapes", () => {
    expect(() => torch.stack([torch.randn(2, 3), torch.randn(2, 4)])).toThrow(
      "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1",
    );
    expect(() => torch.stack([])).toThrow("stack expects a non-empty TensorList");
    expect(() => torch.stack([torch.ones(2), torch.ones(2)], -3)).toThrow(
      "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
    );
  });

  it("expand", () => {
    expect(() => torch.randn(2, 3).expand(4, 4)).toThrow(
      "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [4, 4].  Tensor sizes: [2, 3]",
    );
    expect(() => torch.randn(2, 3).expand(-1, 2, 3)).toThrow(
      "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0",
    );
    expect(() => torch.randn(2, 3).expand(3)).toThrow(
      "the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
    );
  });

  it("reshape / view with an invalid size", () => {
    expect(() => torch.randn(2, 3).reshape(4, 2)).toThrow(
      "shape '[4, 2]' is invalid for input of size 6",
    );
    expect(() => torch.randn(2, 3).reshape(-1, 4)).toThrow(
      "shape '[-1, 4]' is invalid for input of size 6",
    );
    expect(() => torch.randn(2, 3).view(-1, -1)).toThrow("only one dimension can be inferred");
    expect(() => torch.randn(2, 3).reshape(2, -2)).toThrow(/invalid shape dimension -2/);
  });

  it("view of a non-contiguous tensor", () => {
    expect(() => torch.randn(2, 3).t().view(6)).toThrow(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    expect(() => torch.randn(2, 3).t().reshape(6)).not.toThrow();
  });

  it("permute / repeat / narrow / split / chunk", () => {
    expect(() => torch.randn(2, 3).permute(0)).toThrow(
      "number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1",
    );
    expect(() => torch.randn(2, 3).permute(0, 0)).toThrow(
      "permute(): duplicate dims are not allowed",
    );
    expect(() => torch.randn(2, 3).repeat(2)).toThrow(
      "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
    );
    expect(() => torch.randn(2, 3).narrow(1, 2, 2)).toThrow(
      "start (2) + length (2) exceeds dimension size (3).",
    );
    expect(() => torch.randn(2, 3).chunk(0)).toThrow(
      "chunk expects `chunks` to be greater than 0, got: 0",
    );
    expect(() => torch.randn(2, 3).split(0)).toThrow(
      "split_size can only be 0 if dimension size is 0",
    );
  });

  it("gather with a wrongly shaped index", () => {
    expect(() => torch.randn(2, 3).gather(1, torch.tensor([0n, 1n]))).toThrow(
      /gather\(\).*\[2\].*\[2, 3\]/,
    );
  });

  it("a backward gradient of the wrong shape", () => {
    const y = torch.ones(2, { requires_grad: true }).mul(2);
    expect(() => y.backward(torch.ones(3))).toThrow(
      "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2].",
    );
  });
});

describe("dtypes", () => {
  it("index with a float tensor", () => {
    expect(() => torch.randn(2, 3).index(torch.tensor([0]))).toThrow(
      /tensors used as indices must be long \(int64\) tensors, but got float32/,
    );
    expect(() => torch.randn(3).index_select(0, torch.tensor([0]))).toThrow(/int64/);
    expect(() => torch.randn(3, 2).gather(0, torch.tensor([[0, 1]]))).toThrow(
      "gather(): Expected dtype int64 for index, but got float32",
    );
  });

  it("matmul of int64 says to convert", () => {
    const m = message(() => torch.tensor([[1n, 2n]]).matmul(torch.tensor([[1n], [2n]])));
    expect(m).toContain("int64");
    expect(m).toContain(".float()");
    expect(() => torch.tensor([1n, 2n]).matmul(torch.tensor([1, 2]))).toThrow(
      /float32.*int64 and float32/,
    );
  });

  it("mean of an integer tensor", () => {
    expect(() => torch.tensor([1n, 2n]).mean()).toThrow(
      "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: int64",
    );
  });

  it("requires_grad on an integer tensor", () => {
    expect(() => torch.arange(3).requires_grad_()).toThrow(
      "only Tensors of floating point and complex dtype can require gradients",
    );
  });

  it("bool subtraction", () => {
    expect(() => torch.tensor([true]).sub(torch.tensor([false]))).toThrow(
      "Subtraction, the `-` operator, with two bool tensors is not supported.",
    );
  });

  it("values that don't fit a dtype", () => {
    expect(() => torch.tensor([Number.NaN], { dtype: torch.int64 })).toThrow(
      "cannot convert NaN to int64",
    );
  });
});

describe("dims out of range", () => {
  it("names the valid range and the dim", () => {
    const x = torch.randn(2, 3);
    const msg = "Dimension out of range (expected to be in range of [-2, 1], but got 2)";
    expect(() => x.sum(2)).toThrow(msg);
    expect(() => x.mean(2)).toThrow(msg);
    expect(() => x.max(2)).toThrow(msg);
    expect(() => x.argmax(2)).toThrow(msg);
    expect(() => x.softmax(2)).toThrow(msg);
    expect(() => x.transpose(0, 2)).toThrow(msg);
    expect(() => x.size(2)).toThrow(msg);
    expect(() => x.flatten(2)).toThrow(msg);
    expect(() => x.squeeze(2)).toThrow(msg);
    expect(() => x.index_select(2, torch.tensor([0n]))).toThrow(msg);
    expect(() => x.gather(2, torch.tensor([[0n]]))).toThrow(msg);
    expect(() => x.narrow(2, 0, 1)).toThrow(msg);
    expect(() => x.select(-3, 0)).toThrow(
      "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
    );
    expect(() => x.log_softmax(-3)).toThrow("but got -3");
    expect(() => x.unsqueeze(3)).toThrow(
      "Dimension out of range (expected to be in range of [-3, 2], but got 3)",
    );
    expect(() => x.sum([0, 0])).toThrow("dim 0, 0 appears multiple times in the list of dims");
  });

  it("0-d tensors accept dims -1 and 0", () => {
    const s = torch.tensor(3);
    expect(s.sum(0).itemSync()).toBe(3);
    expect(s.sum(-1).itemSync()).toBe(3);
    expect(() => s.sum(1)).toThrow(
      "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    );
  });
});

describe("index out of range", () => {
  const x = torch.randn(2, 3);
  it("ints", () => {
    expect(() => x.index(2)).toThrow("index 2 is out of bounds for dimension 0 with size 2");
    expect(() => x.index(-3)).toThrow("index -3 is out of bounds for dimension 0 with size 2");
    expect(() => x.index(0, 3)).toThrow("index 3 is out of bounds for dimension 1 with size 3");
    expect(() => x.select(1, 5)).toThrow("index 5 is out of bounds for dimension 1 with size 3");
    expect(() => x.index(0, 0, 0)).toThrow("too many indices for tensor of dimension 2");
  });
  it("tensor indices", () => {
    expect(() => x.index(torch.tensor([0n, 5n]))).toThrow(
      "index 5 is out of bounds for dimension 0 with size 2",
    );
    expect(() => x.index(torch.tensor([0n, -3n]))).toThrow(
      "index -3 is out of bounds for dimension 0 with size 2",
    );
    expect(() => x.index(":", torch.tensor([3n]))).toThrow(
      "index 3 is out of bounds for dimension 1 with size 3",
    );
    expect(() => x.index_select(1, torch.tensor([3n]))).toThrow(
      "index 3 is out of bounds for dimension 1 with size 3",
    );
    expect(() => x.gather(1, torch.tensor([[3n], [0n]]))).toThrow(
      "index 3 is out of bounds for dimension 1 with size 3",
    );
    expect(() => x.gather(1, torch.tensor([[-1n], [0n]]))).toThrow(
      "index -1 is out of bounds for dimension 1 with size 3",
    );
  });
  it("slices", () => {
    expect(() => x.index("0:1:0")).toThrow("slice step cannot be zero");
    expect(() => x.index("::-1")).toThrow("step must be greater than zero");
    expect(() => x.index("a:b")).toThrow(/invalid slice 'a:b'/);
    expect(() => x.index("...", "...")).toThrow("an index can only have a single ellipsis ('...')");
  });
  it("item of a tensor with more than one element", () => {
    expect(() => x.itemSync()).toThrow("a Tensor with 6 elements cannot be converted to Scalar");
  });
  it("max of an empty tensor", () => {
    expect(() => torch.zeros(0).max()).toThrow(
      "max(): Expected reduction dim to be specified for input.numel() == 0.",
    );
  });
});

describe("keyword arguments", () => {
  it("an unknown keyword names the function and the keyword", () => {
    const x = torch.randn(2, 3);
    // @ts-expect-error: keepdims is numpy's spelling
    expect(() => x.sum({ keepdims: true })).toThrow(
      "sum() got an unexpected keyword argument 'keepdims'",
    );
    // @ts-expect-error: unknown keyword
    expect(() => x.mean(1, { keepdims: true })).toThrow(
      "mean() got an unexpected keyword argument 'keepdims'",
    );
    // @ts-expect-error: unknown keyword
    expect(() => x.var({ ddof: 1 })).toThrow("var() got an unexpected keyword argument 'ddof'");
    // @ts-expect-error: unknown keyword
    expect(() => x.backward({ retain: true })).toThrow(
      "backward() got an unexpected keyword argument 'retain'",
    );
    // @ts-expect-error: unknown keyword
    expect(() => x.flatten({ start: 1 })).toThrow(
      "flatten() got an unexpected keyword argument 'start'",
    );
  });

  it("an argument given twice", () => {
    const x = torch.randn(2, 3);
    expect(() => x.sum(1, { dim: 0 })).toThrow("sum() got multiple values for argument 'dim'");
  });

  it("too many positional arguments", () => {
    const x = torch.randn(2, 3);
    // @ts-expect-error: too many
    expect(() => x.sum(0, true, 1)).toThrow("sum() takes 2 positional arguments but 3 were given");
  });
});

describe("use after dispose", () => {
  it("reading or computing with a disposed tensor says so", () => {
    const x = torch.ones(3);
    x.dispose();
    expect(() => x.add(1)).toThrow("This tensor was disposed; its memory is gone.");
    expect(() => x.dataSync()).toThrow(/disposed/);
    expect(() => x.toString()).toThrow(/disposed/);
  });

  it("views of a disposed tensor are disposed too", () => {
    const x = torch.ones(2, 2);
    const v = x.index(0);
    x.dispose();
    expect(() => v.tolistSync()).toThrow(/disposed/);
  });

  it("disposing twice is harmless", () => {
    const x = torch.ones(3);
    x.dispose();
    expect(() => x.dispose()).not.toThrow();
  });

  it("a disposed tensor saved for backward gives the same clear error", () => {
    const x = torch.ones(3, { requires_grad: true });
    const y = x.exp();
    const loss = y.sum();
    y.dispose();
    expect(() => loss.backward()).toThrow(/disposed/);
  });
});
