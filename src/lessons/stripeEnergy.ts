/**
 * @file A measure of how striped images are: their energy at the stripe frequency.
 *
 * For each image: take the grey level, remove its mean, compute the 2-D discrete Fourier
 * transform, and keep the power in the ring of frequencies |(u, v)| ≈ size / period (±1 bin).
 * By Parseval's theorem, that power divided by size⁴ is the mean square of the image's
 * component at the stripe frequency: 0.5 for a full-image cosine of amplitude 1 at the right
 * period, 0 for a flat image, small for plain shapes (only their edges contribute), and clearly
 * larger for striped shapes (see test/lessons/toyData.test.ts). Stripes at any angle count.
 *
 * Porting note: a share of the total power would be simpler, but it rates faint noise (an
 * untrained generator's output) as stripy as real stripes; the absolute energy does not.
 *
 * tfjs has no FFT on wasm, and the images are tiny, so this is a plain separable DFT in JS
 * (2·size³ complex products per image: 65k at 32 px).
 */
import * as tf from "@tensorflow/tfjs";
import { STRIPE_PERIOD } from "./shapes";

/** Stripe energy of each image of an NCHW batch in [−1, 1]; returns one number per image. */
export function stripeEnergy(images: tf.Tensor4D, period = STRIPE_PERIOD): number[] {
  const [n, , h, w] = images.shape;
  if (h !== w) throw new Error(`stripeEnergy expects square images, but got ${h}×${w}`);
  const size = h;
  const grey = tf.tidy(() => tf.mean(images, 1).dataSync() as Float32Array); // [n, size, size]
  const cos = new Float64Array(size * size);
  const sin = new Float64Array(size * size);
  for (let k = 0; k < size; k++) {
    for (let x = 0; x < size; x++) {
      cos[k * size + x] = Math.cos((2 * Math.PI * k * x) / size);
      sin[k * size + x] = -Math.sin((2 * Math.PI * k * x) / size);
    }
  }
  const target = size / period;
  const out: number[] = [];
  const re1 = new Float64Array(size * size);
  const im1 = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    const img = grey.subarray(i * size * size, (i + 1) * size * size);
    let mean = 0;
    for (const v of img) mean += v;
    mean /= size * size;
    // rows: F1[y][u] = Σ_x img[y][x] e^{−2πiux/size}
    for (let y = 0; y < size; y++) {
      for (let u = 0; u < size; u++) {
        let re = 0;
        let im = 0;
        for (let x = 0; x < size; x++) {
          const v = img[y * size + x] - mean;
          re += v * cos[u * size + x];
          im += v * sin[u * size + x];
        }
        re1[y * size + u] = re;
        im1[y * size + u] = im;
      }
    }
    // columns: F[v][u] = Σ_y F1[y][u] e^{−2πivy/size}
    let ring = 0;
    for (let v = 0; v < size; v++) {
      for (let u = 0; u < size; u++) {
        let re = 0;
        let im = 0;
        for (let y = 0; y < size; y++) {
          const [cr, ci] = [cos[v * size + y], sin[v * size + y]];
          re += re1[y * size + u] * cr - im1[y * size + u] * ci;
          im += re1[y * size + u] * ci + im1[y * size + u] * cr;
        }
        const power = re * re + im * im;
        // signed frequencies: bins above size/2 are negative
        const fu = u <= size / 2 ? u : u - size;
        const fv = v <= size / 2 ? v : v - size;
        if (Math.abs(Math.hypot(fu, fv) - target) <= 1) ring += power;
      }
    }
    out.push(ring / size ** 4);
  }
  return out;
}

/** The mean stripe energy of a batch. */
export function meanStripeEnergy(images: tf.Tensor4D, period = STRIPE_PERIOD): number {
  const e = stripeEnergy(images, period);
  return e.reduce((a, b) => a + b, 0) / e.length;
}
