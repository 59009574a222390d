/**
 * @file Kernels and gradients stripes adds to TensorFlow.js so that the CycleGAN trains on the
 * wasm backend, and trains correctly on every backend. backend/ calls
 * `registerTrainingKernels()` once, before the first op: from `ready()`, or from the backend's
 * factory when a first op starts it without `ready()`.
 *
 * - `Conv2DBackpropFilter` for wasm (missing in tfjs 4.22: conv weight gradients threw).
 * - `UnsortedSegmentSum` for wasm (missing: the gradient of tf.gather; ConvTranspose2d does not gather).
 * - The `MirrorPad` gradient for all backends (tfjs 4.22's drops the mirrored borders' share),
 *   on wasm as one kernel (`StripesMirrorPadGrad`).
 * - One Adam update per variable on wasm as one kernel (`StripesAdam`, used by nn/adam.ts).
 * - The conv gradients' pads, crops, stride spreading, transposes and filter rotation on wasm as
 *   single passes (`StripesSpreadPad`, `StripesRotateFilter`).
 * - A conv layer's conv + bias on wasm as a kernel with a lazy gradient (`StripesConv2D`).
 * - ReLU's and LeakyReLU's gradients on wasm as one kernel (`StripesReluGrad`).
 * - `Identity` (tf.clone, the tape's saved tensors) on wasm shares memory instead of copying.
 * - `BatchMatMul` on wasm with transposed operands: transpose first, then the fast plain product.
 * - `Conv2DBackpropInput` on wasm, stride 1, as one XNNPACK conv2d (tfjs's is a slow loop).
 * - `AvgPoolGrad` on wasm for a global pool (InstanceNorm2d's means): a broadcast, not a loop.
 * - Instance normalisation on wasm as one kernel each way (`StripesInstanceNorm`, its gradient
 *   `StripesInstanceNormGrad`): InstanceNorm2d's training step in 2 calls instead of ~34.
 * - Batch normalisation in training on wasm with its affine parameters, one kernel each way
 *   (`StripesBatchNorm`, `StripesBatchNormGrad`), and its running statistics' update as one
 *   (`StripesBatchNormStats`, the batch counter included): BatchNorm2d's training step in 3 calls instead of ~30.
 *
 * Every other kernel the training uses (MirrorPad, Relu/LeakyRelu/Tanh gradients, the reductions
 * behind InstanceNorm2d, Adam's ops) is registered by tfjs-backend-wasm itself;
 * test/kernels/coverage.test.ts trains the book's generator and PatchGAN on wasm to check it.
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterConfig } from "./conv2dBackpropFilter";
import { mirrorPadGradConfig, mirrorPadGradKernelConfig } from "./mirrorPadGrad";
import { transposingBatchMatMul } from "./batchMatMulTransposed";
import { unsortedSegmentSumConfig } from "./unsortedSegmentSum";
import { fasterConv2dBackpropInput } from "./conv2dBackpropInput";
import { fasterAvgPoolGrad } from "./avgPoolGrad";
import { instanceNormConfigs } from "./instanceNorm";
import { batchNormConfigs } from "./batchNorm";
import { adamKernelConfig } from "./adam";
import { rotateFilterConfig, spreadPadConfig } from "./spreadPad";
import { registerConv2dBias } from "./conv2dBias";
import { reluGradConfigs, reluGradKernelConfig } from "./reluGrad";
import { sharingIdentity } from "./identity";

let registered = false;

export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  try {
    require("@tensorflow/tfjs-backend-wasm"); // registers wasm's kernels, which we add to and wrap
  } catch {
    // wasm is not installed: only the gradient fix below applies
  }
  for (const config of [conv2dBackpropFilterConfig, unsortedSegmentSumConfig]) {
    if (tf.getKernel(config.kernelName, "wasm") === undefined) tf.registerKernel(config);
  }
  if (tf.getKernel(tf.Add, "wasm") !== undefined) {
    // our own kernels, which read and write the wasm heap
    tf.registerKernel(instanceNormConfigs.forwardConfig);
    tf.registerKernel(instanceNormConfigs.backwardConfig);
    tf.registerGradient(instanceNormConfigs.gradConfig);
    tf.registerKernel(batchNormConfigs.forwardConfig);
    tf.registerKernel(batchNormConfigs.backwardConfig);
    tf.registerKernel(batchNormConfigs.statsConfig);
    tf.registerGradient(batchNormConfigs.gradConfig);
    tf.registerKernel(mirrorPadGradKernelConfig);
    tf.registerKernel(adamKernelConfig);
    tf.registerKernel(spreadPadConfig);
    tf.registerKernel(rotateFilterConfig);
    registerConv2dBias();
    tf.registerKernel(reluGradKernelConfig);
  }
  const wrappers = [
    [tf.BatchMatMul, transposingBatchMatMul],
    [tf.AvgPoolGrad, fasterAvgPoolGrad],
    [tf.Conv2DBackpropInput, fasterConv2dBackpropInput],
    [tf.Identity, sharingIdentity],
  ] as const;
  for (const [name, wrap] of wrappers) {
    const original = tf.getKernel(name, "wasm");
    if (original === undefined) continue;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel(wrap(original));
  }
  // Replacing a gradient with registerGradient alone prints "Overriding the gradient" each time.
  for (const config of [mirrorPadGradConfig, ...reluGradConfigs]) {
    if (tf.getGradient(config.kernelName) !== undefined) tf.unregisterGradient(config.kernelName);
    tf.registerGradient(config);
  }
}

export { conv2dBackpropFilter } from "./conv2dBackpropFilter";
export { conv2dBackpropInput } from "./conv2dBackpropInput";
export { fusedInstanceNorm } from "./instanceNorm";
export { fusedBatchNorm, fusedRunningStats } from "./batchNorm";
export { fusedAdamUpdate, hasFusedAdam } from "./adam";
export { conv2dBias } from "./conv2dBias";
