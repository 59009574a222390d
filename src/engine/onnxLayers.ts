/**
 * @file The library's layers as ONNX nodes, in inference (eval) semantics: Conv, ConvTranspose,
 * LayerNormalization (for InstanceNorm2d), BatchNormalization, Pad reflect, Relu, LeakyRelu, Tanh,
 * and Dropout as Identity. exportOnnx.ts's tracer calls these for every layer a forward pass runs; anything a
 * model's own code does between layers (tf.add, tf.concat…) is onnxOps.ts's.
 *
 * Each layer also says its output shape (NCHW) without computing anything, so the trace runs
 * no convolutions: it checks what the layer's own forward would check (channels, sizes).
 * Weights come from the layer's `stateDict()`, i.e. in PyTorch's layout (OIHW, IOHW for
 * transposed convolutions), which is also ONNX's.
 */
import * as nn from "../nn";
import { OnnxGraph } from "./onnx";

/** What an emitter gets: the graph, the layer's dotted path, and its weights as initializers. */
export interface LayerContext {
  g: OnnxGraph;
  /** The initializer holding the layer's own tensor `name` (`weight`, `running_mean`…), or undefined if it has none. */
  param(name: string): string | undefined;
}

interface LayerExport<M extends nn.Module> {
  /** The output's NCHW shape for an NCHW input, or a one-line reason the layer cannot take it. */
  outputShape(m: M, x: number[]): number[] | string;
  /** Adds the layer's nodes on the NCHW value `x`; returns the name of the value it produced. */
  emit(c: LayerContext, m: M, x: string): string;
}

const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

function channelsMustBe(n: number, x: number[]): string | undefined {
  return x[1] === n ? undefined : `expected input ${shapeStr(x)} to have ${n} channels, but got ${x[1]} channels instead`;
}

function convShape(m: nn.Conv2d, x: number[]): number[] | string {
  const [ph, pw] = m.padding;
  const [kh, kw] = m.kernelSize;
  const [sh, sw] = m.stride;
  const [h, w] = [x[2] + 2 * ph, x[3] + 2 * pw];
  if (h < kh || w < kw) return `input ${shapeStr(x)} is ${h}×${w} after padding, smaller than the kernel ${kh}×${kw}`;
  return channelsMustBe(m.inChannels, x) ?? [x[0], m.outChannels, Math.floor((h - kh) / sh) + 1, Math.floor((w - kw) / sw) + 1];
}

function conv(c: LayerContext, m: nn.Conv2d | nn.ConvTranspose2d, x: string, op: "Conv" | "ConvTranspose"): string {
  const inputs = [x, c.param("weight")!];
  const bias = c.param("bias");
  if (bias !== undefined) inputs.push(bias);
  const [ph, pw] = m.padding;
  const attributes: Record<string, number[]> = {
    kernel_shape: [...m.kernelSize],
    strides: [...m.stride],
    pads: [ph, pw, ph, pw], // ONNX: all begins, then all ends
  };
  if (m instanceof nn.ConvTranspose2d) attributes.output_padding = [...m.outputPadding];
  return c.g.node(op, inputs, attributes);
}

function norm(c: LayerContext, m: nn.InstanceNorm2d | nn.BatchNorm2d, x: string): string {
  const n = m.numFeatures;
  const [weight, bias] = [c.param("weight"), c.param("bias")];
  // In eval, a norm with running statistics uses them (BatchNorm, or InstanceNorm with
  // track_running_stats=True); otherwise it normalises each image by its own statistics.
  const [mean, variance] = [c.param("running_mean"), c.param("running_var")];
  if (mean !== undefined && variance !== undefined) {
    // Non-affine norms: ONNX still wants a scale (ones) and a bias (zeros).
    const [scale, shift] = [weight ?? c.g.filled("ones", 1, n), bias ?? c.g.filled("zeros", 0, n)];
    return c.g.node("BatchNormalization", [x, scale, shift, mean, variance], { epsilon: { float: m.eps } });
  }
  // Each image and channel over its height and width: LayerNormalization from axis 2. Not ONNX's
  // InstanceNormalization, whose statistics onnxruntime computes less precisely: after the first
  // layer of test/fixtures/notebook's generator on a 256×295 photo, 1.1e-4 off PyTorch, where
  // LayerNormalization is 1.2e-6 off (and the whole generator 2.5e-4 against 7e-6). Its scale and
  // bias broadcast over H×W, so they are 1 and 0 here; the per-channel affine part follows.
  let y = c.g.node("LayerNormalization", [x, c.g.filled("ones", 1, 1), c.g.filled("zeros", 0, 1)], { axis: 2, epsilon: { float: m.eps } });
  // The affine part per channel: [C] → [C, 1, 1], so it broadcasts over N×C×H×W.
  const perChannel = (t: string) => c.g.node("Unsqueeze", [t, c.g.int64("axes", [1, 2])]);
  if (weight !== undefined) y = c.g.node("Mul", [y, perChannel(weight)]);
  if (bias !== undefined) y = c.g.node("Add", [y, perChannel(bias)]);
  return y;
}

const sameShape = (_m: nn.Module, x: number[]) => x;
const normShape = (m: nn.InstanceNorm2d | nn.BatchNorm2d, x: number[]) => channelsMustBe(m.numFeatures, x) ?? x;

/** Most specific class first: the table lists subclasses before anything they extend. */
const LAYERS: [abstract new (...args: any[]) => nn.Module, LayerExport<any>][] = [
  [nn.Conv2d, { outputShape: convShape, emit: (c, m: nn.Conv2d, x) => conv(c, m, x, "Conv") }],
  [nn.ConvTranspose2d, {
    outputShape: (m: nn.ConvTranspose2d, x) => channelsMustBe(m.inChannels, x) ?? [x[0], m.outChannels, m.outputSize(x[2], 0), m.outputSize(x[3], 1)],
    emit: (c, m: nn.ConvTranspose2d, x) => conv(c, m, x, "ConvTranspose"),
  }],
  [nn.InstanceNorm2d, { outputShape: normShape, emit: norm }],
  [nn.BatchNorm2d, { outputShape: normShape, emit: norm }],
  [nn.ReflectionPad2d, {
    outputShape: (m: nn.ReflectionPad2d, x) => {
      const [left, right, top, bottom] = m.padding;
      // Reflection needs an edge pixel plus `pad` more on each side, as PyTorch checks.
      if (Math.max(top, bottom) >= x[2] || Math.max(left, right) >= x[3]) {
        return `padding (${m.padding.join(", ")}) must be smaller than the input's height and width, but got input of shape ${shapeStr(x)}`;
      }
      return [x[0], x[1], x[2] + top + bottom, x[3] + left + right];
    },
    emit: (c, m: nn.ReflectionPad2d, x) => {
      const [left, right, top, bottom] = m.padding;
      const pads = c.g.int64("pads", [0, 0, top, left, 0, 0, bottom, right]); // NCHW begins, then ends
      return c.g.node("Pad", [x, pads], { mode: "reflect" });
    },
  }],
  [nn.ReLU, { outputShape: sameShape, emit: (c, _m, x) => c.g.node("Relu", [x]) }],
  [nn.LeakyReLU, { outputShape: sameShape, emit: (c, m: nn.LeakyReLU, x) => c.g.node("LeakyRelu", [x], { alpha: { float: m.negativeSlope } }) }],
  [nn.Tanh, { outputShape: sameShape, emit: (c, _m, x) => c.g.node("Tanh", [x]) }],
  [nn.Dropout, { outputShape: sameShape, emit: (c, _m, x) => c.g.node("Identity", [x]) }], // eval: a no-op
];

/** How `m` becomes ONNX nodes when it is one of the library's layers; undefined for anything else (traced into). */
export function layerExport(m: nn.Module): LayerExport<nn.Module> | undefined {
  return LAYERS.find(([cls]) => m instanceof cls)?.[1];
}

/** The layer classes with an export (the tracer stands in for their forward passes). */
export function layerClasses(): (abstract new (...args: any[]) => nn.Module)[] {
  return LAYERS.map(([cls]) => cls);
}
