/**
 * @file transforms.Resize: torchvision 0.14's size rule, then PIL's `Image.resize`.
 *
 * Porting note: torchvision/transforms/functional_pil.py `resize`. An int `size` sets the shorter
 * side; the longer becomes `int(size * long / short)` (truncated); `max_size` caps the longer
 * side. `[h, w]` sets both. An image already at the computed size is returned as is. Only the PIL
 * path exists here: `antialias` does not apply to it, and tensors are refused.
 */
import { Image } from "../image";
import { InterpolationMode, pilFilter } from "./interpolation";
import { Transform, describe, transform } from "./transform";
import { ResamplingCode } from "../resample";
import { VisionError } from "../errors";

/** The output `[w, h]` torchvision computes for an image of `[w, h]`. */
export function resizedSize(
  [w, h]: [number, number],
  size: number | [number] | [number, number],
  maxSize?: number,
): [number, number] {
  if (Array.isArray(size) && size.length === 2) return [size[1], size[0]];
  const s = Array.isArray(size) ? size[0] : size;
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = s;
  let newLong = Math.trunc((s * long) / short);
  if (maxSize !== undefined) {
    if (maxSize <= s) {
      throw new VisionError(`Resize: max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${s}`);
    }
    if (newLong > maxSize) [newShort, newLong] = [Math.trunc((maxSize * newShort) / newLong), maxSize];
  }
  return w <= h ? [newShort, newLong] : [newLong, newShort];
}

export interface Resize extends Transform<Image, Image> {
  readonly size: number | [number] | [number, number];
  readonly interpolation: InterpolationMode;
  readonly maxSize?: number;
}

/**
 * Resizes an Image: `Resize(256)` sets the shorter side to 256, `Resize([h, w])` both sides.
 *
 * **Example**
 * ```ts
 * transforms.Resize(256)(img)   // 1500x1220 → <Image mode=RGB size=314x256>
 * ```
 */
export function Resize(
  size: number | [number] | [number, number],
  interpolation: InterpolationMode | ResamplingCode = InterpolationMode.BILINEAR,
  maxSize?: number,
): Resize {
  const sizes = Array.isArray(size) ? size : [size];
  if (!(sizes.length === 1 || sizes.length === 2) || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new VisionError(`Resize: size should be a positive int or a list of 1 or 2 positive ints, but got ${JSON.stringify(size)}`);
  }
  if (maxSize !== undefined && sizes.length !== 1) {
    throw new VisionError(`Resize: max_size should only be passed if size specifies the length of the smaller edge, but got size=${JSON.stringify(size)}`);
  }
  const filter = pilFilter(interpolation);
  const fn = (img: Image): Image => {
    if (!(img instanceof Image)) {
      throw new VisionError(`Resize expects an Image (tensors are not resized here: resize before ToTensor), but received ${describe(img)}`);
    }
    const [w, h] = resizedSize(img.size, size, maxSize);
    if (w === img.width && h === img.height) return img;
    return img.resize([w, h], filter.code);
  };
  const sizeRepr = Array.isArray(size) ? `[${size.join(", ")}]` : `${size}`;
  return transform("Resize", fn, { size, interpolation: filter.name, maxSize }, () =>
    `Resize(size=${sizeRepr}, interpolation=${filter.name}, max_size=${maxSize ?? "None"}, antialias=None)`,
  );
}
