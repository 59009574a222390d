/** The small wasm kernels stripes adds or wraps, against hand-checkable values and cpu. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../src/backend";
import { maxAbsDiff } from "../helpers/fixtures";
import { memory } from "../../src/notebook/memory";

test("gather's gradient (UnsortedSegmentSum) adds the rows of repeated indices on wasm", async () => {
  await useBackend("wasm");
  // x has 3 rows; gather rows [2, 0, 2]; dy rows [1 1], [2 2], [4 4] → dx = [2 2], [0 0], [5 5]
  const dx = tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor1d([2, 0, 2], "int32")))(tf.zeros([3, 2]), tf.tensor2d([[1, 1], [2, 2], [4, 4]]));
  assert.equal(await dx.array(), [[2, 2], [0, 0], [5, 5]]);
});

test("UnsortedSegmentSum drops ids outside [0, numSegments) on wasm, as on cpu", async () => {
  const run = () => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 3, 1, -1], "int32"), 2).array();
  await useBackend("cpu");
  const onCpu = await run();
  await useBackend("wasm");
  assert.equal(await run(), onCpu);
  assert.equal(onCpu, [1, 3]);
});

test("transposed matMul on wasm equals cpu's, every transpose combination and a batch", async () => {
  const a = Float32Array.from({ length: 2 * 5 * 7 }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: 2 * 7 * 5 }, (_, i) => Math.cos(i));
  const products = async () => {
    const out: Float32Array[] = [];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const A = tf.tensor3d(a, ta ? [2, 7, 5] : [2, 5, 7]);
      const B = tf.tensor3d(b, tb ? [2, 5, 7] : [2, 7, 5]);
      out.push((await tf.matMul(A, B, ta, tb).data()) as Float32Array);
    }
    return out;
  };
  await useBackend("cpu");
  const onCpu = await products();
  await useBackend("wasm");
  const onWasm = await products();
  onCpu.forEach((p, i) => assert.ok(maxAbsDiff(p, onWasm[i]) < 1e-5, `combination ${i}`));
});

test("the wrapped matMul does not leak tensors", async () => {
  await useBackend("wasm");
  const a = tf.ones([4, 3]), b = tf.ones([4, 2]);
  tf.matMul(a, b, true, false).dispose();
  const before = tf.memory().numTensors;
  tf.matMul(a, b, true, false).dispose();
  assert.is(tf.memory().numTensors, before);
});

test("InstanceNorm2d in training on wasm: one kernel each way, equal to cpu's composed ops (forward, dx, affine grads)", async () => {
  const { InstanceNorm2d } = await import("../../src/nn");
  // 3 images, 5 channels, means well off zero, so that centring matters
  const x = () => tf.add(tf.mul(tf.tensor4d(Float32Array.from({ length: 3 * 6 * 7 * 5 }, (_, i) => Math.sin(i * 1.7)), [3, 6, 7, 5]), 2), 3);
  const dy = () => tf.tensor4d(Float32Array.from({ length: 3 * 6 * 7 * 5 }, (_, i) => Math.cos(i * 0.3)), [3, 6, 7, 5]);
  const run = async () => {
    const norm = new InstanceNorm2d(5, { affine: true });
    norm.weight!.assign(tf.tensor1d([1, 2, 0.5, -1, 3]));
    norm.bias!.assign(tf.tensor1d([0, 1, -1, 2, 0.5]));
    const [X, DY] = [x(), dy()];
    const y = norm.forwardNHWC(X);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(norm.forwardNHWC(X), DY)) as tf.Scalar, [norm.weight!, norm.bias!]);
    const dx = tf.grad((a: tf.Tensor) => norm.forwardNHWC(a))(X, DY);
    return [await y.data(), await dx.data(), await grads[norm.weight!.name].data(), await grads[norm.bias!.name].data()];
  };
  await useBackend("cpu");
  const onCpu = await run();
  await useBackend("wasm");
  const onWasm = await run();
  ["y", "dx", "dweight", "dbias"].forEach((name, i) => assert.ok(maxAbsDiff(onCpu[i], onWasm[i]) < 1e-5, `${name}: ${maxAbsDiff(onCpu[i], onWasm[i])}`));
  const { InstanceNorm2d: Norm } = await import("../../src/nn");
  const norm = new Norm(5);
  const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => norm.forwardNHWC(a))(x(), dy()));
  const names = profile.kernels.map((k) => k.name).filter((n) => n.startsWith("StripesInstanceNorm"));
  assert.equal(names, ["StripesInstanceNorm", "StripesInstanceNormGrad"]);
});

test("BatchNorm2d in training on wasm: one kernel each way and one for the running statistics, equal to cpu's composed ops", async () => {
  const { BatchNorm2d } = await import("../../src/nn");
  // 3 images, 5 channels, means well off zero, so that centring matters
  const x = () => tf.add(tf.mul(tf.tensor4d(Float32Array.from({ length: 3 * 6 * 7 * 5 }, (_, i) => Math.sin(i * 1.7)), [3, 6, 7, 5]), 2), 3);
  const dy = () => tf.tensor4d(Float32Array.from({ length: 3 * 6 * 7 * 5 }, (_, i) => Math.cos(i * 0.3)), [3, 6, 7, 5]);
  const build = () => {
    const norm = new BatchNorm2d(5, { momentum: 0.3 });
    norm.weight!.assign(tf.tensor1d([1, 2, 0.5, -1, 3]));
    norm.bias!.assign(tf.tensor1d([0, 1, -1, 2, 0.5]));
    norm.running_mean!.assign(tf.tensor1d([0.5, -1, 0, 2, 1]));
    return norm;
  };
  const run = async () => {
    const norm = build();
    const [X, DY] = [x(), dy()];
    const y = norm.forwardNHWC(X);
    const stats = [await norm.running_mean!.data(), await norm.running_var!.data()];
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(norm.forwardNHWC(X), DY)) as tf.Scalar, [norm.weight!, norm.bias!]);
    const dx = tf.grad((a: tf.Tensor) => norm.forwardNHWC(a))(X, DY);
    return [await y.data(), await dx.data(), await grads[norm.weight!.name].data(), await grads[norm.bias!.name].data(), ...stats];
  };
  await useBackend("cpu");
  const onCpu = await run();
  await useBackend("wasm");
  const onWasm = await run();
  ["y", "dx", "dweight", "dbias", "running_mean", "running_var"].forEach((name, i) =>
    assert.ok(maxAbsDiff(onCpu[i], onWasm[i]) < 1e-5, `${name}: ${maxAbsDiff(onCpu[i], onWasm[i])}`),
  );
  const norm = build();
  const [X, DY] = [x(), dy()];
  const profile = await tf.profile(() => tf.variableGrads(() => tf.sum(tf.mul(norm.forwardNHWC(X), DY)) as tf.Scalar, [norm.weight!, norm.bias!]));
  const names = profile.kernels.map((k) => k.name).filter((n) => n.startsWith("StripesBatchNorm"));
  assert.equal(names, ["StripesBatchNorm", "StripesBatchNormStats", "StripesBatchNormGrad"]);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(norm.forwardNHWC(X), DY)) as tf.Scalar, [norm.weight!, norm.bias!]);
  tf.dispose([value, ...Object.values(grads)]);
  tf.dispose(tf.grad((a: tf.Tensor) => norm.forwardNHWC(a))(X, DY));
  assert.is(tf.memory().numTensors, before, "no tensors leak (the gradient's three outputs)");
});

test("mirrorPad's gradient on wasm is one kernel and equals the composed fold, both modes, uneven pads, ranks 3 and 4", async () => {
  const { mirrorPadBackward } = await import("../../src/kernels/mirrorPadGrad");
  await useBackend("wasm");
  const cases: [number[], [number, number][]][] = [
    [[2, 5, 6, 3], [[0, 0], [2, 1], [0, 3], [0, 0]]],
    [[4, 5, 3], [[1, 2], [3, 2], [0, 1]]],
  ];
  for (const mode of ["reflect", "symmetric"] as const) {
    for (const [shape, paddings] of cases) {
      const x = tf.zeros(shape);
      const padded = shape.map((n, i) => n + paddings[i][0] + paddings[i][1]);
      const dy = tf.tensor(Float32Array.from({ length: padded.reduce((a, b) => a * b) }, (_, i) => Math.sin(i)), padded);
      const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.mirrorPad(a, paddings, mode))(x, dy));
      const dx = profile.result as tf.Tensor;
      assert.equal(profile.kernels.map((k) => k.name).filter((n) => n !== "MirrorPad" && n !== "Identity"), ["StripesMirrorPadGrad"], `${mode} ${shape}`);
      const want = await mirrorPadBackward(dy, shape, paddings, mode).data();
      assert.ok(maxAbsDiff(await dx.data(), want) < 1e-6, `${mode} ${shape}`);
    }
  }
});

test("nn.Conv2d on wasm is one StripesConv2D call whose gradient computes only what is asked for", async () => {
  const { Conv2d } = await import("../../src/nn");
  await useBackend("wasm");
  const conv = new Conv2d(3, 4, 3, { stride: 2, padding: 1 });
  const x = tf.randomNormal([1, 8, 8, 3]);
  const kernels = async (f: () => unknown) => (await tf.profile(f as () => tf.TensorContainer)).kernels.map((k) => k.name);
  const forward = await kernels(() => conv.forwardNHWC(x));
  assert.equal(forward, ["StripesConv2D"]);
  // weights only (the input is an image): no input gradient
  const weights = await kernels(() => tf.variableGrads(() => tf.sum(conv.forwardNHWC(x)) as tf.Scalar, [conv.weight]));
  assert.ok(weights.includes("Conv2DBackpropFilter") && !weights.includes("Conv2DBackpropInput"), weights.join(" "));
  // the input only (the discriminator during the generator's step): no weight gradient
  const input = await kernels(() => tf.grad((a: tf.Tensor) => conv.forwardNHWC(a))(x));
  assert.ok(input.includes("Conv2DBackpropInput") && !input.includes("Conv2DBackpropFilter"), input.join(" "));
});

test("ReLU's and LeakyReLU's gradients on wasm: one kernel, cpu's numbers (x < 0, = 0, > 0)", async () => {
  const x = [-2, -0.5, 0, 0.25, 3, -1e-8];
  const dy = [1.5, -2, 3, 0.7, -1, 4];
  const grads = async () => [
    await tf.grad((a: tf.Tensor) => tf.relu(a))(tf.tensor1d(x), tf.tensor1d(dy)).data(),
    await tf.grad((a: tf.Tensor) => tf.leakyRelu(a, 0.2))(tf.tensor1d(x), tf.tensor1d(dy)).data(),
  ];
  await useBackend("cpu");
  const onCpu = await grads();
  await useBackend("wasm");
  const onWasm = await grads();
  assert.equal(Array.from(onWasm[0]), Array.from(onCpu[0]));
  assert.equal(Array.from(onWasm[1]), Array.from(onCpu[1]));
  assert.equal(Array.from(onCpu[0]), [0, -0, 0, 0.7, -1, 0].map(Math.fround));
  const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.leakyRelu(a, 0.2))(tf.tensor1d(x), tf.tensor1d(dy)));
  assert.equal(profile.kernels.map((k) => k.name).filter((n) => n !== "Identity"), ["LeakyRelu", "StripesReluGrad"]);
});

test("tf.clone on wasm shares memory and outlives its source; a weight's rotated filter is made once per value", async () => {
  await useBackend("wasm");
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.equal(Array.from(await y.data()), [1, 2, 3]);

  const w = tf.variable(tf.randomNormal([3, 3, 4, 5]));
  const dy = tf.randomNormal([1, 6, 6, 5]) as tf.Tensor4D;
  const dx = () => tf.conv2dTranspose(dy, w as unknown as tf.Tensor4D, [1, 8, 8, 4], 1, "valid");
  const names = async () => (await tf.profile(dx)).kernels.map((k) => k.name);
  const first = await names(), second = await names();
  assert.ok(first.includes("StripesRotateFilter"), first.join(" "));
  assert.not.ok(second.includes("StripesRotateFilter"), second.join(" "));
  // a new value: a new rotation, and the numbers of the new value (against cpu's tfjs kernel)
  w.assign(tf.randomNormal([3, 3, 4, 5]));
  assert.ok((await names()).includes("StripesRotateFilter"), "the new value is rotated");
  const onWasm = await dx().data();
  const [wv, dyv] = [await w.data(), await dy.data()];
  await useBackend("cpu");
  const onCpu = await tf.conv2dTranspose(tf.tensor4d(dyv, [1, 6, 6, 5]), tf.tensor4d(wv, [3, 3, 4, 5]), [1, 8, 8, 4], 1, "valid").data();
  await useBackend("wasm");
  assert.ok(maxAbsDiff(onWasm, onCpu) < 1e-5, `${maxAbsDiff(onWasm, onCpu)}`);
});

test("memory() frees the cached rotations before it counts (they are made again on next use): none is left unheld after a training loop", async () => {
  await useBackend("wasm");
  const w = tf.variable(tf.randomNormal([3, 3, 4, 5]));
  const dy = tf.randomNormal([1, 6, 6, 5]) as tf.Tensor4D;
  const dx = () => tf.tidy(() => tf.conv2dTranspose(dy, w as unknown as tf.Tensor4D, [1, 8, 8, 4], 1, "valid"));
  const before = memory().tensors; // also frees what earlier tests cached
  const out = dx();
  assert.is(tf.memory().numTensors, before + 2, "the result and the weight's cached rotation");
  assert.is(memory().tensors, before + 1, "only the result: the rotation was freed");
  const profiled = await tf.profile(dx);
  const names = profiled.kernels.map((k) => k.name);
  assert.ok(names.includes("StripesRotateFilter"), `rotated again after memory(): ${names.join(" ")}`);
  assert.equal(Array.from(await (profiled.result as tf.Tensor).data()), Array.from(await out.data()));
  tf.dispose([profiled.result as tf.Tensor, out, w, dy]);
  assert.is(memory().tensors, before - 2, "w and dy were made before the count");
});

test.run();
