/**
 * @file Where the shape is in each of lesson 03's images, and how well two outlines agree.
 *
 * The background is estimated per image as the median colour of its outermost ring of pixels
 * (the shapes rarely touch it); a pixel belongs to the shape when one of its channels differs from
 * that colour by more than `MASK_THRESHOLD`. Stripes, which are near black, count as shape. Shape
 * fidelity is the intersection over union (IoU) of two images' masks: 1 for the same outline, 0
 * for disjoint ones.
 *
 * Example:
 *   const iou = maskIoU(shapeMasks(testA), shapeMasks(G_AB.forward(testA)));   // one number per image
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError } from "../../errors";

/** A channel difference from the background, in [0, 1] units, that makes a pixel the shape's. */
export const MASK_THRESHOLD = 0.25;

/** One image's pixels as RGB in [0, 1]; `rgb[c][i]` for pixel i = y·size + x. */
export interface Pixels {
  size: number;
  rgb: [Float32Array, Float32Array, Float32Array];
}

/** The images of an NCHW batch (3 channels, square, values in [−1, 1]) as pixels in [0, 1]. */
export function imagePixels(images: tf.Tensor4D, what = "images"): Pixels[] {
  const [n, c, h, w] = images.shape;
  if (c !== 3 || h !== w) throw new StripesError(`${what}: expected [N, 3, S, S] images, but got [${images.shape.join(", ")}]`);
  const values = tf.tidy(() => tf.div(tf.add(images, 1), 2).dataSync() as Float32Array);
  const plane = h * w;
  return Array.from({ length: n }, (_, i) => {
    const at = (k: number) => values.slice((i * 3 + k) * plane, (i * 3 + k + 1) * plane);
    return { size: h, rgb: [at(0), at(1), at(2)] };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The shape's mask of one image: 1 inside the shape, 0 on the background. */
export function shapeMask(image: Pixels): Uint8Array {
  const { size, rgb } = image;
  const border: number[] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (x === 0 || y === 0 || x === size - 1 || y === size - 1) border.push(y * size + x);
  const background = rgb.map((ch) => median(border.map((i) => ch[i])));
  const mask = new Uint8Array(size * size);
  for (let i = 0; i < mask.length; i++) {
    const d = Math.max(...rgb.map((ch, k) => Math.abs(ch[i] - background[k])));
    mask[i] = d > MASK_THRESHOLD ? 1 : 0;
  }
  return mask;
}

/** The shape masks of an NCHW batch in [−1, 1]. */
export function shapeMasks(images: tf.Tensor4D): Uint8Array[] {
  return imagePixels(images).map(shapeMask);
}

/** Intersection over union of two lists of masks, one number per pair (1 when both are empty). */
export function maskIoU(a: Uint8Array[], b: Uint8Array[]): number[] {
  if (a.length !== b.length) throw new StripesError(`maskIoU: ${a.length} masks against ${b.length}`);
  return a.map((m, i) => {
    let both = 0;
    let either = 0;
    for (let k = 0; k < m.length; k++) {
      both += m[k] & b[i][k];
      either += m[k] | b[i][k];
    }
    return either === 0 ? 1 : both / either;
  });
}
