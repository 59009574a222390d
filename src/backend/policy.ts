/**
 * @file Which TensorFlow.js backend stripes computes on: the first of the environment's list that
 * starts, or the one the user named. The lists, threads and loaders differ between Node
 * (environment.ts) and a browser (environment.browser.ts); this choosing does not.
 */
import * as tf from "@tensorflow/tfjs-core";
// Types only (erased at run time): the chained methods' declarations (x.add(y), x.sum()), which the
// environment's setup installs; tfjs-core's own entry leaves them out.
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import { registerTrainingKernels } from "../kernels";
import { BackendError } from "./errors";
import { environment } from "./environment";
import type { BackendName } from "./types";

/** The backends this build can offer, best first. */
export const BACKENDS: readonly BackendName[] = environment.backends;

let chosen: Promise<BackendName> | undefined;

async function choose(wanted: string | undefined): Promise<BackendName> {
  registerTrainingKernels(); // src/kernels: wasm's missing gradient kernels, faster wrappers, a correct MirrorPad gradient
  const variable = environment.variable;
  if (wanted !== undefined && wanted !== "") {
    if (!(BACKENDS as readonly string[]).includes(wanted)) {
      throw new BackendError(`${variable}=${wanted}: unknown backend (choose one of ${BACKENDS.join(", ")})`);
    }
    const name = wanted as BackendName;
    if (!environment.register(name) || !(await tf.setBackend(name))) {
      throw new BackendError(`${variable}=${name}: backend '${name}' is not available on this machine`);
    }
    await environment.startInference(name);
    return name;
  }
  for (const name of BACKENDS) {
    if (environment.register(name) && (await tf.setBackend(name))) {
      await environment.startInference(name); // inference.ts: large forward passes on all cores
      return name;
    }
  }
  throw new BackendError(`no TensorFlow.js backend could be initialised (tried ${BACKENDS.join(", ")})`);
}

/**
 * Picks and initialises the backend once (later calls return the same answer).
 * Await it before the first tensor op: tfjs's wasm backend initialises asynchronously.
 */
export function ready(): Promise<BackendName> {
  // A failed choice is not remembered, so fixing STRIPES_BACKEND and calling again works.
  chosen ??= choose(environment.wanted()).catch((err) => {
    chosen = undefined;
    throw err;
  });
  return chosen;
}

/** Switches to a named backend now (tests use it to run the same checks on wasm and cpu). */
export async function useBackend(name: BackendName): Promise<BackendName> {
  const picked = await choose(name);
  chosen = Promise.resolve(picked);
  return picked;
}

/** The backend in use, for reports such as `stripes doctor` and the notebooks' first cell. */
export function backendName(): string {
  return tf.getBackend();
}

/** Threads the backend computes with (training, and small forward passes): wasm's XNNPACK pool size, else 1. */
export function threads(): number {
  return environment.threads();
}

/** Threads a large forward pass computes with (inference.ts): the inference backend's, else threads(). */
export function inferenceThreads(): number {
  return environment.inference()?.threads ?? threads();
}

/** One line for the notebooks' first cell and `stripes doctor`: "wasm, 2 threads", or "wasm, 1 thread (2 for inference)". */
export function backendSummary(): string {
  const [n, m] = [threads(), inferenceThreads()];
  return `${backendName()}, ${n} thread${n === 1 ? "" : "s"}${m !== n ? ` (${m} for inference)` : ""}`;
}

environment.setup(registerTrainingKernels);
