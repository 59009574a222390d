/**
 * @file The TensorFlow.js ops a model's own code may run between layers (a residual `tf.add`, a
 * U-Net's `tf.concat`, a `tf.mul` by a constant…) as ONNX nodes, keyed by tfjs's kernel names
 * (what `tf.engine().runKernel` is called with: `tf.mul` runs `Multiply`, `tf.div` `RealDiv`).
 *
 * The tracer hands every op its inputs already in one layout: `perm` says how the tensors the
 * model's code sees are permuted from the ONNX values (NCHW), so an op with an axis (Concat)
 * maps it through `perm`. Elementwise ops broadcast as numpy does in both tfjs and ONNX.
 */
import type { NamedAttrMap } from "@tensorflow/tfjs-core";
import { OnnxGraph } from "./onnx";

type OpExport = (g: OnnxGraph, inputs: string[], attrs: NamedAttrMap, perm: number[]) => string;

const same = (onnxOp: string): OpExport => (g, inputs) => g.node(onnxOp, inputs);
const scalar = (g: OnnxGraph, name: string, value: number) => g.initializer(name, Float32Array.of(value), []);

const OPS: Record<string, OpExport> = {
  Add: same("Add"),
  AddN: same("Sum"),
  Sub: same("Sub"),
  Multiply: same("Mul"),
  RealDiv: same("Div"),
  Maximum: same("Max"),
  Minimum: same("Min"),
  Pow: same("Pow"),
  SquaredDifference: (g, [a, b]) => {
    const d = g.node("Sub", [a, b]);
    return g.node("Mul", [d, d]);
  },
  Neg: same("Neg"),
  Abs: same("Abs"),
  Exp: same("Exp"),
  Log: same("Log"),
  Sqrt: same("Sqrt"),
  Rsqrt: (g, [x]) => g.node("Reciprocal", [g.node("Sqrt", [x])]),
  Reciprocal: same("Reciprocal"),
  Square: (g, [x]) => g.node("Mul", [x, x]),
  Relu: same("Relu"),
  Relu6: (g, [x]) => g.node("Clip", [x, scalar(g, "clip_min", 0), scalar(g, "clip_max", 6)]),
  LeakyRelu: (g, [x], attrs) => g.node("LeakyRelu", [x], { alpha: { float: attrs.alpha as number } }),
  Elu: same("Elu"),
  Selu: same("Selu"), // tfjs and ONNX use the same two constants
  Sigmoid: same("Sigmoid"),
  Tanh: same("Tanh"),
  ClipByValue: (g, [x], attrs) =>
    g.node("Clip", [x, scalar(g, "clip_min", attrs.clipValueMin as number), scalar(g, "clip_max", attrs.clipValueMax as number)]),
  Concat: (g, inputs, attrs, perm) => {
    const axis = attrs.axis as number;
    return g.node("Concat", inputs, { axis: perm[axis < 0 ? axis + perm.length : axis] });
  },
};

/**
 * Kernels that only rename or reorder a value and need no node: the tracer follows them itself
 * (Transpose changes the layout it records; Identity and a Cast to float32 keep the value).
 */
export const LAYOUT_KERNELS = ["Transpose", "Identity", "Cast"] as const;

/** The ONNX export of tfjs kernel `kernel`, or undefined when there is none. */
export function opExport(kernel: string): OpExport | undefined {
  return Object.prototype.hasOwnProperty.call(OPS, kernel) ? OPS[kernel] : undefined;
}

/** The kernels with an export, for the error that names one without. */
export function supportedOps(): string[] {
  return [...Object.keys(OPS), ...LAYOUT_KERNELS].sort();
}
