/**
 * @file Two image domains for lesson 03's tiny CycleGAN, made on the fly: plain shapes (A,
 * "horses") and the same kinds of shapes painted with stripes (B, "zebras").
 *
 * Each image is one shape (disc, square or triangle) of a random size and place, in one of
 * `PALETTE`'s seven colours, on a mid-grey background. In domain B the shape carries
 * near-black stripes of period `STRIPE_PERIOD` pixels (half dark, half the shape's colour), all
 * vertical. Images are NCHW float32 in [−1, 1], like CycleGAN's inputs (ToTensor, then
 * Normalize(0.5, 0.5)).
 *
 * Why this design (lesson 03 measured it): the colours are the corners of the RGB cube but black
 * (each channel 0.1 or 0.9), so any two differ by 0.8 in at least one channel and every channel
 * sits 0.4 above or below the background's 0.5; a generator learned to copy them in fewer steps
 * than the first design's seven saturated colours on light grey (colour error 0.05 vs 0.09 after
 * 800 identity steps). Distinct colours, a fixed background and a stripe colour no shape has make
 * "colour kept" and "shape kept" measurable (src/lessons/tinyCycleGan/shapeColour.ts, shapeMask.ts); one
 * orientation and a period of 4 px, the generator's own
 * upsampling grid (two stride-2 transposed convolutions), let a 69 k-parameter generator learn
 * stripes in minutes. Random angles (the lesson's first design) gave blotchy cross-hatching.
 *
 * The same seed gives the same shapes in both domains: `stripedShapes(n, s, { seed })` is the
 * striped version of `plainShapes(n, s, { seed })`, which the lesson uses to score its
 * translations against the real answer. Training sets use different seeds, so they are unpaired.
 *
 * Example:
 *   const a = plainShapes(16, 32);     // [16, 3, 32, 32], domain A
 *   const b = stripedShapes(16, 32);   // [16, 3, 32, 32], domain B
 */
import * as tf from "@tensorflow/tfjs-core";
import { seededRandom } from "../shared/random";
import { StripesError } from "../../errors";

/** Stripe period in pixels (one dark and one coloured band). */
export const STRIPE_PERIOD = 4;
/** The background's grey level, in [0, 1]. */
export const BACKGROUND = 0.5;
/** The stripes' grey level, in [0, 1]: darker than every colour of the palette. */
export const STRIPE_LEVEL = 0.05;
/** The shapes' colours, RGB in [0, 1]: the RGB cube's corners but black, far from the background and the stripes. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [0.9, 0.1, 0.1], // red
  [0.1, 0.9, 0.1], // green
  [0.1, 0.1, 0.9], // blue
  [0.9, 0.9, 0.1], // yellow
  [0.9, 0.1, 0.9], // magenta
  [0.1, 0.9, 0.9], // cyan
  [0.9, 0.9, 0.9], // white
];

export type StripeOrientation = "vertical" | "horizontal" | "diagonal" | "random";

export interface ShapeOptions {
  seed?: number;
  /** Stripe period in pixels, for domain B. */
  period?: number;
  /** Direction of the stripes, for domain B; "random" draws an angle per image. */
  orientation?: StripeOrientation;
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
  const period = options.period ?? STRIPE_PERIOD;
  const orientation = options.orientation ?? "vertical";
  if (!Number.isInteger(n) || n < 1) throw new StripesError(`shapes: n must be an integer ≥ 1, but got ${n}`);
  if (!Number.isInteger(size) || size < 8) throw new StripesError(`shapes: size must be an integer ≥ 8, but got ${size}`);
  if (!(period >= 2)) throw new StripesError(`shapes: period must be ≥ 2 pixels, but got ${period}`);
  const random = seededRandom(options.seed ?? (striped ? 303 : 101));
  const data = new Float32Array(n * 3 * size * size);
  const plane = size * size;
  for (let i = 0; i < n; i++) {
    // every draw is made in both domains, so that one seed gives the same shapes in each
    const kind = KINDS[Math.floor(random() * KINDS.length)];
    const r = size * (0.22 + 0.14 * random());
    const cx = r + random() * (size - 2 * r);
    const cy = r + random() * (size - 2 * r);
    const colour = PALETTE[Math.floor(random() * PALETTE.length)];
    const drawn = random() * Math.PI;
    const phase = random() * period;
    const angle = { vertical: 0, horizontal: Math.PI / 2, diagonal: Math.PI / 4, random: drawn }[orientation];
    const [ux, uy] = [Math.cos(angle), Math.sin(angle)]; // across the stripes
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        let rgb: readonly number[] = [BACKGROUND, BACKGROUND, BACKGROUND];
        if (inside(kind, dx, dy, r)) {
          // stripes: the dark half of each period along (ux, uy), measured from the image's corner
          const t = ((((x + 0.5) * ux + (y + 0.5) * uy + phase) % period) + period) % period;
          rgb = striped && t < period / 2 ? [STRIPE_LEVEL, STRIPE_LEVEL, STRIPE_LEVEL] : colour;
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
