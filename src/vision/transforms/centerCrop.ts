/**
 * @file transforms.CenterCrop, on an Image or a CHW tensor.
 *
 * Porting note: torchvision 0.14 functional.py `center_crop`: a crop larger than the image first
 * pads it with zeros (left/top get `(crop - size) // 2`), then the offset is
 * `int(round((size - crop) / 2))` with Python's round-half-to-even.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Image } from "../image";
import { Transform, describe, transform } from "./transform";
import { VisionError } from "../errors";

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Start of the crop along an axis of `size`, negative where torchvision pads. */
function cropStart(size: number, crop: number): number {
  return crop > size ? -Math.floor((crop - size) / 2) : roundHalfEven((size - crop) / 2);
}

export interface CenterCrop extends Transform<tf.Tensor3D, tf.Tensor3D>, Transform<Image, Image> {
  /** `[h, w]`, as torchvision stores it. */
  readonly size: [number, number];
}

/**
 * Crops the centre `size` (an int for a square, or `[h, w]`) of an Image or CHW tensor.
 *
 * **Example**
 * ```ts
 * transforms.CenterCrop(224)(img)   // 314x256 → <Image mode=RGB size=224x224>
 * ```
 */
export function CenterCrop(size: number | [number] | [number, number]): CenterCrop {
  const hw = (Array.isArray(size) ? (size.length === 1 ? [size[0], size[0]] : size) : [size, size]) as [number, number];
  if (hw.length !== 2 || !hw.every((s) => Number.isInteger(s) && s > 0)) {
    throw new VisionError(`CenterCrop: size should be a positive int or a list of 1 or 2 positive ints, but got ${JSON.stringify(size)}`);
  }
  const [ch, cw] = hw;
  function fn(x: Image): Image;
  function fn(x: tf.Tensor3D): tf.Tensor3D;
  function fn(x: Image | tf.Tensor3D): Image | tf.Tensor3D {
    if (x instanceof Image) {
      const top = cropStart(x.height, ch);
      const left = cropStart(x.width, cw);
      return x.crop([left, top, left + cw, top + ch]);
    }
    if (x instanceof tf.Tensor && x.rank >= 2) {
      const [h, w] = x.shape.slice(-2);
      const top = cropStart(h, ch);
      const left = cropStart(w, cw);
      return tf.tidy(() => {
        const lead = x.shape.slice(0, -2).map(() => [0, 0] as [number, number]);
        const pad: [number, number][] = [...lead, [Math.max(0, -top), Math.max(0, top + ch - h)], [Math.max(0, -left), Math.max(0, left + cw - w)]];
        const padded = pad.some(([a, b]) => a || b) ? tf.pad(x, pad) : x;
        const begin = [...lead.map(() => 0), Math.max(0, top), Math.max(0, left)];
        const extent = [...x.shape.slice(0, -2), ch, cw];
        return tf.slice(padded, begin, extent) as tf.Tensor3D;
      });
    }
    throw new VisionError(`CenterCrop expects an Image or a tensor of rank >= 2, but received ${describe(x)}`);
  }
  return transform("CenterCrop", fn, { size: hw }, () => `CenterCrop(size=(${ch}, ${cw}))`) as unknown as CenterCrop;
}
