/**
 * Lesson 03's measures on images whose answer is known: real striped and plain shapes (the same
 * shapes, paired by seed), noise, blurred stripes, crossed stripes, stripes at random angles and
 * a recoloured image. Each expected value follows from how the images are drawn (see the comments).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { ready } from "../../../src/backend";
import { plainShapes, stripedShapes, PALETTE, BACKGROUND } from "../../../src/lessons/tinyCycleGan/shapes";
import { stripeScore, stripeScores, stripedShare, STRIPED } from "../../../src/lessons/tinyCycleGan/stripeScore";
import { imagePixels, shapeMasks, maskIoU } from "../../../src/lessons/tinyCycleGan/shapeMask";
import { colourError, shapeColours } from "../../../src/lessons/tinyCycleGan/shapeColour";
import { psnr } from "../../../src/lessons/tinyCycleGan/psnr";
import { translationMeasures, realMeasures, measuresTable, missedThresholds, COLOUR_KEPT } from "../../../src/lessons/tinyCycleGan/translationMeasures";

const N = 32;
let A: tf.Tensor4D, B: tf.Tensor4D;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const min = (xs: number[]) => Math.min(...xs);
const GREY = BACKGROUND * 2 - 1; // the background in [−1, 1]
const max = (xs: number[]) => Math.max(...xs);
/** A 3 × 3 box blur, the border padded with the background's grey. */
const blur = (x: tf.Tensor4D) =>
  tf.tidy(() => {
    const nhwc = tf.pad(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]], GREY);
    return tf.transpose(tf.depthwiseConv2d(nhwc, tf.fill([3, 3, 3, 1], 1 / 9) as tf.Tensor4D, 1, "valid"), [0, 3, 1, 2]) as tf.Tensor4D;
  });

const m = suite("lesson 03 measures");
m.before(async () => {
  await ready();
  A = plainShapes(N, 32, { seed: 7 });
  B = stripedShapes(N, 32, { seed: 7 }); // the same shapes, striped
});

m("shapes: one seed gives the same shapes in both domains, in the palette's colours", () => {
  const colours = shapeColours(A);
  colours.forEach((c, i) => {
    assert.ok(PALETTE.some((p) => Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) < 1e-6), `image ${i}: ${c}`);
  });
  assert.equal(maskIoU(shapeMasks(A), shapeMasks(B)), Array(N).fill(1)); // stripes are inside the outline
  assert.ok(max(colourError(A, B)) < 1e-6); // between the stripes, the plain shape's colour
  assert.equal(stripedShapes(2, 32, { seed: 9 }).shape, [2, 3, 32, 32]);
  assert.not.equal(plainShapes(2, 32, { seed: 9 }).arraySync(), plainShapes(2, 32, { seed: 10 }).arraySync());
});

m("stripe score: real stripes pass, plain shapes score 0", () => {
  const s = stripeScores(B);
  assert.is(stripedShare(s), 1);
  // vertical stripes of period 4: the peak is at (±8, 0) cycles per 32 px, angle 0
  s.forEach((x) => assert.ok(Math.abs(x.period - 4) < 1e-9 && (x.angle < 1e-9 || x.angle > 180 - 1e-9), JSON.stringify(x)));
  // a 2-px dark, 2-px coloured square wave has most of its variation in one frequency
  assert.ok(mean(s.map((x) => x.concentration)) > 0.7);
  // brightness 0.9 and 0.05 in turns of 2 px: the fundamental of that square wave has amplitude 0.85/√2 = 0.60,
  // the same for every colour; less in small shapes, whose outline spreads some power past the peak's bins
  s.forEach((x) => assert.ok(x.contrast > 0.4 && x.contrast <= 0.61, String(x.contrast)));
  const p = stripeScores(A);
  p.forEach((x) => assert.is(x.contrast, 0)); // a flat shape has no variation at all
  assert.is(stripedShare(p), 0);
});

m("stripe score: noise, blurred stripes and cross-hatching do not pass", () => {
  // noise of σ 0.3 (in [0, 1]) spreads its power over every frequency: a few per cent at the peak
  const noise = tf.tidy(() => tf.clipByValue(tf.add(A, tf.randomNormal(A.shape, 0, 0.6, "float32", 3)), -1, 1)) as tf.Tensor4D;
  const sn = stripeScores(noise);
  assert.ok(max(sn.map((x) => x.concentration)) < STRIPED.concentration / 4, String(max(sn.map((x) => x.concentration))));
  assert.is(stripedShare(sn), 0);
  // a 3 × 3 box blur keeps 1/3 of a period-4 wave's amplitude ((1 + 2 cos(π/2)) / 3): faint stripes
  // (measured inside the sharp image's own outline, so that only the wave's amplitude differs)
  const sb = stripeScores(blur(B));
  const masksB = shapeMasks(B);
  const inOutline = imagePixels(blur(B)).map((p, i) => stripeScore(p, masksB[i]));
  const ratio = mean(inOutline.map((x) => x.contrast)) / mean(stripeScores(B).map((x) => x.contrast));
  assert.ok(Math.abs(ratio - 1 / 3) < 0.05, String(ratio));
  assert.ok(stripedShare(sb) <= 1 / 8, String(stripedShare(sb))); // only the boldest stripes, blurred, still pass
  // vertical and horizontal stripes together: two waves share the variation, neither reaches the threshold
  const hatch = tf.tidy(() => tf.minimum(B, stripedShapes(N, 32, { seed: 7, orientation: "horizontal" }))) as tf.Tensor4D;
  const sh = stripeScores(hatch);
  assert.ok(max(sh.map((x) => x.concentration)) < STRIPED.concentration, String(max(sh.map((x) => x.concentration))));
  // one wave at another angle is still stripes
  const diagonal = stripeScores(stripedShapes(N, 32, { seed: 7, orientation: "horizontal" }));
  assert.is(stripedShare(diagonal), 1);
  diagonal.forEach((x) => assert.ok(Math.abs(x.angle - 90) < 1e-9));
});

m("shape mask: IoU 1 for the same outline, less for a blurred or shifted one", () => {
  assert.equal(maskIoU(shapeMasks(A), shapeMasks(A)), Array(N).fill(1));
  const shifted = tf.tidy(() => tf.concat([tf.fill([N, 3, 32, 4], GREY), tf.slice(A, [0, 0, 0, 0], [N, 3, 32, 28])], 3)) as tf.Tensor4D;
  // a 4-px shift of a shape 14–23 px wide leaves well under nine tenths in common
  assert.ok(max(maskIoU(shapeMasks(A), shapeMasks(shifted))) < 0.9);
  assert.ok(mean(maskIoU(shapeMasks(A), shapeMasks(blur(A)))) > 0.8); // a blur moves the outline by about a pixel
  const background = tf.fill([1, 3, 32, 32], GREY) as tf.Tensor4D;
  assert.equal(maskIoU(shapeMasks(background), shapeMasks(background)), [1]);
  assert.equal(maskIoU(shapeMasks(A.slice(0, 1)), shapeMasks(background)), [0]);
});

m("shape colour: a recoloured shape is far, a blurred one near", () => {
  // each shape repainted in the palette's next colour: any two palette colours differ by 0.8 in a channel at least
  const recoloured = tf.tidy(() => {
    const inside = tf.cast(tf.greater(tf.max(tf.abs(tf.sub(A, GREY)), 1, true), 0.5), "float32");
    const next = shapeColours(A).map((c) => PALETTE[(PALETTE.findIndex((p) => Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) < 1e-6) + 1) % PALETTE.length]);
    const paint = tf.reshape(tf.sub(tf.mul(tf.tensor2d(next.map((c) => [...c])), 2), 1), [N, 3, 1, 1]);
    return tf.add(tf.mul(inside, paint), tf.mul(tf.sub(1, inside), A));
  }) as tf.Tensor4D;
  assert.ok(min(colourError(A, recoloured)) >= 0.8 - 1e-6, String(min(colourError(A, recoloured))));
  assert.ok(max(colourError(A, recoloured)) < 1.6, "two palette colours are at most 0.8·√3 apart");
  assert.ok(mean(colourError(A, blur(A))) < 0.2); // the blur mixes the outline with the background
  const stripesOnly = tf.tidy(() => tf.where(tf.less(B, -0.8), B, tf.fill(B.shape, GREY))) as tf.Tensor4D;
  assert.ok(min(colourError(A, stripesOnly)) > 1); // no coloured pixel left: the largest error, √3
});

m("psnr: ∞ for the same image, 10·log10(1/MSE) otherwise", () => {
  assert.equal(psnr(A, A), Array(N).fill(Infinity));
  // a constant offset of 0.1 in [0, 1] (0.2 in [−1, 1]): MSE 0.01, 20 dB
  const off = tf.tidy(() => tf.add(A.slice(0, 2), 0.2)) as tf.Tensor4D;
  psnr(A.slice(0, 2), off).forEach((db) => assert.ok(Math.abs(db - 20) < 1e-3, String(db)));
  assert.throws(() => psnr(A, A.slice(0, 2)), /psnr: images of shape \[32, 3, 32, 32\] against \[2, 3, 32, 32\]/);
});

m("translation measures: the real pairs score as the answer; copying, recolouring and blurring each fail where they should", () => {
  // COLOUR_KEPT is half the smallest distance between two palette colours
  const gaps = PALETTE.flatMap((p, i) => PALETTE.slice(i + 1).map((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])));
  assert.ok(Math.abs(COLOUR_KEPT - min(gaps) / 2) < 1e-9, String(min(gaps)));
  const real = realMeasures(A, B);
  assert.equal([real.ab.striped, real.ab.colourKept, real.ab.iou, real.ba.striped, real.ba.colourKept, real.ba.iou], [1, 1, 1, 0, 1, 1]);
  assert.ok(real.ab.colourError < 1e-6 && real.ba.colourError < 1e-6);
  // generators that copy their input: nothing striped, colours and outlines kept, perfect round trips
  const copy = translationMeasures((x) => tf.clone(x), (x) => tf.clone(x), A, B);
  assert.is(copy.ab.striped, 0);
  assert.is(copy.ba.striped, 1);
  assert.is(copy.ab.colourKept, 1);
  assert.equal([copy.cycleA, copy.cycleB], [Infinity, Infinity]);
  // the right stripes on a channel-rotated shape (RGB → GBR; white, the one colour it keeps, is the exception)
  const rotate = (x: tf.Tensor4D) => tf.gather(x, [1, 2, 0], 1);
  const white = shapeColours(A).filter((c) => c.every((v) => Math.abs(v - 0.9) < 1e-6)).length;
  const swapped = translationMeasures((x) => rotate(x === A ? B : x), (x) => rotate(x), A, B);
  assert.ok(Math.abs(swapped.ab.colourKept - white / N) < 1e-9, `${swapped.ab.colourKept} vs ${white}/${N} white shapes`);
  assert.is(swapped.ab.striped, 1);
  // blurred outputs: outlines kept roughly, stripes gone
  const blurry = translationMeasures((x) => blur(x as tf.Tensor4D), (x) => blur(x as tf.Tensor4D), A, B);
  assert.ok(blurry.ba.striped <= 1 / 8 && blurry.ab.iou > 0.8, JSON.stringify(blurry.ab));
  assert.match(measuresTable({ real, copy }), /colour kept \(share\) +1\.00 +1\.00/);
});

m("the check's margins: a share on the bound passes the check but not with its margin; one image in 16 further, both", () => {
  const real = realMeasures(A, B);
  assert.equal(missedThresholds(real, { margin: true }), []);
  const names = (ab: number, ba: number, margin: boolean) =>
    missedThresholds({ ...real, ab: { ...real.ab, striped: ab }, ba: { ...real.ba, striped: ba } }, { margin }).map((t) => t.what);
  assert.equal(names(12 / 16, 4 / 16, false), []);
  assert.equal(names(12 / 16, 4 / 16, true), ["G_AB(a) striped share", "G_BA(b) striped share"]);
  assert.equal(names(13 / 16, 3 / 16, true), []);
  assert.equal(names(11 / 16, 5 / 16, false), ["G_AB(a) striped share", "G_BA(b) striped share"]);
  const psnr = (db: number) => missedThresholds({ ...real, cycleA: db }, { margin: true }).map((t) => t.what);
  assert.equal([psnr(20.5), psnr(21)], [["PSNR G_BA(G_AB(a)), dB"], []]);
});

m.run();
