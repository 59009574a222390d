/**
 * @file `BatchNorm2d`, after torch/nn/modules/batchnorm.py: in training, each channel is
 * normalised by the batch's mean and biased variance and the running statistics are updated
 * (momentum 0.1, unbiased variance); in eval mode the running statistics are used.
 *
 *     new nn.BatchNorm2d(64);   // BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 */
import * as tf from "@tensorflow/tfjs-core";
import { NormBase, NormOptions } from "./normBase";

export class BatchNorm2d extends NormBase {
  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: NormOptions = {}) {
    super(numFeatures, { eps, momentum, affine, trackRunningStats });
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return this.normalize(x, false); // per channel, over the batch
  }
}
