/**
 * @file Batch normalisation in training mode on wasm: the normalisation, the affine weight and
 * bias, their three gradients and the running statistics' update, each direction one kernel call
 * (nn's BatchNorm2d with its default affine parameters; lesson 03's generators run 42 a step).
 *
 * Composed from the instance-norm kernel and tf ops, each norm cost ~20 calls forward (a reshape,
 * the affine mul and add, and ~14 small ops for the running statistics) and ~9 backward (the add's
 * and mul's gradients with their sums, casts and reshapes), each paying tfjs's dispatch. The
 * arithmetic is the composed one's, rounding for rounding, so that training takes the same path:
 *
 *   forward   ŷ = f32((x − μ) · s),  y = f32(f32(ŷ · w) + b),   μ, s = 1/√(σ² + eps) in float64 over N·H·W
 *   backward  g = f32(dy · w);  dw = Σ f32(dy · ŷ),  db = Σ dy  (float32 sums in N·H·W order, as
 *             wasm's Sum adds);  dx = instance norm's backward of g over the batch as one image
 *
 * The running statistics (`StripesBatchNormStats`, with the batch counter) are the batch's mean and
 * unbiased variance in float64, rounded once, then tf's float32 momentum update; the composed ops
 * summed in float32 with average pools, so they may differ in the last bit (eval mode only reads them).
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";
import { statistics } from "./instanceNorm";

export const BATCH_NORM = "StripesBatchNorm";
export const BATCH_NORM_GRAD = "StripesBatchNormGrad";
export const BATCH_NORM_STATS = "StripesBatchNormStats";

const f32 = Math.fround;

/** [N·H·W, C] of an NHWC shape. */
const rowsAndChannels = (shape: number[]) => ({ rows: shape[0] * shape[1] * shape[2], c: shape[3] });

const forwardConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, weight, bias } = inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo };
    const { eps } = attrs as unknown as { eps: number };
    const wasm = wasmHeap(backend);
    const out = wasm.makeOutput([...x.shape], "float32"); // before the views: it may grow the heap
    const xs = wasm.typedArrayFromHeap(x), ys = wasm.typedArrayFromHeap(out);
    const ws = wasm.typedArrayFromHeap(weight), bs = wasm.typedArrayFromHeap(bias);
    const { rows, c } = rowsAndChannels(x.shape);
    const mean = new Float64Array(c), invStd = new Float64Array(c);
    statistics(xs, 0, rows, c, eps, mean, invStd);
    const end = rows * c;
    for (let k = 0; k < c; k++) {
      const mu = mean[k], s = invStd[k], w = ws[k], b = bs[k];
      for (let i = k; i < end; i += c) ys[i] = f32(f32((xs[i] - mu) * s) * w) + b;
    }
    return out;
  },
};

const backwardConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, x, weight } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; weight: tf.TensorInfo };
    const { eps } = attrs as unknown as { eps: number };
    const wasm = wasmHeap(backend);
    const { rows, c } = rowsAndChannels(x.shape);
    const dxOut = wasm.makeOutput([...x.shape], "float32");
    const dwOut = wasm.makeOutput([c], "float32"), dbOut = wasm.makeOutput([c], "float32");
    const xs = wasm.typedArrayFromHeap(x), dys = wasm.typedArrayFromHeap(dy), dxs = wasm.typedArrayFromHeap(dxOut);
    const ws = wasm.typedArrayFromHeap(weight), dws = wasm.typedArrayFromHeap(dwOut), dbs = wasm.typedArrayFromHeap(dbOut);
    const mean = new Float64Array(c), invStd = new Float64Array(c);
    statistics(xs, 0, rows, c, eps, mean, invStd);
    const end = rows * c;
    for (let k = 0; k < c; k++) {
      const mu = mean[k], s = invStd[k], w = ws[k];
      let sdy = 0, sdyx = 0, dw = 0, db = 0;
      for (let i = k; i < end; i += c) {
        const v = xs[i], d = dys[i], g = f32(d * w);
        sdy += g;
        sdyx += g * v;
        dw = f32(dw + f32(d * f32((v - mu) * s)));
        db = f32(db + d);
      }
      dws[k] = dw;
      dbs[k] = db;
      // as instance norm's backward: dx = s·g − s·mean(g) − s²·mean(g·ŷ)·(x − μ)
      const meanG = sdy / rows, meanGY = ((sdyx - mu * sdy) * s) / rows;
      const a = -s * s * meanGY, e = -s * meanG;
      for (let i = k; i < end; i += c) dxs[i] = s * f32(dys[i] * w) + a * (xs[i] - mu) + e;
    }
    return [dxOut, dwOut, dbOut];
  },
};

const statsConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_STATS,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, runningMean, runningVar, batches } = inputs as Record<"x" | "runningMean" | "runningVar" | "batches", tf.TensorInfo>;
    const { momentum } = attrs as unknown as { momentum: number };
    const wasm = wasmHeap(backend);
    const { rows, c } = rowsAndChannels(x.shape);
    const meanOut = wasm.makeOutput([c], "float32"), varOut = wasm.makeOutput([c], "float32"), batchesOut = wasm.makeOutput([], "int32");
    const xs = wasm.typedArrayFromHeap(x), rm = wasm.typedArrayFromHeap(runningMean), rv = wasm.typedArrayFromHeap(runningVar);
    const ms = wasm.typedArrayFromHeap(meanOut), vs = wasm.typedArrayFromHeap(varOut);
    // int32 tensors are viewed as Int32Array: the count goes up by one, as tf.add(count, 1)
    wasm.typedArrayFromHeap(batchesOut)[0] = wasm.typedArrayFromHeap(batches)[0] + 1;
    const end = rows * c;
    const keep = f32(1 - momentum), take = f32(momentum), unbias = f32(rows / Math.max(1, rows - 1));
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let i = k; i < end; i += c) sum += xs[i];
      const mu = f32(sum / rows);
      let sq = 0;
      for (let i = k; i < end; i += c) sq += (xs[i] - mu) * (xs[i] - mu);
      const unbiased = f32(f32(sq / rows) * unbias);
      ms[k] = f32(rm[k] * keep) + f32(mu * take);
      vs[k] = f32(rv[k] * keep) + f32(unbiased * take);
    }
    return [meanOut, varOut, batchesOut];
  },
};

const gradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM,
  inputsToSave: ["x", "weight"],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight] = saved;
    const inputs: tf.NamedTensorMap = { dy: dy as tf.Tensor, x, weight };
    // One call gives all three gradients. It runs now, in the backward pass's scope, rather than
    // in the first closure: tfjs runs each closure in its own tidy, which would free the others.
    const [dx, dw, db] = tf.engine().runKernel(BATCH_NORM_GRAD, inputs, attrs) as tf.Tensor[];
    return { x: () => dx, weight: () => dw, bias: () => db };
  },
};

export const batchNormConfigs = { forwardConfig, backwardConfig, statsConfig, gradConfig };

/**
 * Affine batch norm of NHWC `x` in training mode, `weight`·x̂ + `bias`, in one kernel call, or
 * undefined where the current backend has no such kernel (the caller composes tf ops).
 */
export function fusedBatchNorm(x: tf.Tensor4D, eps: number, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor4D | undefined {
  if ([x, weight, bias].some((t) => t.dtype !== "float32") || tf.getKernel(BATCH_NORM, tf.getBackend()) === undefined) return undefined;
  return tf.engine().runKernel(BATCH_NORM, { x, weight, bias }, { eps }) as tf.Tensor4D;
}

/**
 * The running mean and variance after seeing NHWC `x` (momentum update, unbiased variance) and
 * the int32 count of batches plus one, in one kernel call; undefined where the backend has no such kernel.
 */
export function fusedRunningStats(
  x: tf.Tensor4D, runningMean: tf.Tensor, runningVar: tf.Tensor, batches: tf.Tensor, momentum: number,
): [tf.Tensor, tf.Tensor, tf.Tensor] | undefined {
  if (x.dtype !== "float32" || batches.dtype !== "int32" || tf.getKernel(BATCH_NORM_STATS, tf.getBackend()) === undefined) return undefined;
  return tf.engine().runKernel(BATCH_NORM_STATS, { x, runningMean, runningVar, batches }, { momentum }) as [tf.Tensor, tf.Tensor, tf.Tensor];
}
