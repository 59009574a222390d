/**
 * @file Peak signal-to-noise ratio, for lesson 03's round trips: how close G_BA(G_AB(a)) is to a.
 *
 * PSNR = 10·log10(1 / MSE) in decibels, with pixels in [0, 1] (the images' [−1, 1] halved), per
 * image: ∞ for identical images, about 20 dB for a visibly blurred one, 30 dB and more for a
 * copy a person cannot tell apart. (scikit-image's peak_signal_noise_ratio with data_range 1.)
 *
 * Example:
 *   const db = psnr(testA, G_BA.forward(G_AB.forward(testA)));   // one number per image
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError } from "../../errors";

/** PSNR in dB of each image of `b` against the same image of `a`, NCHW in [−1, 1]. */
export function psnr(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  if (a.shape.join() !== b.shape.join()) throw new StripesError(`psnr: images of shape [${a.shape.join(", ")}] against [${b.shape.join(", ")}]`);
  const mse = tf.tidy(() => tf.mean(tf.square(tf.div(tf.sub(a, b), 2)), [1, 2, 3]).dataSync());
  return Array.from(mse, (m) => 10 * Math.log10(1 / m));
}
