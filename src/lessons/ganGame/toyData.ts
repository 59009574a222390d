/**
 * @file Two-dimensional data sets for watching a GAN learn (lesson 02).
 *
 * Example:
 *   const real = ringOfGaussians(512);   // [512, 2]
 *   ringCenters()                         // [[2, 0], [1.41, 1.41], …] the 8 modes
 */
import * as tf from "@tensorflow/tfjs-core";
import { LessonError } from "../shared/errors";
import { seededNormal, seededRandom } from "../shared/random";

export interface RingOptions {
  /** Number of Gaussians on the circle. */
  modes?: number;
  /** Radius of the circle. */
  radius?: number;
  /** Standard deviation of each Gaussian. */
  std?: number;
  seed?: number;
}

export const RING_DEFAULTS = { modes: 8, radius: 2, std: 0.05, seed: 1 } as const;

/** The centres of the ring's Gaussians, counter-clockwise from (radius, 0). */
export function ringCenters(options: RingOptions = {}): [number, number][] {
  const { modes, radius } = { ...RING_DEFAULTS, ...options };
  return Array.from({ length: modes }, (_, k) => {
    const angle = (2 * Math.PI * k) / modes;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/** `n` points from a mixture of equal Gaussians placed on a circle: [n, 2]. */
export function ringOfGaussians(n: number, options: RingOptions = {}): tf.Tensor2D {
  const { std, seed } = { ...RING_DEFAULTS, ...options };
  return pointsMixture(n, ringCenters(options), { std, seed });
}

export interface SpiralOptions {
  /** How many full turns the arm makes. */
  turns?: number;
  /** Radius at the end of the arm. */
  radius?: number;
  /** Standard deviation of the noise around the arm. */
  std?: number;
  seed?: number;
}

/**
 * `n` points along one noisy spiral arm (r grows linearly with the angle): [n, 2].
 * A connected, curved shape: the opposite of the ring's separate blobs.
 */
export function spiral(n: number, options: SpiralOptions = {}): tf.Tensor2D {
  const { turns, radius, std, seed } = { turns: 1.5, radius: 2, std: 0.05, seed: 2, ...options };
  const pick = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = Math.sqrt(pick()); // √u: equal density per unit of arc length, roughly
    const angle = 2 * Math.PI * turns * t;
    xy[2 * i] = radius * t * Math.cos(angle) + std * noise();
    xy[2 * i + 1] = radius * t * Math.sin(angle) + std * noise();
  }
  return tf.tensor2d(xy, [n, 2]);
}

/**
 * `n` points on two interleaved half circles (scikit-learn's make_moons shape), scaled to fit the
 * ring's plane, with Gaussian noise `std`: [n, 2]. Connected but not convex: one G must make two arcs.
 */
export function twoMoons(n: number, { std = 0.05, seed = 4 }: { std?: number; seed?: number } = {}): tf.Tensor2D {
  const pick = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const angle = Math.PI * pick();
    const lower = pick() < 0.5;
    // upper moon: (cos a, sin a); lower: (1 − cos a, 0.5 − sin a); then centred and scaled ×1.6
    const [x, y] = lower ? [1 - Math.cos(angle), 0.5 - Math.sin(angle)] : [Math.cos(angle), Math.sin(angle)];
    xy[2 * i] = 1.6 * (x - 0.5) + std * noise();
    xy[2 * i + 1] = 1.6 * (y - 0.25) + std * noise();
  }
  return tf.tensor2d(xy, [n, 2]);
}

/** `n` points from equal Gaussians (standard deviation `std`) centred on the listed points: [n, 2]. */
export function pointsMixture(n: number, centers: [number, number][], { std = 0.05, seed = 6 }: { std?: number; seed?: number } = {}): tf.Tensor2D {
  if (centers.length === 0 || centers.some((c) => !Array.isArray(c) || c.length !== 2 || !c.every(Number.isFinite))) {
    throw new LessonError(`points must be a non-empty list of [x, y] pairs of numbers (got ${JSON.stringify(centers).slice(0, 80)})`);
  }
  const pick = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centers[Math.floor(pick() * centers.length)];
    xy[2 * i] = cx + std * noise();
    xy[2 * i + 1] = cy + std * noise();
  }
  return tf.tensor2d(xy, [n, 2]);
}
