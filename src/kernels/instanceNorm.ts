/**
 * @file Instance normalisation as one kernel on wasm, forward and backward (nn's InstanceNorm2d
 * in training mode, without affine parameters or running statistics: the CycleGAN's norm).
 *
 * Written as tf ops, each norm costs ~9 kernel calls forward and ~25 backward (the pools, their
 * casts, sub, square, add, rsqrt, mul and each one's gradient); in lesson 03's step that was
 * ~2,600 of its ~5,900 calls (bench/step-profile.ts), each paying tfjs's dispatch. Here each
 * direction is one call that loops over the wasm heap in JavaScript, with float64 sums:
 *
 *   forward   μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ) / √(σ² + eps)     per image and channel
 *   backward  dx = (dy − mean(dy) − y · mean(dy · y)) / √(σ² + eps)
 *
 * (the backward is the derivative of the forward with μ and σ² depending on x, as PyTorch's
 * instance norm backward computes it; x is saved and μ, σ recomputed rather than kept).
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";

export const INSTANCE_NORM = "StripesInstanceNorm";
export const INSTANCE_NORM_GRAD = "StripesInstanceNormGrad";

/**
 * Per channel of image b of an NHWC array: mean and 1/√(var + eps), from one pass of float64
 * sums of x and x² (var = E[x²] − μ²: in float64 the cancellation costs ~1e-16·μ²/σ², far below
 * float32's ε even for channels whose mean is many times their spread). Channel by channel, with
 * the sums in locals: ~2× faster in V8 than accumulating into arrays across the channels.
 */
export function statistics(x: Float32Array, b: number, hw: number, c: number, eps: number, mean: Float64Array, invStd: Float64Array): void {
  const base = b * hw * c, end = base + hw * c;
  for (let k = 0; k < c; k++) {
    let s = 0, s2 = 0;
    for (let i = base + k; i < end; i += c) {
      const v = x[i];
      s += v;
      s2 += v * v;
    }
    const mu = s / hw;
    mean[k] = mu;
    invStd[k] = 1 / Math.sqrt(Math.max(0, s2 / hw - mu * mu) + eps);
  }
}

const dims = (shape: number[]) => ({ n: shape[0], hw: shape[1] * shape[2], c: shape[3] });

const forwardConfig: tf.KernelConfig = {
  kernelName: INSTANCE_NORM,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { eps } = attrs as unknown as { eps: number };
    const wasm = wasmHeap(backend);
    const out = wasm.makeOutput([...x.shape], "float32"); // before the views: it may grow the heap
    const xs = wasm.typedArrayFromHeap(x), ys = wasm.typedArrayFromHeap(out);
    const { n, hw, c } = dims(x.shape);
    const mean = new Float64Array(c), invStd = new Float64Array(c);
    for (let b = 0; b < n; b++) {
      statistics(xs, b, hw, c, eps, mean, invStd);
      const base = b * hw * c, end = base + hw * c;
      for (let k = 0; k < c; k++) {
        const mu = mean[k], s = invStd[k];
        for (let i = base + k; i < end; i += c) ys[i] = (xs[i] - mu) * s;
      }
    }
    return out;
  },
};

const backwardConfig: tf.KernelConfig = {
  kernelName: INSTANCE_NORM_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const { eps } = attrs as unknown as { eps: number };
    const wasm = wasmHeap(backend);
    const out = wasm.makeOutput([...x.shape], "float32");
    const xs = wasm.typedArrayFromHeap(x), dys = wasm.typedArrayFromHeap(dy), dxs = wasm.typedArrayFromHeap(out);
    const { n, hw, c } = dims(x.shape);
    for (let b = 0; b < n; b++) {
      const base = b * hw * c, end = base + hw * c;
      for (let k = 0; k < c; k++) {
        let sx = 0, sxx = 0, sdy = 0, sdyx = 0;
        for (let i = base + k; i < end; i += c) {
          const v = xs[i], g = dys[i];
          sx += v;
          sxx += v * v;
          sdy += g;
          sdyx += g * v;
        }
        const mu = sx / hw, s = 1 / Math.sqrt(Math.max(0, sxx / hw - mu * mu) + eps);
        // mean(dy·y) = (Σdy·x − μ·Σdy)·s / hw; dx = s·dy − s·mean(dy) − s²·mean(dy·y)·(x − μ)
        const meanDy = sdy / hw, meanDyY = ((sdyx - mu * sdy) * s) / hw;
        const d = -s * s * meanDyY, e = -s * meanDy;
        for (let i = base + k; i < end; i += c) dxs[i] = s * dys[i] + d * (xs[i] - mu) + e;
      }
    }
    return out;
  },
};

const gradConfig: tf.GradConfig = {
  kernelName: INSTANCE_NORM,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    return { x: () => tf.engine().runKernel(INSTANCE_NORM_GRAD, { dy: dy as tf.Tensor, x }, attrs) as tf.Tensor };
  },
};

export const instanceNormConfigs = { forwardConfig, backwardConfig, gradConfig };

/**
 * Normalises NHWC `x` per image and channel in one kernel call, or returns undefined where the
 * current backend has no such kernel (the caller then composes tf ops).
 */
export function fusedInstanceNorm(x: tf.Tensor4D, eps: number): tf.Tensor4D | undefined {
  if (x.dtype !== "float32" || tf.getKernel(INSTANCE_NORM, tf.getBackend()) === undefined) return undefined;
  return tf.engine().runKernel(INSTANCE_NORM, { x }, { eps }) as tf.Tensor4D;
}
