/**
 * @file `Identity` on wasm without a copy: the output shares the input's memory (one more
 * reference), as tfjs's cpu backend and wasm's own Reshape do. tfjs's tape clones every tensor a
 * gradient saves (lesson 03's step: ~600 clones), and wasm's Identity allocated and copied each;
 * tfjs tensors are never written in place, so a shared buffer is indistinguishable. The shared
 * buffer also lets what is derived from a saved weight be cached per weight (conv2dBackpropInput.ts).
 */
import * as tf from "@tensorflow/tfjs-core";

export function sharingIdentity(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === "string") return original.kernelFunc(args);
      (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}
