/**
 * @file One Adam update of one variable as one wasm kernel (`StripesAdam`): tf.train.adam's
 * applyGradients runs 13 ops per variable (lesson 03's step: 904 kernel calls for ~70 variables),
 * each paying tfjs's dispatch. This loops once over the wasm heap in JavaScript and does the same
 * float32 arithmetic in the same order as tfjs's AdamOptimizer (each step rounded with
 * Math.fround, which gives IEEE float32's result for + − × ÷ √), so the numbers are tfjs's own:
 *
 *   m' = m·β1 + g·(1 − β1)        v' = v·β2 + g²·(1 − β2)
 *   w' = (m' / (1 − β1ᵗ)) / (√(v' / (1 − β2ᵗ)) + ε) · (−lr) + w
 *
 * `attrs` carries each scalar already as the float32 tfjs would make of it (see nn/adam.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";

export const ADAM = "StripesAdam";

export interface AdamAttrs {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ, as float32 */
  correction1: number;
  correction2: number;
  epsilon: number;
  negLearningRate: number;
}

/** The loop, with every scalar a local (property reads inside it made it ~10× slower). */
function update(
  w: Float32Array, g: Float32Array, m0: Float32Array, v0: Float32Array, w1: Float32Array, m1: Float32Array, v1: Float32Array,
  beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, c1: number, c2: number, eps: number, negLr: number,
): void {
  const f = Math.fround;
  for (let i = 0, len = w.length; i < len; i++) {
    const gi = g[i];
    const mi = f(f(m0[i] * beta1) + f(gi * oneMinusBeta1));
    const vi = f(f(v0[i] * beta2) + f(f(gi * gi) * oneMinusBeta2));
    m1[i] = mi;
    v1[i] = vi;
    const mHat = f(mi / c1), vHat = f(vi / c2);
    w1[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + w[i]);
  }
}

export const adamKernelConfig: tf.KernelConfig = {
  kernelName: ADAM,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { value, gradient, m, v } = inputs as Record<string, tf.TensorInfo>;
    const a = attrs as unknown as AdamAttrs;
    const wasm = wasmHeap(backend);
    const outs = [value, m, v].map((t) => wasm.makeOutput([...t.shape], "float32")); // before the views: it may grow the heap
    const [w, g, m0, v0] = [value, gradient, m, v].map((t) => wasm.typedArrayFromHeap(t));
    const [w1, m1, v1] = outs.map((t) => wasm.typedArrayFromHeap(t));
    update(w, g, m0, v0, w1, m1, v1, a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2, a.correction1, a.correction2, a.epsilon, a.negLearningRate);
    return outs;
  },
};

/** [w', m', v'] for one variable, in one kernel call (wasm only: check `hasFusedAdam` first). */
export function fusedAdamUpdate(value: tf.Tensor, gradient: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamAttrs): tf.Tensor[] {
  return tf.engine().runKernel(ADAM, { value, gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

export const hasFusedAdam = () => tf.getKernel(ADAM, tf.getBackend()) !== undefined;
