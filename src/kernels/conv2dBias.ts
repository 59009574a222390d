/**
 * @file A conv layer's forward (convolution plus bias, NHWC) as one kernel with its own gradient,
 * `StripesConv2D`, on wasm: XNNPACK's fused conv forward, and a gradient that computes only what
 * the backward pass asks for.
 *
 * Why not tf.fused.conv2d: it is a tf.customGrad op, whose gradient computes dx, dw and the bias
 * gradient every time (customGrad's gradients are not lazy), so the first conv of a generator fed
 * an image, and the discriminator's weights during the generator's step, still get gradients
 * nobody reads; and each call runs inside a customGrad wrapper that clones its saved tensors
 * (lesson 03's step: 96 forwards, 384 clones). A registered gradient's closures run only for the
 * inputs on the path to the variables being trained.
 */
import * as tf from "@tensorflow/tfjs-core";

export const CONV2D_BIAS = "StripesConv2D";

export interface Conv2dBiasArgs {
  x: tf.Tensor4D;
  filter: tf.Tensor4D;
  bias?: tf.Tensor;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | [[number, number], [number, number], [number, number], [number, number]];
}

const attrsOf = (strides: Conv2dBiasArgs["strides"], pad: Conv2dBiasArgs["pad"]) => ({
  strides,
  pad,
  dataFormat: "NHWC",
  dilations: [1, 1],
  dimRoundingMode: undefined,
  activation: "linear",
  leakyreluAlpha: undefined,
});

/** Registers `StripesConv2D` on wasm over wasm's own FusedConv2D kernel, with its gradient. */
export function registerConv2dBias(): void {
  const fused = tf.getKernel(tf.FusedConv2D, "wasm");
  if (fused === undefined || tf.getKernel(CONV2D_BIAS, "wasm") !== undefined) return;
  tf.registerKernel({ ...fused, kernelName: CONV2D_BIAS });
  tf.registerGradient({
    kernelName: CONV2D_BIAS,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved;
      const { strides, pad, dimRoundingMode } = attrs as unknown as tf.FusedConv2DAttrs;
      const engine = tf.engine();
      const common = { strides, pad, dataFormat: "NHWC", dimRoundingMode } as unknown as tf.NamedAttrMap;
      return {
        x: () => engine.runKernel(tf.Conv2DBackpropInput, { dy: dy as tf.Tensor, filter }, { ...common, inputShape: x.shape }) as tf.Tensor,
        filter: () => engine.runKernel(tf.Conv2DBackpropFilter, { x, dy: dy as tf.Tensor }, { ...common, filterShape: filter.shape }) as tf.Tensor,
        bias: () => tf.sum(dy as tf.Tensor, [0, 1, 2]),
      };
    },
  });
}

/** conv2d(x, filter) + bias, NHWC: `StripesConv2D` where registered, else tf.fused.conv2d. */
export function conv2dBias({ x, filter, bias, strides, pad }: Conv2dBiasArgs): tf.Tensor4D {
  if (tf.getKernel(CONV2D_BIAS, tf.getBackend()) === undefined) return tf.fused.conv2d({ x, filter, strides, pad, bias });
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return tf.engine().runKernel(CONV2D_BIAS, inputs, attrsOf(strides, pad) as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
