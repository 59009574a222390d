/**
 * One training step of a miniature CycleGAN generator + PatchGAN (every op kind they use:
 * ReflectionPad2d, Conv2d, InstanceNorm2d, ReLU, ConvTranspose2d, Tanh, LeakyReLU, MSE, Adam)
 * runs on wasm and gives the same gradients as on cpu.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../src/backend";
import { maxAbsDiff } from "../helpers/fixtures";
import { ResNetGenerator, NLayerDiscriminator } from "../../src/models";
import { InstanceNorm2d } from "../../src/nn";

// nn's own layer (its means are global average pools, so AvgPoolGrad runs too), not a re-derivation
const instanceNorm = (x: tf.Tensor4D) => new InstanceNorm2d(x.shape[3]).forwardNHWC(x) as tf.Tensor4D;

function gradsOn(values: Float32Array[], shapes: number[][]) {
  const [w1, w2, w3, w4, x0] = values.map((v, i) => tf.tensor(v, shapes[i]));
  const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
    let h = tf.mirrorPad(x0 as tf.Tensor4D, [[0, 0], [3, 3], [3, 3], [0, 0]], "reflect");
    h = tf.relu(instanceNorm(tf.conv2d(h, a as tf.Tensor4D, 1, "valid"))); // [1, 8, 8, 4]
    h = tf.relu(instanceNorm(tf.conv2d(h, b as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))); // [1, 4, 4, 6]
    h = tf.conv2dTranspose(h, c as tf.Tensor4D, [1, 8, 8, 4], 2, [[0, 0], [1, 0], [1, 0], [0, 0]] as any);
    const fake = tf.tanh(h); // [1, 8, 8, 4]
    const patch = tf.leakyRelu(tf.conv2d(fake, d as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), 0.2);
    return tf.mean(tf.square(tf.sub(patch, 1))) as tf.Scalar; // LSGAN: (D(G(x)) − 1)²
  };
  return tf.grads(loss)([w1, w2, w3, w4]);
}

test("a generator + discriminator step has the same gradients on wasm as on cpu", async () => {
  const shapes = [[7, 7, 3, 4], [3, 3, 4, 6], [3, 3, 4, 6], [4, 4, 4, 1], [1, 8, 8, 3]];
  const values = shapes.map((s, i) => Float32Array.from({ length: s.reduce((p, q) => p * q) }, (_, j) => Math.sin(1 + 7 * j + 13 * i)));
  await useBackend("cpu");
  const onCpu = await Promise.all(gradsOn(values, shapes).map((g) => g.data() as Promise<Float32Array>));
  await useBackend("wasm");
  const onWasm = await Promise.all(gradsOn(values, shapes).map((g) => g.data() as Promise<Float32Array>));
  onCpu.forEach((g, i) => {
    const scale = Math.max(...g.map(Math.abs));
    assert.ok(scale > 0, `gradient ${i} is not zero`);
    assert.ok(maxAbsDiff(g, onWasm[i]) < 1e-4 * scale, `gradient ${i}: ${maxAbsDiff(g, onWasm[i])} vs scale ${scale}`);
  });
});

test("the book's ResNetGenerator and PatchGAN train on wasm with cpu's gradients", async () => {
  const x = Float32Array.from({ length: 2 * 3 * 16 * 16 }, (_, i) => Math.sin(0.37 * i));
  let weights: [string, Float32Array, number[]][] | undefined;
  const gradsOnBackend = async (backend: "cpu" | "wasm") => {
    await useBackend(backend);
    const netG = new ResNetGenerator(3, 3, 4, 1);
    const netD = new NLayerDiscriminator(3, 4, 2);
    const both = [...netG.stateDict(), ...[...netD.stateDict()].map(([k, v]) => ["D." + k, v] as [string, tf.Tensor])];
    if (weights === undefined) weights = both.map(([k, v]) => [k, v.dataSync() as Float32Array, v.shape]);
    const named = new Map(weights.map(([k, d, s]) => [k, tf.tensor(d, s)]));
    netG.loadStateDict(new Map([...named].filter(([k]) => !k.startsWith("D."))));
    netD.loadStateDict(new Map([...named].filter(([k]) => k.startsWith("D.")).map(([k, v]) => [k.slice(2), v])));
    const input = tf.tensor4d(x, [2, 3, 16, 16]);
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(netD.forward(netG.forward(input)), 1))) as tf.Scalar);
    return Promise.all(netG.parameters().map((v) => grads[v.name].data() as Promise<Float32Array>));
  };
  const onCpu = await gradsOnBackend("cpu");
  const onWasm = await gradsOnBackend("wasm");
  assert.is(onCpu.length, 16); // 8 convs (7×7 in, 2 down, 2 in the block, 2 transposed, 7×7 out) × (weight, bias)
  // A bias just before InstanceNorm gets a zero gradient (the norm subtracts it again), so its
  // float32 noise is compared against the largest gradient of all.
  const scale = Math.max(...onCpu.map((g) => Math.max(...g.map(Math.abs))));
  onCpu.forEach((g, i) => {
    assert.ok(maxAbsDiff(g, onWasm[i]) <= 1e-4 * scale, `parameter ${i}: ${maxAbsDiff(g, onWasm[i])} vs scale ${scale}`);
  });
});

test("Adam updates a conv weight on wasm", async () => {
  await useBackend("wasm");
  const w = tf.variable(tf.randomNormal([3, 3, 2, 2], 0, 1, "float32", 1));
  const x = tf.randomNormal([1, 5, 5, 2], 0, 1, "float32", 2) as tf.Tensor4D;
  const before = w.arraySync();
  tf.train.adam(2e-4, 0.5).minimize(() => tf.mean(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, "same"))) as tf.Scalar);
  assert.not.equal(w.arraySync(), before);
});

test.run();
