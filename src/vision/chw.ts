/**
 * @file ToTensor's and ToPILImage's arithmetic on plain arrays: 8-bit HWC pixels → CHW float32
 * in [0, 1], and back with torchvision's truncation. No tfjs here, so that `stripes convert`
 * (which hands plain arrays to onnxruntime) can run the book's pipeline without loading it.
 */
import type { Image } from "./image";

/** HWC bytes → CHW float32 values k/255. */
export function toCHW(img: Image): Float32Array {
  const { width: w, height: h, data } = img;
  const c = img.channels;
  const plane = w * h;
  const out = new Float32Array(plane * c);
  const lut = new Float32Array(256);
  for (let k = 0; k < 256; k++) lut[k] = k / 255;
  for (let i = 0; i < plane; i++) for (let b = 0; b < c; b++) out[b * plane + i] = lut[data[i * c + b]];
  return out;
}

/** CHW values (float in [0, 1], or integer bytes) → HWC bytes, torchvision's rounding. */
export function fromCHW(values: ArrayLike<number>, c: number, h: number, w: number, float: boolean): Uint8Array {
  const plane = h * w;
  const out = new Uint8Array(plane * c);
  for (let b = 0; b < c; b++) {
    for (let i = 0; i < plane; i++) {
      const v = values[b * plane + i];
      // float32 multiply (exact in double, then rounded like PyTorch's), then truncate
      const k = float ? Math.trunc(Math.fround(v * 255)) : Math.trunc(v);
      out[i * c + b] = k < 0 ? 0 : k > 255 ? 255 : k || 0; // NaN → 0
    }
  }
  return out;
}
