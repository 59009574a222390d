/**
 * Gradients of conv, transposed conv and reflection padding, on wasm (where stripes registers
 * Conv2DBackpropFilter) and on cpu, against PyTorch (scripts/fixtures/kernels.py).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend, type BackendName } from "../../src/backend";
import { readArray, readManifest, maxAbsDiff } from "../helpers/fixtures";
import { InstanceNorm2d } from "../../src/nn";
import { conv2dBackpropInput, conv2dBackpropFilter } from "../../src/kernels";

// float32 sums of up to a few hundred products of N(0, 1) values, in another order than PyTorch's.
const TOL = 1e-4;

const toNHWC = (name: string) => {
  const { data, shape } = readArray("kernels", name);
  return tf.transpose(tf.tensor(data as Float32Array, shape), [0, 2, 3, 1]) as tf.Tensor4D;
};
const fromNHWC = (t: tf.Tensor) => tf.transpose(t, [0, 3, 1, 2]);
// PyTorch conv weight [O, I, kh, kw] ↔ tfjs filter [kh, kw, I, O]; ConvTranspose2d's [I, O, kh, kw] ↔ [kh, kw, O, I]
const weight = (name: string) => {
  const { data, shape } = readArray("kernels", name);
  return tf.transpose(tf.tensor(data as Float32Array, shape), [2, 3, 1, 0]) as tf.Tensor4D;
};
const expected = (name: string) => readArray("kernels", name).data as Float32Array;

const manifest = readManifest("kernels");
const cases = (prefix: string) => [...new Set(Object.keys(manifest).filter((k) => k.startsWith(prefix)).map((k) => k.split(".")[0]))];

// cpu first, so that the test files after this one run on wasm again
for (const backend of ["cpu", "wasm"] as BackendName[]) {
  const s = suite(`gradients on ${backend}`);
  s.before(async () => {
    await useBackend(backend);
  });

  for (const name of cases("conv_")) {
    s(`${name}: dx and dweight match PyTorch`, async () => {
      const { stride, padding } = manifest[`${name}.x`];
      const pad: [number, number][] = [[0, 0], [padding, padding], [padding, padding], [0, 0]];
      const x = toNHWC(`${name}.x`), w = weight(`${name}.weight`), dy = toNHWC(`${name}.dy`);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad))([x, w], dy);
      assert.ok(maxAbsDiff(await fromNHWC(dx).data(), expected(`${name}.dx`)) < TOL, "dx");
      assert.ok(maxAbsDiff(await tf.transpose(dw, [3, 2, 0, 1]).data(), expected(`${name}.dweight`)) < TOL, "dweight");
    });
  }

  for (const name of cases("convT_")) {
    s(`${name}: ConvTranspose2d's dx and dweight match PyTorch`, async () => {
      const { stride, padding, output_padding: op } = manifest[`${name}.x`];
      const x = toNHWC(`${name}.x`), w = weight(`${name}.weight`), dy = toNHWC(`${name}.dy`);
      const [n, h, wd] = x.shape;
      const outShape: [number, number, number, number] = [n, (h - 1) * stride - 2 * padding + w.shape[0] + op, (wd - 1) * stride - 2 * padding + w.shape[1] + op, w.shape[2]];
      // PyTorch's output_padding adds rows at the bottom/right: the forward conv's padding is [p, p - op].
      const pad: [number, number][] = [[0, 0], [padding, padding - op], [padding, padding - op], [0, 0]];
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outShape, stride, pad as any);
      assert.equal(f(x, w).shape, dy.shape);
      const [dx, dw] = tf.grads(f)([x, w], dy);
      assert.ok(maxAbsDiff(await fromNHWC(dx).data(), expected(`${name}.dx`)) < TOL, "dx");
      assert.ok(maxAbsDiff(await tf.transpose(dw, [3, 2, 0, 1]).data(), expected(`${name}.dweight`)) < TOL, "dweight");
    });
  }

  for (const name of cases("reflect_")) {
    s(`${name}: the mirrored borders' gradient flows back like PyTorch's`, async () => {
      const { pad } = manifest[`${name}.x`];
      const x = toNHWC(`${name}.x`), dy = toNHWC(`${name}.dy`);
      const dx = tf.grad((a: tf.Tensor) => tf.mirrorPad(a, [[0, 0], [pad, pad], [pad, pad], [0, 0]], "reflect"))(x, dy);
      assert.ok(maxAbsDiff(await fromNHWC(dx).data(), expected(`${name}.dx`)) < 1e-5);
    });
  }

  s("conv2dBackpropInput and conv2dBackpropFilter called directly, stride 2, match PyTorch", async () => {
    // The function itself, stride 2 (on wasm the registered kernel runs it too; on cpu it is only reached here).
    const name = "conv_3x3_s2_p1";
    const { stride, padding } = manifest[`${name}.x`];
    const pad: [number, number][] = [[0, 0], [padding, padding], [padding, padding], [0, 0]];
    const x = toNHWC(`${name}.x`), w = weight(`${name}.weight`), dy = toNHWC(`${name}.dy`);
    const dx = conv2dBackpropInput(dy, w, { strides: stride, pad, dataFormat: "NHWC", inputShape: x.shape } as any);
    assert.ok(maxAbsDiff(await fromNHWC(dx).data(), expected(`${name}.dx`)) < TOL, "dx");
    const dw = conv2dBackpropFilter(x, dy, { strides: stride, pad, dataFormat: "NHWC", filterShape: w.shape } as any);
    assert.ok(maxAbsDiff(await tf.transpose(dw, [3, 2, 0, 1]).data(), expected(`${name}.dweight`)) < TOL, "dweight");
  });

  s("InstanceNorm2d's input gradient matches PyTorch (global-pool means, AvgPoolGrad)", async () => {
    const x = toNHWC("instancenorm.x"), dy = toNHWC("instancenorm.dy");
    const norm = new InstanceNorm2d(4);
    const dx = tf.grad((a: tf.Tensor) => norm.forwardNHWC(a))(x, dy);
    assert.ok(maxAbsDiff(await fromNHWC(dx).data(), expected("instancenorm.dx")) < TOL);
  });

  s("symmetric mirrorPad's gradient sums each source pixel's copies", async () => {
    // x = [a b c], symmetric pad 2|1 → [b a | a b c | c]; dy = [1 2 | 3 4 5 | 6]
    // dx[a] = 3 + 2 (its copy) = 5, dx[b] = 4 + 1 = 5, dx[c] = 5 + 6 = 11
    const dx = tf.grad((a: tf.Tensor) => tf.mirrorPad(a as tf.Tensor1D, [[2, 1]], "symmetric"))(tf.tensor1d([0, 0, 0]), tf.tensor1d([1, 2, 3, 4, 5, 6]));
    assert.equal(Array.from(await dx.data()), [5, 5, 11]);
  });

  s("the filter gradient does not leak tensors", async () => {
    const x = tf.randomNormal([1, 6, 6, 2]) as tf.Tensor4D, w = tf.randomNormal([3, 3, 2, 3]) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same").sum());
    g([x, w]).forEach((t) => t.dispose());
    const before = tf.memory().numTensors;
    g([x, w]).forEach((t) => t.dispose());
    assert.is(tf.memory().numTensors, before);
  });

  s.run();
}
