import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import { useDefaultBackend } from "../../helpers/backend";
import { ImagePool } from "../../../src/lessons/tinyCycleGan/imagePool";
import { imageGridPng } from "../../../src/lessons/tinyCycleGan/imageGrid";
import { initWeights } from "../../../src/lessons/tinyCycleGan/initWeights";

// An image whose every value is k, so that which image came back is visible.
const img = (k: number) => tf.fill([1, 1, 2, 2], k) as tf.Tensor4D;
const ids = async (t: tf.Tensor4D) => Array.from(await tf.mean(t, [1, 2, 3]).data());

const pool = suite("ImagePool");
pool.before(async () => {
  await useDefaultBackend();
});

pool("while filling, every image goes in and comes straight back", async () => {
  const p = new ImagePool(3);
  assert.equal(await ids(p.query(img(1))), [1]);
  assert.equal(await ids(p.query(tf.concat([img(2), img(3)]) as tf.Tensor4D)), [2, 3]);
  assert.is(p.size, 3);
});

pool("once full, an image comes back or is swapped for a stored one, about half the time each", async () => {
  const p = new ImagePool(3, 7);
  for (const k of [1, 2, 3]) p.query(img(k));
  let swapped = 0;
  for (let k = 10; k < 210; k++) {
    const [got] = await ids(p.query(img(k)));
    if (got !== k) swapped++;
    assert.is(p.size, 3);
  }
  assert.ok(swapped > 70 && swapped < 130, `${swapped} of 200 swapped`);
});

pool("a pool of size 0 returns the images unchanged; no tensors leak once full", async () => {
  assert.equal(await ids(new ImagePool(0).query(img(5))), [5]);
  const p = new ImagePool(2, 3);
  p.query(img(1)).dispose();
  p.query(img(2)).dispose();
  const x = img(9);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) p.query(x).dispose();
  assert.is(tf.memory().numTensors, before);
  p.dispose();
});

pool("imageGridPng lays rows out with 2 px gaps, scaled, values mapped from [−1, 1] to 0…255", async () => {
  const white = tf.ones([2, 3, 4, 4]) as tf.Tensor4D; // 1 → 255
  const black = tf.fill([1, 3, 4, 4], -1) as tf.Tensor4D; // −1 → 0
  const png = await imageGridPng([white, black], 1);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height], [2 * 4 + 2, 2 * 4 + 2]);
  assert.is(data[0], 255); // first row, first image
  assert.is(data[(6 * info.width + 0) * info.channels], 0); // second row (y = 4 + 2), first image: black
  assert.is(data[(6 * info.width + 8) * info.channels], 255); // second row has one image: the rest is the white background
});

pool.run();

const init = suite("initWeights");
init("conv weights from N(0, 0.02²), biases 0, seeded; norms without parameters untouched", async () => {
  await useDefaultBackend();
  const { ResNetGenerator } = await import("../../../src/models");
  const g = initWeights(new ResNetGenerator(3, 3, 8, 1), 0.02, 5);
  const params = g.namedParameters();
  const weights = params.filter(([k]) => k.endsWith("weight")).map(([, v]) => v);
  const all = tf.concat(weights.map((w) => tf.reshape(w, [-1])));
  const { mean, variance } = tf.moments(all);
  assert.ok(Math.abs(mean.dataSync()[0]) < 0.002, `mean ${mean.dataSync()[0]}`);
  assert.ok(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.02) < 0.001, `std ${Math.sqrt(variance.dataSync()[0])}`);
  for (const [k, v] of params.filter(([k]) => k.endsWith("bias"))) assert.is(tf.max(tf.abs(v)).dataSync()[0], 0, k);
  const again = initWeights(new ResNetGenerator(3, 3, 8, 1), 0.02, 5);
  assert.equal(await again.namedParameters()[0][1].data(), await params[0][1].data());
});

init("BatchNorm2d weights from N(1, 0.02²), biases 0 (init_weights' BatchNorm branch)", async () => {
  await useDefaultBackend();
  const { BatchNorm2d } = await import("../../../src/nn");
  const bn = new BatchNorm2d(4000);
  bn.bias!.assign(tf.onesLike(bn.bias!)); // so that zeroing it shows
  initWeights(bn, 0.02, 3);
  const { mean, variance } = tf.moments(bn.weight!);
  // the mean of 4000 draws has std 0.02 / √4000 ≈ 0.0003
  assert.ok(Math.abs(mean.dataSync()[0] - 1) < 0.002, `mean ${mean.dataSync()[0]}`);
  assert.ok(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.02) < 0.001, `std ${Math.sqrt(variance.dataSync()[0])}`);
  assert.is(tf.max(tf.abs(bn.bias!)).dataSync()[0], 0);
});

init.run();
