/**
 * @file OrtSession: one onnxruntime-node InferenceSession on an ONNX model, the runtime under
 * engine.ts's OnnxEngine. onnxruntime-node is an optional peer dependency, installed only when
 * asked for (`npm install onnxruntime-node`): its package carries every platform's CPU binaries
 * (288 MB) and on Linux x64 its install script downloads the CUDA ones too, so the lessons'
 * install leaves it out and the tfjs engine runs instead. One InferenceSession is created per model and reused for every image:
 * creating it (parsing, graph optimisation, weight prepacking) costs ~0.1 s a run saves.
 * Note: onnxruntime-node's `run` returns a promise but computes on the calling JS thread (after
 * a setImmediate), so parallelism comes from its intra-op threads, not from concurrent runs.
 *
 * Settings, one per line (defaults in parentheses):
 *   graphOptimizationLevel  ("all": constant folding, Conv+Add/Relu fusion, NCHWc layout)
 *   intraOpNumThreads       (all cores: threads inside one Conv)
 *   interOpNumThreads       (1: the generator is a chain, there is nothing to run side by side)
 *   allowSpinning           (false: idle pool threads sleep instead of busy-waiting; spinning
 *                            gains little alone and costs much when the cores are shared)
 */
import { availableParallelism } from "node:os";
import { firstLine } from "../errors";
import { EngineError } from "./errors";

/**
 * The part of onnxruntime-node's API used here, typed locally: the package is optional, and
 * `npm ci --omit=optional` leaves no types to import, so a `typeof import("onnxruntime-node")`
 * failed the build (prepare) there.
 */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
interface OrtInferenceSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtInferenceSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;
}
export type GraphOptimizationLevel = "disabled" | "basic" | "extended" | "all";

export interface OrtSessionOptions {
  graphOptimizationLevel?: GraphOptimizationLevel;
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  allowSpinning?: boolean;
  /** Where onnxruntime writes the model as optimised (for a cache; not part of `options`). */
  optimizedModelFilePath?: string;
}

let ort: Ort | null | undefined;
let loadProblem = "";

/** onnxruntime-node, or null when it is not installed or its binary does not load here. */
export function loadOrt(): Ort | null {
  if (ort === undefined) {
    try {
      ort = require("onnxruntime-node") as Ort;
    } catch (err) {
      ort = null;
      const e = err as NodeJS.ErrnoException;
      loadProblem =
        e.code === "MODULE_NOT_FOUND" && /'onnxruntime-node'/.test(e.message)
          ? "not installed (npm install onnxruntime-node; ONNXRUNTIME_NODE_INSTALL=skip skips its CUDA download on Linux)"
          : firstLine(e);
    }
  }
  return ort;
}

/** Why onnxruntime-node could not be loaded ("" when it loaded). */
export function ortLoadProblem(): string {
  loadOrt();
  return loadProblem;
}

export class OrtSession {
  private constructor(
    private readonly session: OrtInferenceSession,
    private readonly ortModule: Ort,
    readonly options: Required<Omit<OrtSessionOptions, "optimizedModelFilePath">>,
  ) {}

  /** Creates the session once; `run` reuses it. */
  static async create(model: Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const o = loadOrt();
    if (o === null) throw new EngineError(`onnxruntime-node is not available: ${loadProblem}`);
    const opts: Required<Omit<OrtSessionOptions, "optimizedModelFilePath">> = {
      graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
      intraOpNumThreads: options.intraOpNumThreads ?? availableParallelism(),
      interOpNumThreads: options.interOpNumThreads ?? 1,
      allowSpinning: options.allowSpinning ?? false,
    };
    const session = await o.InferenceSession.create(model, {
      graphOptimizationLevel: opts.graphOptimizationLevel,
      intraOpNumThreads: opts.intraOpNumThreads,
      interOpNumThreads: opts.interOpNumThreads,
      executionMode: "sequential",
      extra: { session: { intra_op: { allow_spinning: opts.allowSpinning ? "1" : "0" } } },
      ...(options.optimizedModelFilePath === undefined
        ? {}
        : // Level 3 (errors only): saving a level-"all" model logs a warning that it is tied to this
          // machine's CPU, which the cache's key already accounts for.
          { optimizedModelFilePath: options.optimizedModelFilePath, logSeverityLevel: 3 }),
    });
    return new OrtSession(session, o, opts);
  }

  /** Runs the model's first input → first output on a float32 NCHW array. */
  async run(data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
    const feeds = { [this.session.inputNames[0]]: new this.ortModule.Tensor("float32", data, dims) };
    const results = await this.session.run(feeds);
    const out = results[this.session.outputNames[0]];
    return { data: out.data as Float32Array, dims: [...out.dims] };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
