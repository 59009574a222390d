/**
 * Lesson 03's fallback generators (data/lesson03/, trained by scripts/lesson03-fallback.py in
 * PyTorch): stripes loads the very files PyTorch loaded strictly into the book's
 * ResNetGenerator (scripts/fixtures/lesson03.py) and computes PyTorch's outputs on the lesson's
 * test images; the images themselves are the lesson's (plainShapes / stripedShapes, seed 7).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as crypto from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend";
import * as torch from "../../src/torch";
import { ResNetGenerator } from "../../src/models";
import { fallbackCheckpoint, plainShapes, stripedShapes } from "../../src/lessons";
import { maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";

test("the fallback pair loads in stripes and gives PyTorch's output (within 1e-5) on the lesson's test images", async () => {
  await ready();
  const manifest = readManifest("lesson03");
  assert.equal(Array.from(readArray("lesson03", "testA").data), Array.from(plainShapes(8, 32, { seed: 7 }).dataSync()));
  assert.equal(Array.from(readArray("lesson03", "testB").data), Array.from(stripedShapes(8, 32, { seed: 7 }).dataSync()));
  let bytes = 0;
  for (const [name, input] of [["G_AB", "testA"], ["G_BA", "testB"]] as const) {
    const file = fallbackCheckpoint(name);
    const entry = manifest[`${name}_output`];
    bytes += fs.statSync(file).size;
    // the committed file is the one PyTorch read
    assert.is(crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex"), entry.sha256, `${file} changed since scripts/make-fixtures.py lesson03`);
    const state = torch.load(file) as Map<string, tf.Tensor>;
    assert.equal([...state.keys()], entry.keys);
    const net = new ResNetGenerator(3, 3, 8, 3);
    net.loadStateDict(state);
    net.eval();
    const x = readArray("lesson03", input);
    const y = net.forward(tf.tensor(x.data as Float32Array, x.shape));
    const expected = readArray("lesson03", `${name}_output`);
    assert.equal(y.shape, expected.shape);
    const diff = maxAbsDiff(await y.data(), expected.data);
    assert.ok(diff < 1e-5, `${name}: max abs diff ${diff}`);
  }
  assert.ok(bytes <= 1024 * 1024, `the two checkpoints take ${bytes} bytes, more than 1 MB`);
});

test.run();
