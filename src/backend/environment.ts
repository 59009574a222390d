/**
 * @file Backend policy in Node: which backends, in which order, with how many threads, and the
 * setup done when stripes is imported. The browser build replaces this file with
 * environment.browser.ts (scripts/build-browser.js).
 *
 * Order of preference: `tensorflow` (native libtensorflow, when the user has installed
 * `@tensorflow/tfjs-node`: stripes does not depend on it, since its install downloads a binary that
 * exists only up to N-API 8, so on current Node it never installs), then `wasm` (SIMD, installs
 * anywhere), then `cpu` (pure JS, slow). `STRIPES_BACKEND` overrides the choice.
 *
 * tfjs here is `@tensorflow/tfjs-core` with the cpu and wasm backends, not the `@tensorflow/tfjs`
 * umbrella: core's gradients and chained tensor methods come from
 * dist/tfjs-core-registrations.js (scripts/build-tfjs-registrations.js says why a bundle).
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { StripesError } from "../errors";
import { BackendError } from "./errors";
import { MAX_THREADS, registerWasm, startThreadedWasm, THREADED_WASM, wasmFactoryThreads, wasmThreadsInUse } from "./wasm";
import type { BackendEnvironment, BackendName } from "./types";

/**
 * Threads for the wasm backend: `STRIPES_THREADS` (1 to 8, the size of the pool the threaded
 * binary is linked with), else 1.
 *
 * Why 1 by default, not the machine's cores: training steps (thousands of small ops) run slower
 * threaded, the pool's threads spin-waiting between ops; large forward passes get the cores from a
 * second, threaded backend instead (`inferenceThreads`, inference.ts). Run `npx ts-node
 * bench/threads.ts` on a quiet machine before changing this default.
 */
export function requestedThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STRIPES_THREADS;
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new BackendError(`STRIPES_THREADS=${raw}: choose a whole number of threads from 1 to ${MAX_THREADS} (this machine has ${os.cpus().length} cores)`);
  }
  return n;
}

/**
 * Threads for inference when `STRIPES_THREADS` is not set: the machine's cores (at most 8), on a
 * second, threaded wasm backend, while training stays on the 1-thread one. A forward pass of the
 * article's size is one large conv after another, which a second thread nearly halves; a training
 * step is thousands of small ops, between which the pool's threads spin-wait, so it is slower
 * threaded (bench/threads.ts measures both). 1 (no second backend) on a 1-core machine or when
 * `STRIPES_THREADS` is set, which then holds for everything.
 */
export function inferenceThreads(env: NodeJS.ProcessEnv = process.env): number {
  if (env.STRIPES_THREADS !== undefined && env.STRIPES_THREADS !== "") return 1;
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

let inferenceStarted: Promise<string | undefined> | undefined;

/** Registers tfjs-core's gradients and chained methods from the bundle `npm run build` writes. */
function loadCoreRegistrations(): void {
  const file = path.join(__dirname, "..", "..", "dist", "tfjs-core-registrations.js"); // from src/backend (ts-node) and dist/backend alike
  if (!fs.existsSync(file)) throw new BackendError(`${file} is missing: run npm run build (it writes tfjs-core's gradients there)`);
  require(file);
}

function wasmInitialised(): boolean {
  return (tf.engine() as any).registry?.wasm !== undefined;
}

/** Set by `setup`: what a backend's factory runs before its first op (stripes' kernels). */
let prepareKernels: () => void = () => {};

export const environment: BackendEnvironment = {
  backends: ["tensorflow", "wasm", "cpu"],
  variable: "STRIPES_BACKEND",
  wanted: () => process.env.STRIPES_BACKEND,
  register(name: BackendName): boolean {
    try {
      if (name === "tensorflow") require("@tensorflow/tfjs-node");
      else if (name === "wasm") {
        const n = requestedThreads(); // a bad STRIPES_THREADS is the user's one-line error, here
        const registered = wasmFactoryThreads();
        if (registered === undefined || (n !== registered && !wasmInitialised())) return registerWasm(n, prepareKernels);
      } else if (name !== "cpu") return false;
      return tf.findBackendFactory(name) !== null;
    } catch (err) {
      if (err instanceof StripesError) throw err;
      return false;
    }
  },
  threads: () => (tf.getBackend() === "wasm" ? wasmThreadsInUse() : 1), // tfjs-node's own pool is not ours to count
  startInference(chosen: BackendName): Promise<string | undefined> {
    if (chosen !== "wasm" || requestedThreads() !== 1 || inferenceThreads() < 2) return Promise.resolve(undefined);
    inferenceStarted ??= startThreadedWasm(inferenceThreads(), prepareKernels).then((ok) => (ok ? THREADED_WASM : undefined));
    return inferenceStarted;
  },
  inference() {
    const threads = wasmThreadsInUse(THREADED_WASM);
    return threads > 0 ? { name: THREADED_WASM, threads } : undefined;
  },

  /**
   * At import: core's gradients and chained methods, then the wasm factory, which outranks tfjs's
   * cpu backend: with one thread the first op starts wasm by itself; with STRIPES_THREADS > 1 an op
   * before `await ready()` fails with tfjs's "has not yet been initialized … await tf.ready()"
   * instead of quietly running on pure JS. A bad STRIPES_THREADS is reported by ready(), not here.
   * Stripes' kernels are not registered here but by whichever starts a backend first: ready(), or
   * the factory tfjs calls on a first op made without it.
   */
  setup(prepare: () => void): void {
    prepareKernels = prepare;
    loadCoreRegistrations();
    let importThreads = 1;
    try {
      importThreads = requestedThreads();
    } catch {
      // ready() reports it
    }
    registerWasm(importThreads, prepare);
    // STRIPES_BACKEND=cpu holds for a script that never awaits ready(): cpu then outranks wasm in
    // tfjs's own pick on the first op. (tensorflow needs ready(): loading tfjs-node is not done at import.)
    if (process.env.STRIPES_BACKEND === "cpu") {
      const cpu = tf.findBackendFactory("cpu");
      if (cpu !== null) {
        tf.removeBackend("cpu");
        tf.registerBackend("cpu", () => (prepare(), cpu()), 4);
      }
    }
  },
};
