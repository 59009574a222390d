/**
 * @file What InstanceNorm2d and BatchNorm2d share, as PyTorch's `_NormBase`
 * (torch/nn/modules/batchnorm.py): options, parameters, buffers, the repr and the arithmetic.
 */
import * as tf from "@tensorflow/tfjs";
import { StripesError } from "../errors";
import { Module, pyBool, pyFloat } from "./module";
import { buffer, constantParameter } from "./init";

export interface NormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
  trackRunningStats?: boolean;
}

export abstract class NormBase extends Module {
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: tf.Variable | null;
  bias: tf.Variable | null;
  running_mean: tf.Variable | null;
  running_var: tf.Variable | null;
  num_batches_tracked: tf.Variable | null;

  constructor(readonly numFeatures: number, options: Required<NormOptions>) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new StripesError(`${new.target.name}: num_features must be a positive integer, but got ${numFeatures}`);
    }
    ({ eps: this.eps, momentum: this.momentum, affine: this.affine, trackRunningStats: this.trackRunningStats } = options);
    this.weight = this.affine ? constantParameter([numFeatures], 1) : null;
    this.bias = this.affine ? constantParameter([numFeatures], 0) : null;
    this.running_mean = this.trackRunningStats ? buffer(tf.zeros([numFeatures])) : null;
    this.running_var = this.trackRunningStats ? buffer(tf.ones([numFeatures])) : null;
    this.num_batches_tracked = this.trackRunningStats ? buffer(tf.scalar(0, "int32")) : null;
  }

  /** Normalises NHWC `x` over `axes` (batch statistics) or with the running statistics. */
  protected normalize(x: tf.Tensor, axes: number[]): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.numFeatures) {
      throw new StripesError(
        `${this.constructor.name} expects ${this.numFeatures} channels, but got input of shape ${JSON.stringify(x.shape)} (NHWC)`,
      );
    }
    return tf.tidy(() => {
      let mean: tf.Tensor, variance: tf.Tensor;
      const useBatchStats = this.training || this.running_mean === null;
      if (useBatchStats) {
        ({ mean, variance } = tf.moments(x, axes, true));
        if (this.training && this.running_mean && this.running_var && this.num_batches_tracked) {
          this.updateRunningStats(x, axes, mean, variance);
        }
      } else {
        mean = this.running_mean!;
        variance = this.running_var!;
      }
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight && this.bias) y = tf.add(tf.mul(y, this.weight), this.bias);
      return y;
    });
  }

  /** running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance. */
  private updateRunningStats(x: tf.Tensor, axes: number[], mean: tf.Tensor, variance: tf.Tensor): void {
    const count = axes.reduce((c, a) => c * x.shape[a], 1);
    // Instance norm's statistics are per image; the running ones average them over the batch.
    const batchMean = tf.reshape(mean, [-1, this.numFeatures]).mean(0);
    const unbiased = tf.reshape(variance, [-1, this.numFeatures]).mean(0).mul(count / Math.max(1, count - 1));
    const m = this.momentum;
    this.running_mean!.assign(tf.add(tf.mul(this.running_mean!, 1 - m), tf.mul(batchMean, m)));
    this.running_var!.assign(tf.add(tf.mul(this.running_var!, 1 - m), tf.mul(unbiased, m)));
    this.num_batches_tracked!.assign(tf.add(this.num_batches_tracked!, tf.scalar(1, "int32")));
  }

  override extraRepr(): string {
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}

