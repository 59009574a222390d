/**
 * @file transforms.Normalize: `(x - mean[c]) / std[c]` per channel of a CHW float tensor.
 *
 * Porting note: torchvision 0.14 functional.py `normalize`: `tensor.sub_(mean).div_(std)` with
 * mean and std shaped [C, 1, 1] in the tensor's dtype; a zero in std is an error.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Transform, describe, transform } from "./transform";
import { VisionError } from "../errors";

export interface Normalize extends Transform<tf.Tensor3D, tf.Tensor3D> {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * **Example**
 * ```ts
 * transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])(img_t)
 * ```
 */
export function Normalize(mean: readonly number[], std: readonly number[]): Normalize {
  if (std.some((s) => s === 0)) {
    throw new VisionError(`Normalize: std evaluated to zero after conversion to float32, leading to division by zero: std=[${std.join(", ")}]`);
  }
  const fn = (x: tf.Tensor3D): tf.Tensor3D => {
    if (!(x instanceof tf.Tensor) || x.dtype !== "float32" || x.rank < 3) {
      throw new VisionError(`Normalize expects a float32 tensor of shape [..., C, H, W], but received ${x instanceof tf.Tensor ? `a ${x.dtype} tensor of shape [${x.shape}]` : describe(x)}`);
    }
    const c = x.shape[x.rank - 3];
    for (const [name, v] of [["mean", mean], ["std", std]] as const) {
      if (v.length !== 1 && v.length !== c) throw new VisionError(`Normalize: ${name} has ${v.length} values, but the tensor has ${c} channels`);
    }
    return tf.tidy(() => {
      const m = tf.tensor(mean, [mean.length, 1, 1], "float32");
      const s = tf.tensor(std, [std.length, 1, 1], "float32");
      return tf.div(tf.sub(x, m), s) as tf.Tensor3D;
    });
  };
  return transform("Normalize", fn, { mean: [...mean], std: [...std] }, () => `Normalize(mean=[${mean.join(", ")}], std=[${std.join(", ")}])`);
}
