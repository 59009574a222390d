/**
 * @file `InstanceNorm2d`, after torch/nn/modules/instancenorm.py: each channel of each image is
 * normalised by its own mean and (biased) variance, y = (x − mean) / √(var + eps) [· weight + bias].
 *
 *     new nn.InstanceNorm2d(64);   // InstanceNorm2d(64, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)
 *
 * PyTorch's defaults: no affine parameters, no running statistics. With `trackRunningStats`,
 * eval mode uses the running statistics, as PyTorch does.
 */
import * as tf from "@tensorflow/tfjs-core";
import { NormBase, NormOptions } from "./normBase";

export class InstanceNorm2d extends NormBase {
  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false }: NormOptions = {}) {
    super(numFeatures, { eps, momentum, affine, trackRunningStats });
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return this.normalize(x, true); // per image and channel
  }
}
