/**
 * @file `UnsortedSegmentSum` for the wasm backend, which tfjs 4.22 does not register. It is the
 * gradient of `tf.gather` (GatherV2_grad), so without it anything gathering cannot train on wasm (nn's ConvTranspose2d avoids gather: a selection product).
 *
 *   out[s, …] = Σ_{i : ids[i] = s} x[i, …]  =  oneHot(ids, S)ᵀ · x   (as a [S, n]·[n, rest] product)
 *
 * ids outside [0, S) match no one-hot column and are dropped, as in TensorFlow.
 */
import * as tf from "@tensorflow/tfjs-core";

export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  return tf.tidy(() => {
    const ids = tf.reshape(segmentIds, [-1]) as tf.Tensor1D; // [n]
    const n = ids.shape[0];
    const rest = x.shape.slice(segmentIds.shape.length);
    const flat = tf.reshape(tf.cast(x, "float32"), [n, -1]); // [n, rest]
    const oneHot = tf.cast(tf.oneHot(tf.cast(ids, "int32"), numSegments), "float32"); // [n, S]
    const summed = tf.matMul(oneHot, flat, true, false); // [S, rest]
    return tf.cast(tf.reshape(summed, [numSegments, ...rest]), x.dtype);
  });
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const { x, segmentIds } = inputs as unknown as { x: tf.Tensor; segmentIds: tf.Tensor };
    return unsortedSegmentSum(x, segmentIds, (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments);
  },
};
