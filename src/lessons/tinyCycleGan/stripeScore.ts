/**
 * @file How striped the shape in each image is: one wave, of one period and one direction,
 * with a visible contrast, inside the shape.
 *
 * For each image: take the brightness of the shape's pixels (src/lessons/tinyCycleGan/shapeMask.ts): each
 * pixel's brightest channel, so that dark stripes stand out as much on blue as on white (every
 * colour of the palette has a channel at 0.9, the stripes none above 0.05). Remove its mean, set the background to 0, and compute the 2-D discrete Fourier transform. Stripes put
 * their variation at one frequency (u, v) and its mirror (−u, −v); noise, blotches and
 * cross-hatching spread it over many. So:
 *
 * - `concentration`: the share of the shape's variation (its power, by Parseval) in the 3 × 3
 *   bins around the strongest frequency of period 2.5–10 px, and around its mirror: near 1 for
 *   clean stripes, a few per cent for noise, about ½ for two crossed gratings;
 * - `contrast`: the amplitude, in brightness levels of [0, 1], of that wave (a brightness that
 *   swings ±0.2 has contrast 0.2): 0 for a flat shape, about 0.6 for real stripes (2 px at 0.05,
 *   2 px at 0.9), a third of that for the same blurred by a 3 × 3 box;
 * - `period` (pixels) and `angle` (degrees, 0 for vertical stripes, whose wave runs along x) of
 *   the strongest frequency.
 *
 * An image counts as striped when both concentration and contrast pass `STRIPED`'s thresholds,
 * set from real striped and plain shapes, noise and blurred stripes (test/lessons/stripeScore.test.ts).
 *
 * Porting note: tfjs has no FFT on wasm and the images are tiny, so this is a plain separable
 * DFT in JS (2·size³ complex products per image: 65 k at 32 px).
 *
 * Example:
 *   const scores = stripeScores(G_AB.forward(testA));
 *   const share = stripedShare(scores);   // the fraction of images that are striped
 */
import * as tf from "@tensorflow/tfjs-core";
import { imagePixels, shapeMask, type Pixels } from "./shapeMask";

export interface StripeScore {
  concentration: number;
  contrast: number;
  period: number;
  angle: number;
}

/** What "striped" takes; see the file comment. */
export const STRIPED = { concentration: 0.4, contrast: 0.3 };

/** The stripe score of one image's shape. */
export function stripeScore(image: Pixels, mask = shapeMask(image)): StripeScore {
  const { size, rgb } = image;
  const n = size * size;
  const grey = new Float64Array(n);
  let count = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    grey[i] = Math.max(rgb[0][i], rgb[1][i], rgb[2][i]);
    mean += grey[i];
    count++;
  }
  if (count === 0) return { concentration: 0, contrast: 0, period: 0, angle: 0 };
  mean /= count;
  for (let i = 0; i < n; i++) grey[i] = mask[i] ? grey[i] - mean : 0;
  const power = dftPower(grey, size);
  let total = 0;
  for (const p of power) total += p;
  if (!(total > 1e-12)) return { concentration: 0, contrast: 0, period: 0, angle: 0 };
  const signed = (k: number) => (k <= size / 2 ? k : k - size);
  let best = -1;
  let bu = 0;
  let bv = 0;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const f = Math.hypot(signed(u), signed(v));
      if (f < size / 10 || f > size / 2.5) continue;
      if (power[v * size + u] > best) [best, bu, bv] = [power[v * size + u], u, v];
    }
  }
  // the 3 × 3 bins around the peak and around its mirror (a real image's spectrum is symmetric)
  const near = new Set<number>();
  for (const [pu, pv] of [[bu, bv], [(size - bu) % size, (size - bv) % size]]) {
    for (let dv = -1; dv <= 1; dv++) for (let du = -1; du <= 1; du++) near.add(((pv + dv + size) % size) * size + ((pu + du + size) % size));
  }
  let peak = 0;
  for (const k of near) peak += power[k];
  // Parseval: Σ over pixels of the wave's square = peak / n; a wave of amplitude A over `count` pixels has A²/2 · count
  const contrast = Math.sqrt((2 * peak) / n / count);
  const [fu, fv] = [signed(bu), signed(bv)];
  const angle = ((((Math.atan2(fv, fu) * 180) / Math.PI) % 180) + 180) % 180;
  return { concentration: peak / total, contrast, period: size / Math.hypot(fu, fv), angle };
}

/** |DFT|² of a size × size real image. */
function dftPower(img: Float64Array, size: number): Float64Array {
  const cos = new Float64Array(size * size);
  const sin = new Float64Array(size * size);
  for (let k = 0; k < size; k++) {
    for (let x = 0; x < size; x++) {
      cos[k * size + x] = Math.cos((2 * Math.PI * k * x) / size);
      sin[k * size + x] = -Math.sin((2 * Math.PI * k * x) / size);
    }
  }
  const re1 = new Float64Array(size * size);
  const im1 = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let u = 0; u < size; u++) {
      let re = 0;
      let im = 0;
      for (let x = 0; x < size; x++) {
        re += img[y * size + x] * cos[u * size + x];
        im += img[y * size + x] * sin[u * size + x];
      }
      re1[y * size + u] = re;
      im1[y * size + u] = im;
    }
  }
  const power = new Float64Array(size * size);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < size; y++) {
        const [cr, ci] = [cos[v * size + y], sin[v * size + y]];
        re += re1[y * size + u] * cr - im1[y * size + u] * ci;
        im += re1[y * size + u] * ci + im1[y * size + u] * cr;
      }
      power[v * size + u] = re * re + im * im;
    }
  }
  return power;
}

/** The stripe scores of an NCHW batch in [−1, 1]. */
export function stripeScores(images: tf.Tensor4D): StripeScore[] {
  return imagePixels(images).map((p) => stripeScore(p));
}

/** Whether one score counts as striped. */
export const isStriped = (s: StripeScore): boolean => s.concentration >= STRIPED.concentration && s.contrast >= STRIPED.contrast;

/** The fraction of scores that count as striped. */
export function stripedShare(scores: StripeScore[]): number {
  return scores.filter(isStriped).length / scores.length;
}
