/**
 * @file transforms.ToPILImage: a CHW (or HW) tensor → an 8-bit Image.
 *
 * Porting note: torchvision 0.14 functional.py `to_pil_image`: a float tensor becomes bytes by
 * `mul(255).byte()`, which truncates toward zero; channels give the mode (1 → L, 2 → LA,
 * 3 → RGB, 4 → RGBA). Departure: PyTorch's float→uint8 cast wraps values outside [0, 1]
 * modulo 256 (−0.3 → 180, 1.2 → 50, measured on x86; C leaves it undefined); here they are
 * clamped to 0 and 255. Integer tensors (tfjs has no uint8) are taken as byte values, clamped.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fromCHW } from "../chw";
import { Mode, modeFor } from "../convert";
import { Image } from "../image";
import { Transform, describe, transform } from "./transform";
import { VisionError } from "../errors";

export type ToPILImage = Transform<tf.Tensor, Image>;

/**
 * **Example**
 * ```ts
 * const out_img = transforms.ToPILImage()(out_t);   // out_t: [3, H, W] in [0, 1]
 * out_img   // shows the picture in a notebook
 * ```
 */
export function ToPILImage(mode?: Mode): ToPILImage {
  const fn = (x: tf.Tensor): Image => {
    if (!(x instanceof tf.Tensor) || (x.rank !== 2 && x.rank !== 3)) {
      throw new VisionError(`ToPILImage expects a tensor of shape [C, H, W] or [H, W], but received ${x instanceof tf.Tensor ? `shape [${x.shape}]` : describe(x)}`);
    }
    const [c, h, w] = x.rank === 2 ? [1, ...x.shape] : x.shape;
    if (c < 1 || c > 4) throw new VisionError(`ToPILImage expects 1 to 4 channels, but the tensor has ${c} (shape [${x.shape}])`);
    const img = new Image(w, h, modeFor(c), fromCHW(x.dataSync(), c, h, w, x.dtype === "float32"));
    return mode === undefined || mode === img.mode ? img : img.convert(mode);
  };
  return transform("ToPILImage", fn, { mode }, () => (mode ? `ToPILImage(mode=${mode})` : "ToPILImage()"));
}
