/**
 * Every layer against PyTorch: scripts/fixtures/nn.py builds the layer in PyTorch with random
 * parameters, runs it on a random input and writes the parameters (PyTorch layout), the input,
 * the output and the layer's repr. Here the same layer is built, loaded strictly, run, printed.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { nn } from "../../src";
import { maxAbsDiff } from "../helpers/fixtures";
import { layerCase, onBackend, TEST_BACKENDS } from "../helpers/nnCases";

/** Single layers in float32: a few ulps of the largest values (|y| ≲ 20). */
const TOL = 1e-5;

// Each fixture case and the stripes layer built with the same arguments as nn.py builds it.
const CASES: Record<string, () => nn.Module> = {
  conv2d_3x3_s2_p1: () => new nn.Conv2d(3, 5, 3, { stride: 2, padding: 1 }),
  conv2d_7x7_s1_p0: () => new nn.Conv2d(4, 6, 7),
  conv2d_4x4_s2_p1_nobias: () => new nn.Conv2d(3, 4, 4, { stride: 2, padding: 1, bias: false }),
  conv2d_3x5_s1x2_p2x1: () => new nn.Conv2d(2, 3, [3, 5], { stride: [1, 2], padding: [2, 1] }),
  convT_3x3_s2_p1_op1: () => new nn.ConvTranspose2d(6, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  convT_4x4_s2_p1: () => new nn.ConvTranspose2d(3, 2, 4, { stride: 2, padding: 1 }),
  convT_3x3_s1_p0_nobias: () => new nn.ConvTranspose2d(3, 2, 3, { bias: false }),
  convT_5x3_s3x2_p2x0_op1x1: () => new nn.ConvTranspose2d(2, 3, [5, 3], { stride: [3, 2], padding: [2, 0], outputPadding: [1, 1] }),
  convT_2x2_s3_p0: () => new nn.ConvTranspose2d(2, 2, 2, { stride: 3 }),
  instancenorm: () => new nn.InstanceNorm2d(4),
  instancenorm_affine: () => new nn.InstanceNorm2d(3, { affine: true }),
  batchnorm_eval: () => new nn.BatchNorm2d(3),
  batchnorm_train: () => new nn.BatchNorm2d(3, { momentum: 0.3 }),
  reflectionpad_3: () => new nn.ReflectionPad2d(3),
  reflectionpad_1_2_0_3: () => new nn.ReflectionPad2d([1, 2, 0, 3]),
  relu: () => new nn.ReLU(true),
  leakyrelu: () => new nn.LeakyReLU(0.2, true),
  tanh: () => new nn.Tanh(),
  dropout_eval: () => new nn.Dropout(0.5),
};

for (const backend of TEST_BACKENDS) {
  const Layers = suite(`nn layers on ${backend}`);
  Layers.before(onBackend(backend));

  for (const [name, build] of Object.entries(CASES)) {
    Layers(`${name} matches the PyTorch fixture and prints PyTorch 0.4's repr`, () => {
      const c = layerCase("nn", name);
      const layer = build();
      layer.train(name.endsWith("_train"));
      assert.equal(layer.loadStateDict(c.stateDict), { missingKeys: [], unexpectedKeys: [] });
      const before = tf.memory().numTensors;
      const y = layer.forward(c.x);
      assert.equal(y.shape, c.yShape);
      const diff = maxAbsDiff(y.dataSync(), c.y);
      assert.ok(diff <= TOL, `max abs diff ${diff} > ${TOL}`);
      y.dispose();
      if (!name.endsWith("_train")) assert.is(tf.memory().numTensors, before, "forward leaks no tensors");
      assert.is(String(layer), c.repr04);
      // And the state dict comes back in PyTorch's layout, keys and order.
      const sd = layer.stateDict();
      if (!name.endsWith("_train")) {
        assert.equal([...sd.keys()], [...c.stateDict.keys()]);
        for (const [k, t] of sd) assert.is(maxAbsDiff(t.dataSync(), c.stateDict.get(k)!.dataSync()), 0, k);
      }
      tf.dispose([...sd.values(), ...c.stateDict.values(), c.x]);
      layer.dispose();
    });
  }

  Layers("BatchNorm2d in training updates running statistics as PyTorch does", () => {
    const c = layerCase("nn", "batchnorm_train");
    const layer = new nn.BatchNorm2d(3, { momentum: 0.3 });
    layer.loadStateDict(c.stateDict);
    tf.dispose(layer.forward(c.x));
    const after = layerCase("nn", "batchnorm_train"); // for its manifest only
    for (const [key, t] of layer.stateDict()) {
      const { data } = require("../helpers/fixtures").readArray("nn", `batchnorm_train.after.${key}`);
      assert.ok(maxAbsDiff(t.dataSync(), data) <= TOL, key);
    }
    tf.dispose([c.x, after.x, ...c.stateDict.values(), ...after.stateDict.values()]);
  });

  Layers.run();
}
