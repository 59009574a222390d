/**
 * @file Which engine runs a model's forward pass for inference: `onnx` (the module exported to
 * ONNX and run on onnxruntime-node, several times faster than tfjs on wasm) or `tfjs` (the
 * module itself, on the TensorFlow.js backend). `auto` takes onnx when onnxruntime-node loads.
 *
 *     const engine = await createEngine(netG.eval(), { engine: "auto", channels: 3 });
 *     engine.description;                       // "onnxruntime-node 1.30.0, 2 threads"
 *     const y = await engine.run(x, [1, 3, 256, 316]);   // NCHW float32 in and out
 */
import type * as TF from "@tensorflow/tfjs-core";
import { EngineError } from "./errors";
import type { Module } from "../nn";
import { GraphOptimizationLevel, OrtSession, loadOrt, ortLoadProblem } from "./ortSession";
import { RUNTIME } from "../platform/runtime";

export type EngineName = "onnx" | "tfjs";
export type EngineChoice = EngineName | "auto";
export const ENGINE_CHOICES: readonly EngineChoice[] = ["auto", "onnx", "tfjs"];

export interface NCHW {
  data: Float32Array;
  dims: number[];
}

export interface Engine {
  readonly name: EngineName;
  /** For reports: the runtime, its version and settings (and why auto fell back, if it did). */
  readonly description: string;
  /** The forward pass on one NCHW float32 batch. */
  run(data: Float32Array, dims: number[]): Promise<NCHW>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  engine?: EngineChoice;
  /** The model's input channels (the ONNX input's declared shape). */
  channels: number;
  /** onnx: intra-op threads (default: all cores). */
  threads?: number;
  /** onnx: onnxruntime's graph optimisation level (default "all"). */
  graphOptimizationLevel?: GraphOptimizationLevel;
}

// tfjs and its wasm backend are required only when the tfjs engine is made: an onnx run from
// the cache (stripes convert) never loads them.
const tfjs = (): typeof TF => require("@tensorflow/tfjs-core");

class TfjsEngine implements Engine {
  readonly name = "tfjs";
  constructor(
    private readonly module: Module,
    readonly description: string,
  ) {}

  async run(data: Float32Array, dims: number[]): Promise<NCHW> {
    const tf = tfjs();
    const y = tf.tidy(() => this.module.forward(tf.tensor4d(data, dims as [number, number, number, number])));
    try {
      return { data: (await y.data()) as Float32Array, dims: y.shape };
    } finally {
      y.dispose();
    }
  }

  async dispose(): Promise<void> {}
}

/** The module exported to ONNX, run by an onnxruntime-node session. */
class OnnxEngine implements Engine {
  readonly name = "onnx";
  constructor(
    private readonly session: OrtSession,
    readonly description: string,
  ) {}

  run(data: Float32Array, dims: number[]): Promise<NCHW> {
    return this.session.run(data, dims);
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
}

/** Why `engine` cannot be used here, or "" when it can. */
export function engineProblem(engine: EngineName): string {
  if (engine === "onnx" && RUNTIME === "browser") return "onnxruntime-node runs in the Node kernel only, not in a browser";
  return engine === "onnx" && loadOrt() === null ? `onnxruntime-node is not available (${ortLoadProblem()})` : "";
}

/** The engine `choice` stands for here (auto → onnx when onnxruntime-node loads, else tfjs). */
export function resolveEngine(choice: EngineChoice): EngineName {
  if (!ENGINE_CHOICES.includes(choice)) {
    throw new EngineError(`unknown engine '${choice}' (choose one of ${ENGINE_CHOICES.join(", ")})`);
  }
  if (choice !== "auto") return choice;
  return engineProblem("onnx") === "" ? "onnx" : "tfjs";
}

/** "onnxruntime-node 1.30.0, 2 threads", for reports. */
export function ortDescription(threads: number): string {
  return `onnxruntime-node ${require("onnxruntime-node/package.json").version as string}, ${threads} thread${threads === 1 ? "" : "s"}`;
}

/**
 * The onnx engine on ONNX `model` bytes (exported, or as onnxruntime saved it optimised:
 * then with graphOptimizationLevel "disabled"); `optimizedModelFilePath` asks onnxruntime to
 * save the optimised model there.
 */
export async function createOnnxEngine(
  model: Uint8Array,
  options: Pick<EngineOptions, "threads" | "graphOptimizationLevel"> & { optimizedModelFilePath?: string },
): Promise<Engine> {
  const problem = engineProblem("onnx");
  if (problem) throw new EngineError(`--engine onnx: ${problem}`);
  // OrtSession fills in the defaults (all cores, level "all"); the description reads them back.
  const session = await OrtSession.create(model, {
    intraOpNumThreads: options.threads,
    graphOptimizationLevel: options.graphOptimizationLevel,
    optimizedModelFilePath: options.optimizedModelFilePath,
  });
  return new OnnxEngine(session, ortDescription(session.options.intraOpNumThreads));
}

/** An engine running `module` (in eval mode) for inference. */
export async function createEngine(module: Module, options: EngineOptions): Promise<Engine> {
  const choice = options.engine ?? "auto";
  const name = resolveEngine(choice);
  module.eval();
  if (name === "onnx") {
    const problem = engineProblem("onnx");
    if (problem) throw new EngineError(`--engine onnx: ${problem}`);
    const { exportOnnx } = require("./exportOnnx") as typeof import("./exportOnnx"); // needs tfjs: lazily
    return createOnnxEngine(exportOnnx(module, options.channels), options);
  }
  const { ready } = require("../backend") as typeof import("../backend");
  const backend = await ready();
  const why = choice === "auto" ? `; ${engineProblem("onnx")}` : "";
  return new TfjsEngine(module, `TensorFlow.js ${tfjs().version_core} on ${backend}${why}`);
}
