/**
 * @file `Module`, the base of every layer and model, after PyTorch's torch/nn/modules/module.py.
 *
 * As in PyTorch, assigning a module or a parameter to a property registers it: children and
 * parameters are the instance's own properties holding a `Module` or a `tf.Variable`, in
 * assignment order. Their property names (`model`, `conv_block`, `weight`) are the state-dict
 * keys, so they stay PyTorch's. Trainable variables are parameters; non-trainable ones are
 * buffers (BatchNorm's running statistics), listed after the parameters as PyTorch does.
 *
 * Porting note: learner-visible tensors are NCHW, but TensorFlow.js convolves NHWC (and its
 * kernels HWIO). Parameters are therefore stored in the backend's layout, converted once when a
 * state dict is loaded (`fromTorch`) and back when one is taken (`toTorch`); inside a model the
 * activations stay NHWC (`forwardNHWC`) and only the outermost `forward` transposes.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError } from "./errors";
import { onInferenceBackend } from "../backend/inference";

/** A state dict: PyTorch-named keys to PyTorch-layout tensors, in order. */
export type StateDict = Map<string, tf.Tensor>;

/** Raised by `loadStateDict`; lists every missing, unexpected and wrong-shape key at once. */
export class StateDictError extends ModuleError {
  constructor(
    message: string,
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
    readonly sizeMismatches: string[],
  ) {
    super(message);
  }
}

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** PyTorch prints shapes as `torch.Size([64, 3, 7, 7])`; we print the array part. */
const shapeStr = (shape: readonly number[]) => `[${shape.join(", ")}]`;

/** Applies a permutation to a shape, as `tf.transpose(x, perm)` would. */
const permute = (shape: readonly number[], perm: readonly number[]) => perm.map((p) => shape[p]);

export abstract class Module {
  /** `train()` / `eval()` switch this, in this module and all its descendants. */
  training = true;

  /**
   * How a parameter's stored layout differs from PyTorch's: a permutation `perm` with
   * stored = transpose(torch, perm) (Conv2d's weight: OIHW → HWIO is [2, 3, 1, 0]), or undefined
   * when they are the same.
   */
  protected torchToStored(_name: string): readonly number[] | undefined {
    return undefined;
  }

  /** The inverse permutation: stored layout → PyTorch's. */
  private storedToTorch(name: string): number[] | undefined {
    const perm = this.torchToStored(name);
    return perm && perm.map((_, i) => perm.indexOf(i));
  }

  /**
   * The computation, on a channels-last (NHWC) batch. Layers implement this (or `forward`);
   * containers chain their children's `forwardNHWC` so a model transposes only once.
   */
  forwardNHWC(x: tf.Tensor): tf.Tensor {
    if (this.forward === Module.prototype.forward) {
      throw new ModuleError(`${this.constructor.name} must implement forward(x) or forwardNHWC(x)`);
    }
    return tf.tidy(() => tf.transpose(this.forward(tf.transpose(x, [0, 3, 1, 2])), [0, 2, 3, 1]));
  }

  /** Runs the module on an NCHW batch (`[N, C, H, W]`) and returns an NCHW batch. */
  forward(x: tf.Tensor): tf.Tensor {
    if (this.forwardNHWC === Module.prototype.forwardNHWC) {
      throw new ModuleError(`${this.constructor.name} must implement forward(x) or forwardNHWC(x)`);
    }
    if (!(x instanceof tf.Tensor)) {
      throw new ModuleError(`${this.constructor.name} expects a tensor (a 4-D NCHW batch), but got ${x === null ? "null" : typeof x}`);
    }
    if (x.rank !== 4) {
      throw new ModuleError(`${this.constructor.name} expects a 4-D NCHW batch, but got shape ${shapeStr(x.shape)}`);
    }
    const [n, , h, w] = x.shape;
    // A large forward (a photo through the generator) runs on all cores when the backend offers it.
    return onInferenceBackend(n * h * w, () => tf.tidy(() => tf.transpose(this.forwardNHWC(tf.transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2])));
  }

  /** Same as `forward(x)`, for those who miss PyTorch's `netG(x)`. */
  call(x: tf.Tensor): tf.Tensor {
    return this.forward(x);
  }

  /** Direct children, in registration order, as `[name, module]` (PyTorch's `named_children`). */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module's own variables (no recursion): parameters first, then buffers, as PyTorch orders them. */
  private ownVariables(): [string, tf.Variable][] {
    const vars = Object.entries(this).filter((e): e is [string, tf.Variable] => e[1] instanceof tf.Variable);
    return [...vars.filter(([, v]) => v.trainable), ...vars.filter(([, v]) => !v.trainable)];
  }

  /** Every variable with its dotted key and the module that owns it, in state-dict order. */
  private entries(prefix = ""): { key: string; owner: Module; name: string; variable: tf.Variable }[] {
    const own = this.ownVariables().map(([name, variable]) => ({ key: prefix + name, owner: this as Module, name, variable }));
    const sub = this.namedChildren().flatMap(([name, child]) => child.entries(`${prefix}${name}.`));
    return [...own, ...sub];
  }

  /**
   * Trainable parameters with their dotted names (`model.1.weight`), in state-dict order.
   * These are the live variables, in the backend's layout (HWIO for convolutions): pass them to
   * a tf optimizer. `stateDict()` gives PyTorch's layout.
   */
  namedParameters(): [string, tf.Variable][] {
    return this.entries()
      .filter((e) => e.variable.trainable)
      .map((e) => [e.key, e.variable]);
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Copies of every parameter and buffer in PyTorch's layout (OIHW…), keyed as PyTorch keys them. */
  stateDict(): StateDict {
    const sd: StateDict = new Map();
    for (const { key, owner, name, variable } of this.entries()) {
      const inverse = owner.storedToTorch(name);
      sd.set(key, inverse ? tf.transpose(variable, inverse) : tf.clone(variable));
    }
    return sd;
  }

  /**
   * Copies a state dict (PyTorch layout, e.g. from `torch.load`) into this module's variables.
   * Every key and shape is checked before anything is assigned, so a failed load leaves the
   * module unchanged. Like PyTorch, a shape mismatch is always an error; missing and unexpected
   * keys are errors only when `strict` (the default).
   */
  loadStateDict(stateDict: StateDict | Record<string, tf.Tensor> | unknown, { strict = true }: { strict?: boolean } = {}): LoadResult {
    const sd = asStateDict(stateDict, this.constructor.name);
    const entries = this.entries();
    const ownKeys = new Set(entries.map((e) => e.key));
    const missingKeys = entries.filter((e) => !sd.has(e.key)).map((e) => e.key);
    const unexpectedKeys = [...sd.keys()].filter((k) => !ownKeys.has(k));
    const sizeMismatches: string[] = [];
    for (const { key, owner, name, variable } of entries) {
      const t = sd.get(key);
      if (t === undefined) continue;
      const inverse = owner.storedToTorch(name);
      const current = inverse ? permute(variable.shape, inverse) : variable.shape;
      if (!tf.util.arraysEqual(t.shape, current)) {
        sizeMismatches.push(
          `size mismatch for ${key}: copying a param with shape ${shapeStr(t.shape)} from checkpoint, ` +
            `the shape in current model is ${shapeStr(current)}.`,
        );
      }
    }
    // PyTorch's order: missing, unexpected, then the size mismatches.
    const lines: string[] = [];
    if (strict && missingKeys.length > 0) {
      lines.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}.`);
    }
    if (strict && unexpectedKeys.length > 0) {
      lines.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}.`);
    }
    lines.push(...sizeMismatches);
    if (lines.length > 0) {
      const message = `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${lines.join("\n\t")}`;
      throw new StateDictError(message, missingKeys, unexpectedKeys, sizeMismatches);
    }
    this.copyStateDict(sd);
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Copies a state dict whose keys and shapes its caller has already judged, without judging them
   * again (the copy half of `loadStateDict`: dtypes cast, PyTorch's layout turned into the
   * stored one; keys this module lacks are passed over). models/loadGenerator.ts uses it: it judges
   * a generator checkpoint once, on its stored shapes, before any value is converted. A shape
   * that does not fit here is that caller's bug, not a learner's mistake.
   */
  copyStateDict(stateDict: StateDict): this {
    for (const { key, owner, name, variable } of this.entries()) {
      const t = stateDict.get(key);
      if (t === undefined) continue;
      const perm = owner.torchToStored(name);
      tf.tidy(() => {
        const value = t.dtype === variable.dtype ? t : tf.cast(t, variable.dtype);
        variable.assign(perm ? tf.transpose(value, [...perm]) : value);
      });
    }
    return this;
  }

  /** Sets training mode here and in every descendant; returns this module. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode (Dropout off, BatchNorm on running statistics); returns this module. */
  eval(): this {
    return this.train(false);
  }

  /** Frees every parameter and buffer (tf.Variable memory is not garbage-collected). */
  dispose(): void {
    for (const { variable } of this.entries()) variable.dispose();
  }

  /** The part inside the parentheses of this module's one-line repr, as PyTorch's `extra_repr`. */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's `repr(module)`: extra repr, then one `(name): child` line per child. */
  toString(): string {
    const extraLines = this.extraRepr() ? this.extraRepr().split("\n") : [];
    const childLines = this.namedChildren().map(([name, child]) => `(${name}): ${indent(String(child), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this.constructor.name}(`;
    if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
    else if (lines.length > 0) main += `\n  ${lines.join("\n  ")}\n`;
    return `${main})`;
  }

  /** Node's `console.log(netG)`, the REPL and tslab (a cell ending in `netG.eval()`) print the repr. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return String(this);
  }
}

/**
 * Accepts what `torch.load` returns for a state dict (a Map) or a plain object of tensors;
 * anything else is one line saying what was given.
 */
function asStateDict(value: unknown, owner: string): StateDict {
  const entries =
    value instanceof Map ? [...value.entries()] : value !== null && typeof value === "object" ? Object.entries(value) : undefined;
  const bad = entries === undefined ? [] : entries.filter(([k, t]) => typeof k !== "string" || !(t instanceof tf.Tensor));
  if (entries === undefined || bad.length > 0) {
    const what = entries === undefined ? `${value === null ? "null" : typeof value}` : `an entry '${String(bad[0][0])}' that is not a tensor`;
    throw new ModuleError(`${owner}.loadStateDict expects a state dict (a Map of names to tensors), but got ${what}`);
  }
  return new Map(entries as [string, tf.Tensor][]);
}

/** PyTorch's `_addindent`: indents every line but the first. */
function indent(s: string, spaces: number): string {
  return s.split("\n").join(`\n${" ".repeat(spaces)}`);
}

/** `(3, 3)` — Python's tuple repr, which PyTorch's reprs print. */
export function pyTuple(values: readonly (number | string)[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}

/** Python's `repr(float)`: `1e-05`, `0.1`, `1.0`. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    // Shortest round-trip digits, in Python's exponent form (at least two exponent digits).
    const [mantissa, exp] = x.toExponential().split("e");
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** Python's `repr(bool)`. */
export const pyBool = (b: boolean) => (b ? "True" : "False");
