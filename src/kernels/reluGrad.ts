/**
 * @file ReLU's and LeakyReLU's gradients on wasm as one kernel (`StripesReluGrad`): dx = dy where
 * x > 0, else dy·α (α = 0 for ReLU), as PyTorch's threshold/leaky_relu backward. tfjs composes
 * them from 3–4 kernels (step, cast, mul; greater, mul, select), each a dispatch; on other
 * backends these gradients are tfjs's own formulas.
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";

export const RELU_GRAD = "StripesReluGrad";

export const reluGradKernelConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const alpha = Math.fround((attrs as unknown as { alpha: number }).alpha);
    const heap = wasmHeap(backend);
    const out = heap.makeOutput([...x.shape], "float32"); // before the views: it may grow the heap
    const dys = heap.typedArrayFromHeap(dy), xs = heap.typedArrayFromHeap(x), dxs = heap.typedArrayFromHeap(out);
    for (let i = 0, n = xs.length; i < n; i++) dxs[i] = xs[i] > 0 ? dys[i] : dys[i] * alpha; // a float32 product, as mul(dy, α)
    return out;
  },
};

const fused = (x: tf.Tensor, dy: tf.Tensor) => x.dtype === "float32" && dy.dtype === "float32" && tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined;
const run = (dy: tf.Tensor, x: tf.Tensor, alpha: number) => tf.engine().runKernel(RELU_GRAD, { dy, x }, { alpha }) as tf.Tensor;

export const reluGradConfigs: tf.GradConfig[] = [
  {
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const d = dy as tf.Tensor;
      return { x: () => (fused(x, d) ? run(d, x, 0) : tf.mul(d, tf.cast(tf.step(x), "float32"))) };
    },
  },
  {
    kernelName: tf.LeakyRelu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const d = dy as tf.Tensor;
      const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
      return { x: () => (fused(x, d) ? run(d, x, alpha) : tf.where(tf.greater(x, 0), d, tf.mul(d, alpha))) };
    },
  },
];
