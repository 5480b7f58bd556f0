/**
 * `F.conv2d` and `F.max_pool2d` on NCHW images, both through im2col: every receptive field
 * becomes a column, so a convolution is one matmul and a max pool is an argmax per column.
 */

import { type Conv2dGeometry, convOutputSize } from "@gradbook/kernels";
import { type PyArgs, parseArgs } from "../../args.js";
import { cat } from "../../functions.js";
import * as ops from "../../ops.js";
import { shapeStr } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { pair } from "../config.js";

export type IntOrPair = number | [number, number];

/** The image as a 4-D batch, and whether it was unbatched (3-D) to begin with. */
function batched(fn: string, input: Tensor): [Tensor, boolean] {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new Error(
      `Expected 3D (unbatched) or 4D (batched) input to ${fn}, but got input of size: ${shapeStr(input.shape)}`,
    );
  }
  if (!input.is_floating_point()) {
    throw new TypeError(
      `${fn}: expected a float32 input, got ${input.dtype} (convert it with x.float())`,
    );
  }
  return input.ndim === 3 ? [input.unsqueeze(0), true] : [input, false];
}

interface Window {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** The columns [n, c*kh*kw, oh*ow] of x for a sliding window, and the output's spatial size. */
function patches(x: Tensor, w: Window, padValue: number): { cols: Tensor; oh: number; ow: number } {
  const [n, c, h, wd] = x.shape;
  const g: Conv2dGeometry = {
    n,
    c,
    h,
    w: wd,
    kh: w.kernel[0],
    kw: w.kernel[1],
    strideH: w.stride[0],
    strideW: w.stride[1],
    padH: w.padding[0],
    padW: w.padding[1],
    dilationH: w.dilation[0],
    dilationW: w.dilation[1],
    padValue,
  };
  const [oh, ow] = convOutputSize(g);
  if (oh <= 0 || ow <= 0) {
    const ph = h + 2 * g.padH;
    const pw = wd + 2 * g.padW;
    const eh = g.dilationH * (g.kh - 1) + 1;
    const ew = g.dilationW * (g.kw - 1) + 1;
    throw new Error(
      `Calculated padded input size per channel: (${ph} x ${pw}). Kernel size: (${eh} x ${ew}). Kernel size can't be greater than actual input size`,
    );
  }
  return { cols: ops.im2col(x, g, [n, c * g.kh * g.kw, oh * ow]), oh, ow };
}

function positive(fn: string, name: string, p: [number, number], min: number): void {
  if (p[0] < min || p[1] < min) {
    throw new Error(
      `${fn}: ${name} must be ${min === 0 ? "non-negative" : "positive"}, got ${shapeStr(p)}`,
    );
  }
}

/** "same" padding keeps the size at stride 1 (symmetric padding only: odd effective kernels). */
function resolvePadding(
  padding: IntOrPair | "same" | "valid",
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
): [number, number] {
  if (padding === "valid") return [0, 0];
  if (padding !== "same") return pair("conv2d", "padding", padding);
  if (stride[0] !== 1 || stride[1] !== 1) {
    throw new Error("padding='same' is not supported for strided convolutions");
  }
  const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
  if (total[0] % 2 !== 0 || total[1] % 2 !== 0) {
    throw new Error(
      "conv2d: padding='same' with an even kernel needs uneven padding, which isn't supported; use an odd kernel_size or explicit padding",
    );
  }
  return [total[0] / 2, total[1] / 2];
}

/**
 * 2-D convolution (PyTorch's cross-correlation) of x [N, C_in, H, W] (or unbatched [C_in, H, W])
 * with weight [C_out, C_in / groups, kH, kW].
 */
export function conv2d(
  input: Tensor,
  ...args: PyArgs<
    [
      weight: Tensor,
      bias: Tensor | null,
      stride: IntOrPair,
      padding: IntOrPair | "same" | "valid",
      dilation: IntOrPair,
      groups: number,
    ],
    {
      weight?: Tensor;
      bias?: Tensor | null;
      stride?: IntOrPair;
      padding?: IntOrPair | "same" | "valid";
      dilation?: IntOrPair;
      groups?: number;
    }
  >
): Tensor {
  const o = parseArgs(
    "conv2d",
    args,
    ["weight", "bias", "stride", "padding", "dilation", "groups"],
    {
      weight: undefined as Tensor | undefined,
      bias: null as Tensor | null,
      stride: 1 as IntOrPair,
      padding: 0 as IntOrPair | "same" | "valid",
      dilation: 1 as IntOrPair,
      groups: 1,
    },
  );
  const weight = o.weight;
  if (!weight) throw new TypeError("conv2d() missing 1 required positional argument: 'weight'");
  const [x, unbatched] = batched("conv2d", input);
  if (weight.ndim !== 4) {
    throw new Error(
      `conv2d: expected a 4-D weight [out_channels, in_channels/groups, kH, kW], got ${shapeStr(weight.shape)}`,
    );
  }
  const groups = o.groups;
  const [cout, cinPerGroup, kh, kw] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1)
    throw new Error("non-positive groups is not supported");
  if (x.shape[1] !== cinPerGroup * groups) {
    throw new Error(
      `Given groups=${groups}, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(x.shape)} to have ${cinPerGroup * groups} channels, but got ${x.shape[1]} channels instead`,
    );
  }
  if (cout % groups !== 0) throw new Error("out_channels must be divisible by groups");
  if (o.bias && (o.bias.ndim !== 1 || o.bias.shape[0] !== cout)) {
    throw new Error(
      `Given weight of size ${shapeStr(weight.shape)}, expected bias to be 1-dimensional with ${cout} elements, but got bias of size ${shapeStr(o.bias.shape)} instead`,
    );
  }
  const stride = pair("conv2d", "stride", o.stride);
  const dilation = pair("conv2d", "dilation", o.dilation);
  positive("conv2d", "stride", stride, 1);
  positive("conv2d", "dilation", dilation, 1);
  const padding = resolvePadding(o.padding, [kh, kw], stride, dilation);
  positive("conv2d", "padding", padding, 0);
  const window: Window = { kernel: [kh, kw], stride, padding, dilation };

  const coutPerGroup = cout / groups;
  const outputs: Tensor[] = [];
  let oh = 0;
  let ow = 0;
  for (let g = 0; g < groups; g++) {
    const xg = groups === 1 ? x : x.narrow(1, g * cinPerGroup, cinPerGroup);
    const wg = groups === 1 ? weight : weight.narrow(0, g * coutPerGroup, coutPerGroup);
    const p = patches(xg, window, 0);
    oh = p.oh;
    ow = p.ow;
    // [C_out, C_in*kh*kw] @ [N, C_in*kh*kw, L] -> [N, C_out, L]; the weight broadcasts over N.
    outputs.push(wg.reshape(coutPerGroup, -1).matmul(p.cols));
  }
  let out = (groups === 1 ? outputs[0] : cat(outputs, 1)).reshape(x.shape[0], cout, oh, ow);
  if (o.bias) out = out.add(o.bias.reshape(1, cout, 1, 1));
  return unbatched ? out.squeeze(0) : out;
}

/**
 * Max over each kH x kW window. Padding reads -inf, and the gradient goes to the first
 * maximum in the window (argmax + gather), as PyTorch routes it.
 */
export function max_pool2d(
  input: Tensor,
  ...args: PyArgs<
    [
      kernel_size: IntOrPair,
      stride: IntOrPair | null,
      padding: IntOrPair,
      dilation: IntOrPair,
      ceil_mode: boolean,
      return_indices: boolean,
    ],
    {
      kernel_size?: IntOrPair;
      stride?: IntOrPair | null;
      padding?: IntOrPair;
      dilation?: IntOrPair;
      ceil_mode?: boolean;
      return_indices?: boolean;
    }
  >
): Tensor {
  const o = parseArgs(
    "max_pool2d",
    args,
    ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
    {
      kernel_size: undefined as IntOrPair | undefined,
      stride: null as IntOrPair | null,
      padding: 0 as IntOrPair,
      dilation: 1 as IntOrPair,
      ceil_mode: false,
      return_indices: false,
    },
  );
  if (o.kernel_size === undefined) {
    throw new TypeError("max_pool2d() missing 1 required positional argument: 'kernel_size'");
  }
  if (o.ceil_mode) throw new Error("max_pool2d: ceil_mode=True is not supported yet");
  if (o.return_indices) throw new Error("max_pool2d: return_indices=True is not supported yet");
  const [x, unbatched] = batched("max_pool2d", input);
  const kernel = pair("max_pool2d", "kernel_size", o.kernel_size);
  const stride = o.stride === null ? kernel : pair("max_pool2d", "stride", o.stride);
  const padding = pair("max_pool2d", "padding", o.padding);
  const dilation = pair("max_pool2d", "dilation", o.dilation);
  positive("max_pool2d", "kernel_size", kernel, 1);
  positive("max_pool2d", "stride", stride, 1);
  positive("max_pool2d", "dilation", dilation, 1);
  positive("max_pool2d", "padding", padding, 0);
  for (const i of [0, 1]) {
    const effective = dilation[i] * (kernel[i] - 1) + 1;
    if (padding[i] * 2 > effective) {
      throw new Error(
        `pad should be at most half of effective kernel size, but got pad=${padding[i]}, kernel_size=${kernel[i]} and dilation=${dilation[i]}`,
      );
    }
  }
  const [n, c] = x.shape;
  const { cols, oh, ow } = patches(
    x,
    { kernel, stride, padding, dilation },
    Number.NEGATIVE_INFINITY,
  );
  const windows = cols.reshape(n, c, kernel[0] * kernel[1], oh * ow);
  const first = windows.argmax(2, true);
  const out = windows.gather(2, first).reshape(n, c, oh, ow);
  return unbatched ? out.squeeze(0) : out;
}
