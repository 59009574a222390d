/**
 * @file Backend policy in a browser (replaces environment.ts in the browser bundle): WebGPU, then
 * WebGL, then wasm, then cpu; the first that starts is used. wasm is the PyTorch-exact one (the
 * Node tests' backend); the GPU backends compute in float32 shaders with their own rounding.
 *
 * The page's choice: `globalThis.STRIPES_BACKEND = "wasm"` before `await ready()`, or
 * `useBackend("wasm")`. WebGPU is in the order but the bundle does not include
 * `@tensorflow/tfjs-backend-webgpu` yet, so it is skipped as "not installed" until it is added to
 * scripts/build-browser.js's imports here and a browser test runs it.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
// Core's gradients and chained methods: ES modules, which the bundler takes in directly (Node
// needs them pre-bundled as CommonJS, see environment.ts).
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import { StripesError } from "../errors";
import { browserThreads, registerWasm, wasmThreadsInUse } from "./wasm.browser";
import type { BackendEnvironment, BackendName } from "./types";

/** Threads for wasm: the browser's cores when the page is cross-origin isolated, else 1. */
export function requestedThreads(): number {
  return browserThreads();
}

/** Threads for inference apart from training: none in a browser (one wasm backend does both). */
export function inferenceThreads(): number {
  return 1;
}

let prepareKernels: () => void = () => {};

export const environment: BackendEnvironment = {
  backends: ["webgpu", "webgl", "wasm", "cpu"],
  variable: "STRIPES_BACKEND",
  wanted: () => (globalThis as { STRIPES_BACKEND?: string }).STRIPES_BACKEND,
  register(name: BackendName): boolean {
    try {
      if (name === "wasm") return registerWasm(requestedThreads(), prepareKernels);
      if (name === "tensorflow") return false; // native libtensorflow is Node's
      return tf.findBackendFactory(name) !== null;
    } catch (err) {
      if (err instanceof StripesError) throw err;
      return false;
    }
  },
  threads: () => (tf.getBackend() === "wasm" ? wasmThreadsInUse() : 1),
  // One wasm backend in a browser: its threads (when the page is isolated) serve training and inference alike.
  startInference: async () => undefined,
  inference: () => undefined,
  setup(prepare: () => void): void {
    prepareKernels = prepare;
    registerWasm(requestedThreads(), prepare);
  },
};
