/**
 * @file Two image domains for lesson 03's tiny CycleGAN, made on the fly: plain shapes (A,
 * "horses") and the same kinds of shapes filled with stripes (B, "zebras").
 *
 * Each image is one shape (disc, square or triangle) of a random colour, size and position on a
 * light background. In domain B the shape is painted with dark stripes of period
 * `STRIPE_PERIOD` pixels at a random angle. Images are NCHW float32 in [−1, 1], like the
 * CycleGAN's inputs (ToTensor, then Normalize(0.5, 0.5)).
 *
 * Example:
 *   const a = plainShapes(16, 32);     // [16, 3, 32, 32], domain A
 *   const b = stripedShapes(16, 32);   // [16, 3, 32, 32], domain B
 */
import * as tf from "@tensorflow/tfjs";
import { seededRandom } from "./random";

/** Stripe period in pixels (one dark and one coloured band). */
export const STRIPE_PERIOD = 4;

export interface ShapeOptions {
  seed?: number;
  /** Stripe period in pixels, for domain B. */
  period?: number;
}

type Kind = "disc" | "square" | "triangle";
const KINDS: Kind[] = ["disc", "square", "triangle"];

function inside(kind: Kind, dx: number, dy: number, r: number): boolean {
  if (kind === "disc") return dx * dx + dy * dy <= r * r;
  if (kind === "square") return Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
  // an upward triangle with its base at dy = r/2 and apex at dy = −r
  return dy <= r / 2 && dy >= -r && Math.abs(dx) <= ((dy + r) / 1.5) * 0.9;
}

function makeShapes(n: number, size: number, striped: boolean, options: ShapeOptions): tf.Tensor4D {
  const random = seededRandom(options.seed ?? (striped ? 303 : 101));
  const period = options.period ?? STRIPE_PERIOD;
  const data = new Float32Array(n * 3 * size * size);
  const plane = size * size;
  for (let i = 0; i < n; i++) {
    const kind = KINDS[Math.floor(random() * KINDS.length)];
    const r = size * (0.22 + 0.14 * random());
    const cx = r + random() * (size - 2 * r);
    const cy = r + random() * (size - 2 * r);
    const colour = [0.25 + 0.7 * random(), 0.25 + 0.7 * random(), 0.25 + 0.7 * random()];
    const background = 0.8 + 0.15 * random();
    const angle = random() * Math.PI;
    const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
    const phase = random() * period;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        let rgb = [background, background, background];
        if (inside(kind, dx, dy, r)) {
          // stripes: the dark half of each period along the direction (ux, uy)
          const t = (((dx * ux + dy * uy + phase) % period) + period) % period;
          rgb = striped && t < period / 2 ? [0.05, 0.05, 0.05] : colour;
        }
        for (let c = 0; c < 3; c++) data[i * 3 * plane + c * plane + y * size + x] = rgb[c] * 2 - 1; // [0, 1] → [−1, 1]
      }
    }
  }
  return tf.tensor4d(data, [n, 3, size, size]);
}

/** Domain A: plain shapes, [n, 3, size, size] in [−1, 1]. */
export function plainShapes(n: number, size = 32, options: ShapeOptions = {}): tf.Tensor4D {
  return makeShapes(n, size, false, options);
}

/** Domain B: striped shapes, [n, 3, size, size] in [−1, 1]. */
export function stripedShapes(n: number, size = 32, options: ShapeOptions = {}): tf.Tensor4D {
  return makeShapes(n, size, true, options);
}
