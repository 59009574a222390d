/**
 * @file A faster `AvgPoolGrad` on wasm for the global average pool, which nn's InstanceNorm2d
 * uses for its means (src/nn/normBase.ts). tfjs 4.22's wasm kernel loops over every window;
 * when one window covers the whole image, the gradient is just dy / (h·w) at every pixel.
 * (test/kernels/gradients.test.ts checks InstanceNorm2d's gradient against PyTorch through it.)
 * Other pools go to wasm's own kernel.
 */
import * as tf from "@tensorflow/tfjs-core";

export function fasterAvgPoolGrad(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as unknown as { dy: tf.Tensor4D; input: tf.Tensor4D };
      const { filterSize, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
      const [fh, fw] = typeof filterSize === "number" ? [filterSize, filterSize] : filterSize;
      const [, h, w] = input.shape;
      const global = fh === h && fw === w && (pad === "valid" || pad === 0) && dy.shape[1] === 1 && dy.shape[2] === 1;
      if (!global) return original.kernelFunc(args);
      // [N, 1, 1, C] broadcast to [N, h, w, C]; a broadcasting multiply is faster than wasm's Tile
      return tf.tidy(() => tf.mul(tf.onesLike(input), tf.div(dy, h * w)));
    },
  };
}
