/**
 * @file `exportOnnx(module, channels)`: the ONNX graph of any stripes module, in inference (eval)
 * semantics, with dynamic batch, height and width, found by tracing one forward pass as
 * torch.onnx.export does.
 *
 * The trace runs `module.forward` once on an example batch while two things are recorded:
 * - every call of one of the library's layers (Conv2d, InstanceNorm2d, ReflectionPad2d, ReLU…):
 *   the layer becomes its ONNX nodes (onnxLayers.ts) and, instead of computing, hands back
 *   zeros of its output's shape, so the trace costs no convolutions;
 * - every TensorFlow.js op the model's own code runs on what those layers return (a residual
 *   block's `tf.add(x, this.conv_block.forward(x))`, a U-Net's `tf.concat`): each becomes its
 *   ONNX node (onnxOps.ts), and an op with no export stops the trace with a one-line error.
 * Tensors made without the input (`tf.scalar(2)`, a model's own variable) become constants.
 *
 * Layouts: layers compute on NHWC inside, and models transpose at their edges. The trace keeps
 * every ONNX value NCHW and records how each tensor the code holds is permuted from it, so those
 * transposes cost no nodes; only an op mixing layouts gets a Transpose.
 *
 * Weights are taken from each layer's `stateDict()`, in PyTorch's layout, and keep their
 * state-dict keys as names (`model.1.weight`). Shapes that depend on the example's size stay
 * out of the graph: height and width are symbolic, so one model takes photos of any size.
 *
 *     const bytes = exportOnnx(netG, 3);   // ModelProto bytes, input [batch, 3, height, width]
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError, firstLine } from "../errors";
import { EngineError } from "./errors";
import * as nn from "../nn";
import { OnnxGraph } from "./onnx";
import { layerClasses, layerExport } from "./onnxLayers";
import { opExport, supportedOps } from "./onnxOps";

/**
 * The example batch's height and width, tried in turn: 64 is enough for the book's generator
 * and costs least (the layers' outputs are zeros, one shared buffer per size); 256 is for
 * models that halve the image more often (a U-Net's eight halvings).
 */
const EXAMPLE_SIZES = [64, 256];

/** A trace that failed on the example's size (a layer or an op could not take it): a bigger example may pass. */
class ShapeProblem extends EngineError {}

/** A tensor the traced code holds: `transpose(ONNX value name, perm)`. */
interface Traced {
  name: string;
  perm: number[];
}

const NCHW = [0, 1, 2, 3];
const NHWC = [0, 2, 3, 1];
const isIdentity = (p: readonly number[]) => p.every((v, i) => v === i);
const inverse = (p: readonly number[]) => p.map((_, i) => p.indexOf(i));
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Sets `obj[key]` as an own property until the returned function puts back what was there. */
function patch(obj: object, key: string, value: unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { value, configurable: true, writable: true, enumerable: false });
  return () => {
    if (before) Object.defineProperty(obj, key, before);
    else delete (obj as Record<string, unknown>)[key];
  };
}

class Tracer {
  readonly g: OnnxGraph;
  private readonly values = new Map<tf.Tensor, Traced>();
  private readonly paths = new Map<nn.Module, string>();
  private readonly params = new Map<nn.Module, Map<string, { data: Float32Array; shape: number[] } | string>>();
  /** The modules whose forward is running, innermost last (for error messages). */
  private readonly stack: nn.Module[] = [];
  /** > 0 inside a kernel: kernels an op runs itself are part of it. */
  private depth = 0;
  /** True while the tracer itself computes (zeros, constants): nothing is recorded. */
  private paused = false;
  /** Zeros of each size the layers' outputs have had, kept until the trace ends. */
  private readonly zeros = new Map<number, tf.Tensor>();

  constructor(private readonly module: nn.Module) {
    this.g = new OnnxGraph(module.constructor.name);
    const walk = (m: nn.Module, path: string) => {
      if (this.paths.has(m)) return; // a module used twice keeps its first name, as PyTorch's state dict
      this.paths.set(m, path);
      for (const [name, child] of m.namedChildren()) walk(child, join(path, name));
    };
    walk(module, "");
  }

  /** "ResNetBlock (model.10)": a module as error messages name it. */
  private where(m: nn.Module): string {
    const path = this.paths.get(m);
    return `${m.constructor.name}${path ? ` (${path})` : ""}`;
  }

  private quietly<T>(fn: () => T): T {
    const was = this.paused;
    this.paused = true;
    try {
      return fn();
    } finally {
      this.paused = was;
    }
  }

  /** The ONNX value `u` with `transpose(u, perm)` equal to tensor `t` (a Transpose node if needed, a constant if `t` is one). */
  private operand(t: tf.Tensor, perm: number[]): string {
    const v = this.values.get(t);
    if (v === undefined) return this.constant(t, perm);
    if (v.perm.length !== perm.length) {
      throw new EngineError(`exportOnnx: an op mixes a ${v.perm.length}-D and a ${perm.length}-D tensor, which the ONNX export does not follow`);
    }
    const inv = inverse(perm);
    const s = inv.map((j) => v.perm[j]);
    return isIdentity(s) ? v.name : this.g.node("Transpose", [v.name], { perm: s });
  }

  /** A tensor computed without the input, as an initializer broadcasting in the ONNX layout. */
  private constant(t: tf.Tensor, perm: number[]): string {
    if (t.rank > perm.length) {
      throw new EngineError(`exportOnnx: a constant of shape ${shapeStr(t.shape)} meets a ${perm.length}-D tensor`);
    }
    return this.quietly(() =>
      tf.tidy(() => {
        let c = t.dtype === "float32" ? t : tf.cast(t, "float32");
        if (c.size > 1 && !isIdentity(perm)) {
          c = tf.transpose(c.reshape([...new Array(perm.length - t.rank).fill(1), ...t.shape]), inverse(perm));
        }
        return this.g.initializer("constant", c.dataSync() as Float32Array, c.shape);
      }),
    );
  }

  /** The initializer for layer `m`'s own tensor `name`, added on first use. */
  private param(m: nn.Module, name: string): string | undefined {
    let own = this.params.get(m);
    if (own === undefined) {
      own = new Map();
      for (const [key, t] of this.quietly(() => m.stateDict())) {
        // dataSync gives a fresh copy (wasm) or the backing store (cpu), which is only read here.
        if (!key.includes(".")) own.set(key, { data: t.dataSync() as Float32Array, shape: t.shape });
        t.dispose();
      }
      this.params.set(m, own);
    }
    const w = own.get(name);
    if (w === undefined || typeof w === "string") return w;
    const path = this.paths.get(m) ?? m.constructor.name; // a layer outside the module tree still gets a name
    const initializer = this.g.initializer(join(path, name), w.data, w.shape);
    own.set(name, initializer);
    return initializer;
  }

  /** A library layer's forward (NCHW or NHWC, as `layout` says) while tracing: its nodes, and zeros of its output's shape. */
  private layer(m: nn.Module, x: tf.Tensor, layout: number[]): tf.Tensor {
    const ex = layerExport(m)!;
    if (!(x instanceof tf.Tensor) || x.rank !== 4) {
      throw new EngineError(`exportOnnx: ${this.where(m)} expects a 4-D NCHW batch, but got ${x instanceof tf.Tensor ? `shape ${shapeStr(x.shape)}` : typeof x}`);
    }
    const shape: number[] = [];
    layout.forEach((axis, i) => (shape[axis] = x.shape[i]));
    const out = ex.outputShape(m, shape);
    if (typeof out === "string") throw new ShapeProblem(`exportOnnx: ${this.where(m)}: ${out}`);
    const name = ex.emit({ g: this.g, param: (p) => this.param(m, p) }, m, this.operand(x, layout));
    const y = this.quietly(() => {
      const size = out.reduce((a, b) => a * b, 1);
      if (!this.zeros.has(size)) this.zeros.set(size, tf.keep(tf.zeros([size])));
      return tf.reshape(this.zeros.get(size)!, layout.map((axis) => out[axis])); // a view: no copy
    });
    this.values.set(y, { name, perm: layout });
    return y;
  }

  /** Runs a kernel the traced code called (not one an op runs inside itself) and records its ONNX node(s). */
  private kernel(kernel: string, inputs: tf.Tensor[], attrs: tf.NamedAttrMap, run: () => tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const traced = inputs.find((t) => this.values.has(t));
    if (traced === undefined) return run(); // computed without the input: a constant, if used
    const x = this.values.get(traced)!;
    const ex = opExport(kernel);
    const passThrough = kernel === "Identity" || (kernel === "Cast" && attrs.dtype === traced.dtype);
    if (ex === undefined && kernel !== "Transpose" && !passThrough) {
      const m = this.stack[this.stack.length - 1] ?? this.module;
      throw new EngineError(`exportOnnx: ${this.where(m)} runs the tf op '${kernel}', which has no ONNX export (supported: ${supportedOps().join(", ")})`);
    }
    const y = run() as tf.Tensor;
    if (kernel === "Transpose") this.values.set(y, { name: x.name, perm: (attrs.perm as number[]).map((i) => x.perm[i]) });
    else if (passThrough) this.values.set(y, x);
    else this.values.set(y, { name: ex!(this.g, inputs.map((t) => this.operand(t, x.perm)), attrs, x.perm), perm: x.perm });
    return y;
  }

  /** Hooks the library's layers, every module's forward (for naming) and tfjs's kernel calls, until the returned function undoes it. */
  private install(): () => void {
    const undo: (() => void)[] = [];
    const tracer = this;
    for (const cls of layerClasses()) {
      undo.push(patch(cls.prototype, "forward", function (this: nn.Module, x: tf.Tensor) {
        return tracer.layer(this, x, NCHW);
      }));
      undo.push(patch(cls.prototype, "forwardNHWC", function (this: nn.Module, x: tf.Tensor) {
        return tracer.layer(this, x, NHWC);
      }));
    }
    for (const m of this.paths.keys()) {
      if (layerExport(m)) continue;
      for (const key of ["forward", "forwardNHWC"] as const) {
        const original = m[key] as (...args: unknown[]) => tf.Tensor;
        undo.push(patch(m, key, (...args: unknown[]) => {
          this.stack.push(m);
          try {
            return original.apply(m, args);
          } finally {
            this.stack.pop();
          }
        }));
      }
    }
    const engine = tf.engine();
    const runKernel = engine.runKernel;
    undo.push(patch(engine, "runKernel", function (this: typeof engine, kernel: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) {
      const run = () => {
        tracer.depth++;
        try {
          return runKernel.call(this, kernel, inputs, attrs);
        } finally {
          tracer.depth--;
        }
      };
      if (tracer.depth > 0 || tracer.paused) return run();
      return tracer.kernel(kernel, Object.values(inputs), attrs ?? {}, run);
    }));
    return () => undo.reverse().forEach((u) => u());
  }

  /** Runs the trace on a [1, channels, size, size] batch; returns the graph's output. */
  trace(channels: number, size: number): { name: string; shape: number[]; isInput: boolean } {
    const input = this.g.input("input", ["batch", channels, "height", "width"]);
    const example = [1, channels, size, size];
    const uninstall = this.install();
    try {
      return tf.tidy(() => {
        const x = tf.zeros(example);
        this.values.set(x, { name: input, perm: NCHW });
        let y: unknown;
        try {
          y = this.module.forward(x);
        } catch (err) {
          if (err instanceof EngineError) throw err;
          const why = `exportOnnx: ${this.module.constructor.name}'s forward failed on a ${shapeStr(example)} example batch: ${firstLine(err)}`;
          // stripes' own errors say what is wrong whatever the size; tfjs's (shapes that do not
          // broadcast or concatenate) may be the example's size.
          throw err instanceof StripesError ? new EngineError(why) : new ShapeProblem(why);
        }
        if (!(y instanceof tf.Tensor) || !this.values.has(y) || y.rank !== 4) {
          throw new EngineError(`exportOnnx: ${this.module.constructor.name}'s forward must return a 4-D tensor computed from its input`);
        }
        const name = this.operand(y, NCHW);
        return { name, shape: y.shape, isInput: name === input };
      });
    } finally {
      uninstall();
      this.values.clear();
      this.zeros.forEach((t) => t.dispose());
    }
  }
}

/** The trace on the first example size it passes at (a shape problem at the last size is the error). */
function traceAnySize(module: nn.Module, channels: number): { g: OnnxGraph; y: ReturnType<Tracer["trace"]> } {
  for (const size of EXAMPLE_SIZES.slice(0, -1)) {
    const tracer = new Tracer(module);
    try {
      return { g: tracer.g, y: tracer.trace(channels, size) };
    } catch (err) {
      if (!(err instanceof ShapeProblem)) throw err;
    }
  }
  const tracer = new Tracer(module);
  return { g: tracer.g, y: tracer.trace(channels, EXAMPLE_SIZES[EXAMPLE_SIZES.length - 1]) };
}

/**
 * The ONNX model (ModelProto bytes, opset 17) computing `module`'s forward pass in eval mode
 * on an NCHW float32 batch named `input` with `channels` channels, giving `output`. Batch,
 * height and width stay symbolic, so one model takes photos of any size. The module's
 * training flags are as before afterwards.
 */
export function exportOnnx(module: nn.Module, channels: number): Uint8Array {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new EngineError(`exportOnnx: channels must be a positive integer, got ${channels}`);
  }
  if (!(module instanceof nn.Module)) throw new EngineError(`exportOnnx: expects an nn.Module, but got ${module === null ? "null" : typeof module}`);
  const modes: [nn.Module, boolean][] = [];
  const remember = (m: nn.Module) => {
    modes.push([m, m.training]);
    m.children().forEach(remember);
  };
  remember(module);
  module.eval(); // as torch.onnx.export: Dropout off, BatchNorm on its running statistics
  try {
    const { g, y } = traceAnySize(module, channels);
    // A module that passes its input through still needs a node to name the output.
    const last = y.isInput ? g.node("Identity", [y.name]) : y.name;
    g.output(g.rename(last, "output"), ["batch", y.shape[1], "out_height", "out_width"]);
    return g.toBytes();
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}
