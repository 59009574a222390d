/**
 * @file Lesson 03's measures of a pair of generators on paired test images, next to the real
 * images' own: does G_AB paint stripes and keep colour and outline, does G_BA take them off, and
 * do the round trips give the images back.
 *
 * `testA[i]` and `testB[i]` are the same shape, plain and striped (the same seed, see
 * src/lessons/tinyCycleGan/shapes.ts), so the real images give each measure's reference value: a real striped
 * image keeps its plain twin's colour (error 0) and outline (IoU 1), and is striped (share 1).
 *
 * Example:
 *   const m = translationMeasures((x) => G_AB.forward(x), (x) => G_BA.forward(x), testA, testB);
 *   console.log(measuresTable({ "after 4 min": m }));
 */
import * as tf from "@tensorflow/tfjs-core";
import { stripeScores, stripedShare, type StripeScore } from "./stripeScore";
import { shapeMasks, maskIoU } from "./shapeMask";
import { colourError } from "./shapeColour";
import { psnr } from "./psnr";

export interface DirectionMeasures {
  /** Fraction of outputs that count as striped (src/lessons/tinyCycleGan/stripeScore.ts). */
  striped: number;
  /** Mean share of the shape's variation in one wave. */
  concentration: number;
  /** Mean contrast of that wave, in grey levels of [0, 1]. */
  contrast: number;
  /** Mean RGB distance of the output's shape colour from the input's (stripes left out). */
  colourError: number;
  /** Fraction of outputs whose shape colour is nearer the input's than any other palette colour (error < `COLOUR_KEPT`). */
  colourKept: number;
  /** Mean IoU of the output's shape mask with the input's. */
  iou: number;
}

export interface TranslationMeasures {
  /** A → B: G_AB on plain shapes. */
  ab: DirectionMeasures;
  /** B → A: G_BA on striped shapes. */
  ba: DirectionMeasures;
  /** Mean PSNR (dB) of G_BA(G_AB(a)) against a, and of G_AB(G_BA(b)) against b. */
  cycleA: number;
  cycleB: number;
}

type Generator = (x: tf.Tensor4D) => tf.Tensor;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Half the smallest distance between two palette colours (0.8): below it, the nearest palette colour is the input's own. */
export const COLOUR_KEPT = 0.4;

function direction(input: tf.Tensor4D, output: tf.Tensor4D): DirectionMeasures {
  const scores: StripeScore[] = stripeScores(output);
  const errors = colourError(input, output);
  return {
    striped: stripedShare(scores),
    concentration: mean(scores.map((s) => s.concentration)),
    contrast: mean(scores.map((s) => s.contrast)),
    colourError: mean(errors),
    colourKept: errors.filter((e) => e < COLOUR_KEPT).length / errors.length,
    iou: mean(maskIoU(shapeMasks(input), shapeMasks(output))),
  };
}

/** The measures of a generator pair on the paired test images. */
export function translationMeasures(G_AB: Generator, G_BA: Generator, testA: tf.Tensor4D, testB: tf.Tensor4D): TranslationMeasures {
  const [fakeB, recA, fakeA, recB] = tf.tidy(() => {
    const fb = G_AB(testA) as tf.Tensor4D;
    const fa = G_BA(testB) as tf.Tensor4D;
    return [fb, G_BA(fb), fa, G_AB(fa)] as tf.Tensor4D[];
  });
  const m = { ab: direction(testA, fakeB), ba: direction(testB, fakeA), cycleA: mean(psnr(testA, recA)), cycleB: mean(psnr(testB, recB)) };
  tf.dispose([fakeB, recA, fakeA, recB]);
  return m;
}

/** The real images' own values: testB as "G_AB(testA)", testA as "G_BA(testB)", the round trips perfect. */
export function realMeasures(testA: tf.Tensor4D, testB: tf.Tensor4D): TranslationMeasures {
  return { ab: direction(testA, testB), ba: direction(testB, testA), cycleA: Infinity, cycleB: Infinity };
}

/** One of lesson 03's thresholds: what, how to read it off the measures, and the bound. */
export interface Threshold {
  what: string;
  get: (m: TranslationMeasures) => number;
  op: "≥" | "≤";
  bound: number;
  /**
   * How far clear of the bound a pair must be to pass with room to spare (`missedThresholds(m,
   * { margin: true })`): one image in 16 on a share (the check's own resolution on 16 pairs),
   * 0.05 on a colour error or an IoU, 1 dB on a round trip's PSNR.
   */
  margin: number;
}

/** One image of the lesson's 16 test pairs, as a share. */
const ONE_IN_16 = 1 / 16;

/**
 * What a full run of lesson 03 must reach, set from measured runs with a margin (the lesson's
 * *The check* gives the runs): stripes painted and taken off, colours and outlines kept, round trips.
 */
export const THRESHOLDS: readonly Threshold[] = [
  { what: "G_AB(a) striped share", get: (m) => m.ab.striped, op: "≥", bound: 0.75, margin: ONE_IN_16 },
  { what: "G_AB(a) colour kept", get: (m) => m.ab.colourKept, op: "≥", bound: 0.75, margin: ONE_IN_16 },
  { what: "G_AB(a) colour error", get: (m) => m.ab.colourError, op: "≤", bound: 0.3, margin: 0.05 },
  { what: "G_AB(a) outline IoU", get: (m) => m.ab.iou, op: "≥", bound: 0.7, margin: 0.05 },
  { what: "G_BA(b) striped share", get: (m) => m.ba.striped, op: "≤", bound: 0.25, margin: ONE_IN_16 },
  { what: "G_BA(b) colour kept", get: (m) => m.ba.colourKept, op: "≥", bound: 0.75, margin: ONE_IN_16 },
  { what: "G_BA(b) colour error", get: (m) => m.ba.colourError, op: "≤", bound: 0.3, margin: 0.05 },
  { what: "G_BA(b) outline IoU", get: (m) => m.ba.iou, op: "≥", bound: 0.7, margin: 0.05 },
  { what: "PSNR G_BA(G_AB(a)), dB", get: (m) => m.cycleA, op: "≥", bound: 20, margin: 1 },
  { what: "PSNR G_AB(G_BA(b)), dB", get: (m) => m.cycleB, op: "≥", bound: 20, margin: 1 },
];

/**
 * The thresholds `m` misses (none: the translation passes). With `margin`, each bound moves its
 * threshold's margin further out: what scripts/lesson03-fallback.py asks of the pair it ships.
 */
export function missedThresholds(m: TranslationMeasures, options: { margin?: boolean } = {}): Threshold[] {
  return THRESHOLDS.filter((t) => {
    const v = t.get(m);
    const shift = options.margin ? t.margin : 0;
    // a share is k/16 and 0.75 + 1/16, 0.25 - 1/16 are exact in binary: 13/16 passes with one image to spare
    return !(t.op === "≥" ? v >= t.bound + shift : v <= t.bound - shift);
  });
}

/** One line per threshold, ✓ or ✗, the value, the bound and the real images' value. */
export function thresholdLines(m: TranslationMeasures, real: TranslationMeasures): string[] {
  const missed = missedThresholds(m);
  return THRESHOLDS.map((t) => {
    const r = t.get(real);
    return `${missed.includes(t) ? "✗" : "✓"} ${t.what.padEnd(24)} ${t.get(m).toFixed(3).padStart(7)} ${t.op} ${t.bound}   (real images: ${Number.isFinite(r) ? r.toFixed(3) : "∞"})`;
  });
}

/** A text table, one column per named set of measures. */
export function measuresTable(columns: Record<string, TranslationMeasures>): string {
  const names = Object.keys(columns);
  const rows: [string, (m: TranslationMeasures) => number, number][] = [
    ["G_AB(a) striped (share)", (m) => m.ab.striped, 2],
    ["  one-wave share", (m) => m.ab.concentration, 2],
    ["  stripe contrast", (m) => m.ab.contrast, 2],
    ["  colour error vs a", (m) => m.ab.colourError, 3],
    ["  colour kept (share)", (m) => m.ab.colourKept, 2],
    ["  outline IoU vs a", (m) => m.ab.iou, 2],
    ["G_BA(b) striped (share)", (m) => m.ba.striped, 2],
    ["  stripe contrast", (m) => m.ba.contrast, 2],
    ["  colour error vs b", (m) => m.ba.colourError, 3],
    ["  colour kept (share)", (m) => m.ba.colourKept, 2],
    ["  outline IoU vs b", (m) => m.ba.iou, 2],
    ["PSNR G_BA(G_AB(a)) vs a, dB", (m) => m.cycleA, 1],
    ["PSNR G_AB(G_BA(b)) vs b, dB", (m) => m.cycleB, 1],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const cols = names.map((n) => Math.max(n.length, 6));
  const lines = [["".padEnd(width), ...names.map((n, i) => n.padStart(cols[i]))].join("  ")];
  for (const [label, get, digits] of rows) {
    lines.push([label.padEnd(width), ...names.map((n, i) => { const v = get(columns[n]); return (Number.isFinite(v) ? v.toFixed(digits) : "∞").padStart(cols[i]); })].join("  "));
  }
  return lines.join("\n");
}
