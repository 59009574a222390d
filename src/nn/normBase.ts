/**
 * @file What InstanceNorm2d and BatchNorm2d share, as PyTorch's `_NormBase`
 * (torch/nn/modules/batchnorm.py): options, parameters, buffers, the repr and the arithmetic.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError, nchw } from "./errors";
import { Module, pyBool, pyFloat } from "./module";
import { buffer, constantParameter } from "./init";
import { fusedBatchNorm, fusedInstanceNorm, fusedRunningStats } from "../kernels";

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
      throw new ModuleError(`${new.target.name}: num_features must be a positive integer, but got ${numFeatures}`);
    }
    ({ eps: this.eps, momentum: this.momentum, affine: this.affine, trackRunningStats: this.trackRunningStats } = options);
    this.weight = this.affine ? constantParameter([numFeatures], 1) : null;
    this.bias = this.affine ? constantParameter([numFeatures], 0) : null;
    this.running_mean = this.trackRunningStats ? buffer(tf.zeros([numFeatures])) : null;
    this.running_var = this.trackRunningStats ? buffer(tf.ones([numFeatures])) : null;
    this.num_batches_tracked = this.trackRunningStats ? buffer(tf.scalar(0, "int32")) : null;
  }

  /**
   * Normalises NHWC `x` with batch statistics — per image (`perImage`, instance norm) or over the
   * whole batch (batch norm) — or, in eval mode with running statistics, with those.
   */
  protected normalize(x: tf.Tensor, perImage: boolean): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.numFeatures) {
      throw new ModuleError(
        `${this.constructor.name}(${this.numFeatures}): expected input ${nchw(x.shape)} to have ${this.numFeatures} channels, ` +
          `but got ${x.shape[3]} channels instead`,
      );
    }
    return tf.tidy(() => {
      // Training instance norm without running statistics (the CycleGAN's): one kernel on wasm.
      const fused = perImage && this.training && this.running_mean === null ? fusedInstanceNorm(x as tf.Tensor4D, this.eps) : undefined;
      if (fused !== undefined) return this.weight && this.bias ? tf.add(tf.mul(fused, this.weight), this.bias) : fused;
      // Training batch norm: one kernel with the affine parameters, one for the running
      // statistics (lesson 03's generators: 42 norms a step).
      const fusedBatch = !perImage && this.training ? this.fusedBatchNorm(x as tf.Tensor4D) : undefined;
      if (fusedBatch !== undefined) return fusedBatch;
      let centered: tf.Tensor, variance: tf.Tensor;
      if (this.training || this.running_mean === null) {
        const mean = this.spatialMean(x, perImage); // [N or 1, 1, 1, C]
        centered = tf.sub(x, mean);
        variance = this.spatialMean(tf.square(centered), perImage); // biased, as PyTorch normalises
        if (this.training && this.running_mean !== null) this.updateRunningStats(x, mean, variance);
      } else {
        centered = tf.sub(x, this.running_mean);
        variance = this.running_var!;
      }
      let y = tf.mul(centered, tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight && this.bias) y = tf.add(tf.mul(y, this.weight), this.bias);
      return y;
    });
  }

  /**
   * Batch norm in training mode on wasm: with affine parameters one kernel, without them the
   * instance-norm kernel over the batch seen as one tall image [1, N·H, W, C], whose per-channel
   * statistics are the batch's; one more call for the running statistics. Undefined off wasm.
   */
  private fusedBatchNorm(x: tf.Tensor4D): tf.Tensor | undefined {
    const [n, h, w, c] = x.shape;
    const y = this.weight && this.bias
      ? fusedBatchNorm(x, this.eps, this.weight, this.bias)
      : fusedInstanceNorm(tf.reshape(x, [1, n * h, w, c]) as tf.Tensor4D, this.eps)?.reshape(x.shape);
    if (y === undefined) return undefined;
    if (this.running_mean !== null) {
      const [mean, variance, batches] = fusedRunningStats(x, this.running_mean, this.running_var!, this.num_batches_tracked!, this.momentum)!;
      this.running_mean.assign(mean);
      this.running_var!.assign(variance);
      this.num_batches_tracked!.assign(batches);
    }
    return y;
  }

  /**
   * Mean over height and width (and the batch unless `perImage`), keeping dims.
   * Porting note: average pools, not `tf.moments`: on wasm ~3× faster (XNNPACK pools NHWC
   * directly, where Mean over non-last axes transposes first). Each column first, then the row
   * of column means: one float32 sum over all h·w values loses ~h·w·ε·|mean|, which a channel
   * whose mean is many times its spread (wide biases) turns into the normalised output's error.
   * Measured against float64 on a full-size generator with biases ~N(0, 0.5²) at 256×314×64
   * (|mean|/sd up to 14): one pool 1.3e-4, tf.mean 8.7e-4, columns then row 7.1e-6, at the
   * same speed (bench/parity.ts). In training mode one global pool is kept: its gradient has a
   * fast wasm kernel (src/kernels/avgPoolGrad.ts) that the two pools' would not reach, and
   * training images are small (32 px in lesson 03), where one sum loses little.
   */
  private spatialMean(x: tf.Tensor, perImage: boolean): tf.Tensor {
    const [, h, w] = x.shape;
    const pooled = this.training
      ? tf.avgPool(x as tf.Tensor4D, [h!, w!], 1, "valid")
      : tf.avgPool(tf.avgPool(x as tf.Tensor4D, [h!, 1], 1, "valid"), [1, w!], 1, "valid"); // columns, then the row: [N, 1, 1, C]
    return perImage ? pooled : tf.mean(pooled, 0, true);
  }

  /** running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance. */
  private updateRunningStats(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): void {
    const [n, h, w] = x.shape as number[];
    // Instance norm's running statistics average the per-image ones over the batch.
    const count = mean.shape[0] === 1 ? n * h * w : h * w;
    const batchMean = tf.mean(tf.reshape(mean, [-1, this.numFeatures]), 0);
    const unbiased = tf.mul(tf.mean(tf.reshape(variance, [-1, this.numFeatures]), 0), count / Math.max(1, count - 1));
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

