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
import * as tf from "@tensorflow/tfjs";

export const INSTANCE_NORM = "StripesInstanceNorm";
export const INSTANCE_NORM_GRAD = "StripesInstanceNormGrad";

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** Per (image, channel) of an NHWC array: its mean and 1/√(var + eps), in float64. */
function statistics(x: Float32Array, n: number, hw: number, c: number, eps: number): { mean: Float64Array; invStd: Float64Array } {
  const mean = new Float64Array(n * c), invStd = new Float64Array(n * c);
  for (let b = 0; b < n; b++) {
    const base = b * hw * c, row = b * c;
    for (let p = 0; p < hw; p++) for (let k = 0, i = base + p * c; k < c; k++, i++) mean[row + k] += x[i];
    for (let k = 0; k < c; k++) mean[row + k] /= hw;
    const sq = new Float64Array(c);
    for (let p = 0; p < hw; p++) {
      for (let k = 0, i = base + p * c; k < c; k++, i++) {
        const d = x[i] - mean[row + k];
        sq[k] += d * d;
      }
    }
    for (let k = 0; k < c; k++) invStd[row + k] = 1 / Math.sqrt(sq[k] / hw + eps);
  }
  return { mean, invStd };
}

const dims = (shape: number[]) => ({ n: shape[0], hw: shape[1] * shape[2], c: shape[3] });

const forwardConfig: tf.KernelConfig = {
  kernelName: INSTANCE_NORM,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { eps } = attrs as unknown as { eps: number };
    const wasm = backend as unknown as WasmLike;
    const out = wasm.makeOutput([...x.shape], "float32"); // before the views: it may grow the heap
    const xs = wasm.typedArrayFromHeap(x), ys = wasm.typedArrayFromHeap(out);
    const { n, hw, c } = dims(x.shape);
    const { mean, invStd } = statistics(xs, n, hw, c, eps);
    for (let b = 0; b < n; b++) {
      for (let p = 0, i = b * hw * c; p < hw; p++) {
        for (let k = 0, s = b * c; k < c; k++, i++, s++) ys[i] = (xs[i] - mean[s]) * invStd[s];
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
    const wasm = backend as unknown as WasmLike;
    const out = wasm.makeOutput([...x.shape], "float32");
    const xs = wasm.typedArrayFromHeap(x), dys = wasm.typedArrayFromHeap(dy), dxs = wasm.typedArrayFromHeap(out);
    const { n, hw, c } = dims(x.shape);
    const { mean, invStd } = statistics(xs, n, hw, c, eps);
    const meanDy = new Float64Array(c), meanDyY = new Float64Array(c);
    for (let b = 0; b < n; b++) {
      const base = b * hw * c, row = b * c;
      meanDy.fill(0);
      meanDyY.fill(0);
      for (let p = 0; p < hw; p++) {
        for (let k = 0, i = base + p * c; k < c; k++, i++) {
          meanDy[k] += dys[i];
          meanDyY[k] += dys[i] * (xs[i] - mean[row + k]) * invStd[row + k];
        }
      }
      for (let k = 0; k < c; k++) {
        meanDy[k] /= hw;
        meanDyY[k] /= hw;
      }
      for (let p = 0; p < hw; p++) {
        for (let k = 0, i = base + p * c; k < c; k++, i++) {
          const s = invStd[row + k];
          dxs[i] = (dys[i] - meanDy[k] - (xs[i] - mean[row + k]) * s * meanDyY[k]) * s;
        }
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
