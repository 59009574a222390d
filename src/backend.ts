/**
 * @file Which TensorFlow.js backend stripes computes on.
 *
 * Order of preference: `tensorflow` (native libtensorflow from the optional
 * `@tensorflow/tfjs-node`, whose install downloads a binary and so fails offline), then `wasm`
 * (SIMD, installs anywhere), then `cpu` (pure JS, slow). `STRIPES_BACKEND` overrides the choice.
 */
import * as tf from "@tensorflow/tfjs";
import { StripesError } from "./errors";
import { registerTrainingKernels } from "./kernels";

export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

let chosen: Promise<BackendName> | undefined;

/** Registers a backend's package; false when it is not installed or does not load here. */
function register(name: BackendName): boolean {
  try {
    if (name === "tensorflow") require("@tensorflow/tfjs-node");
    else if (name === "wasm") require("@tensorflow/tfjs-backend-wasm");
    return tf.findBackendFactory(name) !== null;
  } catch {
    return false;
  }
}

async function choose(wanted: string | undefined): Promise<BackendName> {
  registerTrainingKernels(); // src/kernels: wasm's missing gradient kernels, faster wrappers, a correct MirrorPad gradient
  if (wanted !== undefined && wanted !== "") {
    if (!(BACKENDS as readonly string[]).includes(wanted)) {
      throw new StripesError(`STRIPES_BACKEND=${wanted}: unknown backend (choose one of ${BACKENDS.join(", ")})`);
    }
    const name = wanted as BackendName;
    if (!register(name) || !(await tf.setBackend(name))) {
      throw new StripesError(`STRIPES_BACKEND=${name}: backend '${name}' is not available on this machine`);
    }
    return name;
  }
  for (const name of BACKENDS) {
    if (register(name) && (await tf.setBackend(name))) return name;
  }
  throw new Error("no TensorFlow.js backend could be initialised");
}

/**
 * Picks and initialises the backend once (later calls return the same answer).
 * Await it before the first tensor op: tfjs's wasm backend initialises asynchronously.
 */
export function ready(): Promise<BackendName> {
  // A failed choice is not remembered, so fixing STRIPES_BACKEND and calling again works.
  chosen ??= choose(process.env.STRIPES_BACKEND).catch((err) => {
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
