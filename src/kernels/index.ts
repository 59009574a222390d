/**
 * @file Kernels and gradients stripes adds to TensorFlow.js so that the CycleGAN trains on the
 * wasm backend, and trains correctly on every backend. backend.ts calls
 * `registerTrainingKernels()` once, before the first op.
 *
 * - `Conv2DBackpropFilter` for wasm (missing in tfjs 4.22: conv weight gradients threw).
 * - The `MirrorPad` gradient for all backends (tfjs 4.22's drops the mirrored borders' share).
 *
 * Every other kernel the training uses (Conv2DBackpropInput for ConvTranspose2d and conv input
 * gradients, MirrorPad, Relu/LeakyRelu/Tanh gradients, the reductions behind InstanceNorm2d,
 * Adam's ops) is registered by tfjs-backend-wasm itself; test/kernels/coverage.test.ts checks it.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterConfig } from "./conv2dBackpropFilter";
import { mirrorPadGradConfig } from "./mirrorPadGrad";

let registered = false;

export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel(conv2dBackpropFilterConfig.kernelName, "wasm") === undefined) {
    tf.registerKernel(conv2dBackpropFilterConfig);
  }
  // Replacing a gradient with registerGradient alone prints "Overriding the gradient" each time.
  if (tf.getGradient(mirrorPadGradConfig.kernelName) !== undefined) {
    tf.unregisterGradient(mirrorPadGradConfig.kernelName);
  }
  tf.registerGradient(mirrorPadGradConfig);
}

export { conv2dBackpropFilter } from "./conv2dBackpropFilter";
export { mirrorPadBackward } from "./mirrorPadGrad";
