/**
 * @file The colour of the shape in each of lesson 03's images, stripes left out, and how far two
 * images' shape colours are apart.
 *
 * A shape's colour is the mean RGB (in [0, 1]) of its mask's pixels (src/lessons/tinyCycleGan/shapeMask.ts)
 * that are not stripe-dark: whose brightest channel is above `DARK`. Every colour of the palette
 * has a channel of 0.7 or more and the stripes have none above 0.05, so in a real striped image
 * this is the colour between the stripes. The colour error of a translation is the Euclidean
 * distance between the two RGB means: 0 for the same colour, about 0.1 for a visible shift, and
 * 0.7 or more between two colours of the palette.
 *
 * Example:
 *   const err = colourError(testA, G_AB.forward(testA));   // one distance per image
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError } from "../../errors";
import { imagePixels, shapeMask, type Pixels } from "./shapeMask";

/** A pixel whose channels are all at or below this is a stripe's, not the shape's colour. */
export const DARK = 0.35;

/** The mean colour of one image's shape without its stripes; NaNs when it has no such pixel. */
export function shapeColour(image: Pixels, mask = shapeMask(image)): [number, number, number] {
  const sum = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || Math.max(image.rgb[0][i], image.rgb[1][i], image.rgb[2][i]) <= DARK) continue;
    for (let k = 0; k < 3; k++) sum[k] += image.rgb[k][i];
    count++;
  }
  return [sum[0] / count, sum[1] / count, sum[2] / count];
}

/** The shape colours of an NCHW batch in [−1, 1]. */
export function shapeColours(images: tf.Tensor4D): [number, number, number][] {
  return imagePixels(images).map((p) => shapeColour(p));
}

/** Per image, the RGB distance between the shape colours of `a` and `b` (√3, the largest, when one has no coloured pixel). */
export function colourError(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  if (a.shape[0] !== b.shape[0]) throw new StripesError(`colourError: ${a.shape[0]} images against ${b.shape[0]}`);
  const ca = shapeColours(a);
  const cb = shapeColours(b);
  return ca.map((c, i) => {
    const d = Math.hypot(c[0] - cb[i][0], c[1] - cb[i][1], c[2] - cb[i][2]);
    return Number.isNaN(d) ? Math.sqrt(3) : d;
  });
}
