/**
 * @file A large forward pass on the inference backend, when the environment started one (Node
 * with `STRIPES_THREADS` unset: a threaded wasm on all cores beside the 1-thread wasm that trains).
 *
 * Why two backends and not one pool: XNNPACK's pool makes a big convolution nearly twice as fast
 * on 2 cores, but a training step is thousands of small ops and its threads spin-wait between
 * them, so the same pool makes the step slower; and a module's thread count is fixed when it
 * starts. So the forward passes that are worth it switch to the threaded module and back.
 */
import * as tf from "@tensorflow/tfjs-core";
import { environment } from "./environment";

/**
 * Below this many output positions (N·H·W of the input) a forward stays where it is: a small
 * batch (lesson 03's 32-px samples) is dispatch-bound like a training step. The article's
 * 256×314 photo is 80,384.
 */
export const MIN_INFERENCE_PIXELS = 128 * 128;

/**
 * Runs `f` (one forward pass, synchronous) on the inference backend when there is one, the
 * current backend is "wasm", no gradient is being recorded, and `pixels` is large enough; else
 * runs it as it is. Its output stays on the inference backend, and tfjs moves it (and the
 * weights, once) when an op on the other backend reads it.
 */
export function onInferenceBackend<T>(pixels: number, f: () => T): T {
  if (pixels < MIN_INFERENCE_PIXELS) return f(); // first: a training step's forwards pay one comparison
  const target = environment.inference()?.name;
  if (target === undefined) return f();
  const engine = tf.engine() as any;
  if (engine.backendName !== "wasm" || engine.state.gradientDepth > 0 || engine.state.kernelDepth > 0) return f();
  // Both are started, so setBackend switches synchronously (re-binding wasm's kernels to the
  // module); its promise only reports the already-made switch.
  tf.setBackend(target).catch(() => {});
  try {
    return f();
  } finally {
    tf.setBackend("wasm").catch(() => {});
  }
}
