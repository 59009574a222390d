/**
 * @file How many of a mixture's modes a generator's samples cover (lesson 02).
 *
 * The measure used for the ring of Gaussians in GAN papers (Metz et al. 2017, "Unrolled
 * GANs"; Srivastava et al. 2017, "VEEGAN"): a sample is *high quality* when it lies within
 * three standard deviations of some mode's centre; a mode is *covered* when at least
 * `minShare` of its fair share of the samples (n / modes) lands there.
 *
 * Example:
 *   modeCoverage(fake, ringCenters(), 0.05)
 *   // { covered: 7, modes: 8, counts: [64, 60, 0, …], highQuality: 0.93, meanDistance: 0.08 }
 */
import * as tf from "@tensorflow/tfjs-core";

export interface Coverage {
  /** Modes that received at least `minShare` of their fair share of the samples. */
  covered: number;
  modes: number;
  /** Samples within 3·std of each mode's centre. */
  counts: number[];
  /** Fraction of all samples within 3·std of some mode. */
  highQuality: number;
  /** Mean distance from a sample to its nearest mode's centre: falls as G learns where the data is. */
  meanDistance: number;
}

export function modeCoverage(samples: tf.Tensor2D | number[][], centers: [number, number][], std: number, minShare = 0.25): Coverage {
  const points = Array.isArray(samples) ? samples : (samples.arraySync() as number[][]);
  const counts = centers.map(() => 0);
  const radius = 3 * std;
  let near = 0;
  let distanceSum = 0;
  for (const [x, y] of points) {
    let best = -1;
    let bestDist = Infinity;
    centers.forEach(([cx, cy], k) => {
      const d = Math.hypot(x - cx, y - cy);
      if (d < bestDist) [best, bestDist] = [k, d];
    });
    distanceSum += bestDist;
    if (bestDist <= radius) {
      counts[best]++;
      near++;
    }
  }
  const fairShare = points.length / centers.length;
  return {
    covered: counts.filter((c) => c >= minShare * fairShare).length,
    modes: centers.length,
    counts,
    highQuality: points.length === 0 ? 0 : near / points.length,
    meanDistance: points.length === 0 ? NaN : distanceSum / points.length,
  };
}
