/**
 * @file transforms.ToTensor: an 8-bit Image → a CHW float32 tensor in [0, 1].
 *
 * Porting note: torchvision 0.14 functional.py `to_tensor`: bytes viewed as HWC, permuted to CHW,
 * then `.float().div(255)`; L gives 1 channel, LA 2, RGB 3, RGBA 4. `k / 255` rounded to float32
 * here equals PyTorch's float32 division (double rounding is exact for division).
 */
import * as tf from "@tensorflow/tfjs-core";
import { toCHW } from "../chw";
import { Image } from "../image";
import { Transform, describe, transform } from "./transform";
import { VisionError } from "../errors";

export type ToTensor = Transform<Image, tf.Tensor3D>;

/**
 * **Example**
 * ```ts
 * transforms.ToTensor()(img).shape   // [3, 256, 314]
 * ```
 */
export function ToTensor(): ToTensor {
  const fn = (img: Image): tf.Tensor3D => {
    if (!(img instanceof Image)) throw new VisionError(`ToTensor expects an Image, but received ${describe(img)}`);
    return tf.tensor3d(toCHW(img), [img.channels, img.height, img.width], "float32"); // [C, H, W]
  };
  return transform("ToTensor", fn, {}, () => "ToTensor()");
}
