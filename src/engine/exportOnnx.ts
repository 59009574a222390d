/**
 * @file `exportOnnx(module, channels)`: the ONNX graph of a stripes module tree, in
 * inference (eval) semantics, with dynamic batch, height and width.
 *
 * Each module class has an emitter below that adds its ONNX nodes (Conv, ConvTranspose,
 * InstanceNormalization, Pad reflect, Relu, LeakyRelu, Tanh, Add, BatchNormalization…) and
 * returns the value it produced. Weights are taken from the module's `stateDict()`, i.e. in
 * PyTorch's layout (OIHW, IOHW for transposed convolutions), which is also ONNX's.
 *
 * Porting note: torch.onnx.export traces a run; here the tree is walked instead, so no example
 * forward pass is needed and the shapes stay symbolic.
 *
 *     const bytes = exportOnnx(netG.eval(), 3);   // ModelProto bytes, input [batch, 3, height, width]
 */
import { StripesError } from "../errors";
import * as nn from "../nn";
import { ResNetBlock, ResNetGenerator } from "../models";
import { OnnxGraph } from "./onnx";

/** A value in the graph and its channel count (for the output's declared shape). */
interface Value {
  name: string;
  channels: number;
}

type Emitter<M extends nn.Module> = (g: OnnxGraph, m: M, x: Value, path: string) => Value;

/** The module's own parameters and buffers in PyTorch's layout, as float32 arrays. */
function weights(m: nn.Module): Map<string, { data: Float32Array; shape: number[] }> {
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const [key, t] of m.stateDict()) {
    // dataSync gives a fresh copy (wasm) or the backing store (cpu), which is only read here.
    if (!key.includes(".")) out.set(key, { data: t.dataSync() as Float32Array, shape: t.shape });
    t.dispose();
  }
  return out;
}

function initializer(g: OnnxGraph, path: string, w: { data: Float32Array; shape: number[] }, name: string): string {
  return g.initializer(path ? `${path}.${name}` : name, w.data, w.shape);
}

function conv(g: OnnxGraph, m: nn.Conv2d | nn.ConvTranspose2d, x: Value, path: string, op: "Conv" | "ConvTranspose"): Value {
  const w = weights(m);
  const inputs = [x.name, initializer(g, path, w.get("weight")!, "weight")];
  if (w.has("bias")) inputs.push(initializer(g, path, w.get("bias")!, "bias"));
  const [ph, pw] = m.padding;
  const attributes: Record<string, number[]> = {
    kernel_shape: [...m.kernelSize],
    strides: [...m.stride],
    pads: [ph, pw, ph, pw], // ONNX: all begins, then all ends
  };
  if (m instanceof nn.ConvTranspose2d) attributes.output_padding = [...m.outputPadding];
  return { name: g.node(op, inputs, attributes), channels: m.outChannels };
}

function norm(g: OnnxGraph, m: nn.InstanceNorm2d | nn.BatchNorm2d, x: Value, path: string): Value {
  const w = weights(m);
  const n = m.numFeatures;
  // Non-affine norms: ONNX still wants a scale (ones) and a bias (zeros).
  const scale = w.has("weight") ? initializer(g, path, w.get("weight")!, "weight") : g.filled("ones", 1, n);
  const bias = w.has("bias") ? initializer(g, path, w.get("bias")!, "bias") : g.filled("zeros", 0, n);
  // In eval, a norm with running statistics uses them (BatchNorm, or InstanceNorm with
  // track_running_stats=True); otherwise it normalises each image by its own statistics.
  if (w.has("running_mean") && w.has("running_var")) {
    const mean = initializer(g, path, w.get("running_mean")!, "running_mean");
    const variance = initializer(g, path, w.get("running_var")!, "running_var");
    return { name: g.node("BatchNormalization", [x.name, scale, bias, mean, variance], { epsilon: { float: m.eps } }), channels: n };
  }
  return { name: g.node("InstanceNormalization", [x.name, scale, bias], { epsilon: { float: m.eps } }), channels: n };
}

const emitters: [new (...args: any[]) => nn.Module, Emitter<any>][] = [
  [ResNetGenerator, (g, m: ResNetGenerator, x, path) => emit(g, m.model, x, join(path, "model"))],
  [ResNetBlock, (g, m: ResNetBlock, x, path) => {
    const y = emit(g, m.conv_block, x, join(path, "conv_block"));
    return { name: g.node("Add", [x.name, y.name]), channels: y.channels }; // the skip connection
  }],
  [nn.Sequential, (g, m: nn.Sequential, x, path) =>
    m.namedChildren().reduce((v, [name, child]) => emit(g, child, v, join(path, name)), x)],
  [nn.Conv2d, (g, m: nn.Conv2d, x, path) => conv(g, m, x, path, "Conv")],
  [nn.ConvTranspose2d, (g, m: nn.ConvTranspose2d, x, path) => conv(g, m, x, path, "ConvTranspose")],
  [nn.InstanceNorm2d, norm],
  [nn.BatchNorm2d, norm],
  [nn.ReflectionPad2d, (g, m: nn.ReflectionPad2d, x) => {
    const [left, right, top, bottom] = m.padding;
    const pads = g.int64("pads", [0, 0, top, left, 0, 0, bottom, right]); // NCHW begins, then ends
    return { name: g.node("Pad", [x.name, pads], { mode: "reflect" }), channels: x.channels };
  }],
  [nn.ReLU, (g, _m, x) => ({ name: g.node("Relu", [x.name]), channels: x.channels })],
  [nn.LeakyReLU, (g, m: nn.LeakyReLU, x) => ({
    name: g.node("LeakyRelu", [x.name], { alpha: { float: m.negativeSlope } }),
    channels: x.channels,
  })],
  [nn.Tanh, (g, _m, x) => ({ name: g.node("Tanh", [x.name]), channels: x.channels })],
  [nn.Dropout, (g, _m, x) => ({ name: g.node("Identity", [x.name]), channels: x.channels })], // eval: a no-op
];

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

function emit(g: OnnxGraph, m: nn.Module, x: Value, path: string): Value {
  // Most specific class first: the table lists subclasses before anything they extend.
  const entry = emitters.find(([cls]) => m instanceof cls);
  if (entry === undefined) {
    throw new StripesError(`exportOnnx: ${m.constructor.name}${path ? ` (${path})` : ""} has no ONNX export`);
  }
  return entry[1](g, m, x, path);
}

/**
 * The ONNX model (ModelProto bytes, opset 17) computing `module`'s forward pass in eval mode
 * on an NCHW float32 batch named `input` with `channels` channels, giving `output`. Batch,
 * height and width stay symbolic, so one model takes photos of any size.
 */
export function exportOnnx(module: nn.Module, channels: number): Uint8Array {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new StripesError(`exportOnnx: channels must be a positive integer, got ${channels}`);
  }
  const c = channels;
  const g = new OnnxGraph(module.constructor.name);
  const input = g.input("input", ["batch", c, "height", "width"]);
  const y = emit(g, module, { name: input, channels: c }, "");
  // A module that passes its input through still needs a node to name the output.
  const last = y.name === input ? g.node("Identity", [input]) : y.name;
  g.output(g.rename(last, "output"), ["batch", y.channels, "out_height", "out_width"]);
  return g.toBytes();
}
