/**
 * CycleGAN's PatchGAN discriminator against PyTorch (scripts/fixtures/models.py): keys,
 * parameter counts, reprs, and eval-mode outputs for instance norm (zip .pth) and batch norm
 * (legacy .pth, with running statistics).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { NLayerDiscriminator, torch } from "../../src";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

/** Unbounded scores of magnitude ≲ 10: float32 sums of a few thousand terms. */
const TOL = 1e-4;
const M = readManifest("models");

const CASES = {
  disc_ndf4_n3: () => new NLayerDiscriminator(3, 4, 3),
  disc_batch_ndf2_n2: () => new NLayerDiscriminator(2, 2, 2, "batch"),
};

for (const backend of TEST_BACKENDS) {
  const Forward = suite(`NLayerDiscriminator forward on ${backend}`);
  Forward.before(onBackend(backend));

  for (const [name, build] of Object.entries(CASES)) {
    Forward(`${name} (${M[name].format} .pth) equals PyTorch in eval mode`, () => {
      const netD = build();
      const sd = torch.load(fixturePath("models", `${name}.pth`)) as Map<string, tf.Tensor>;
      assert.equal(netD.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
      tf.dispose([...sd.values()]);
      netD.eval();
      const x = tensorFrom("models", `${name}.x0`);
      const expected = readArray("models", `${name}.y0`);
      const before = tf.memory().numTensors;
      const y = netD.forward(x);
      assert.equal(y.shape, expected.shape);
      const diff = maxAbsDiff(y.dataSync(), expected.data);
      assert.ok(diff <= TOL, `max abs diff ${diff} > ${TOL}`);
      y.dispose();
      assert.is(tf.memory().numTensors, before, "a forward pass leaves no tensors behind");
      x.dispose();
      netD.dispose();
    });
  }
  Forward.run();
}

const Structure = suite("NLayerDiscriminator structure");
Structure.before(onBackend("wasm"));

Structure("defaults (ndf 64, 3 layers, instance norm) have PyTorch's keys, parameter count and repr", () => {
  const netD = new NLayerDiscriminator();
  assert.equal(netD.namedParameters().map(([k]) => k), M.disc_default.keys);
  assert.is(netD.parameters().reduce((n, p) => n + p.size, 0), M.disc_default.parameters);
  assert.is(String(netD), M.disc_default.repr04);
  netD.dispose();
});

for (const name of Object.keys(CASES) as (keyof typeof CASES)[]) {
  Structure(`${name} prints and keys (buffers included) as PyTorch's`, () => {
    const netD = CASES[name]();
    assert.is(String(netD), M[name].repr04);
    const sd = netD.stateDict();
    assert.equal([...sd.keys()], M[name].keys);
    assert.is(netD.parameters().reduce((n, p) => n + p.size, 0), M[name].parameters);
    tf.dispose([...sd.values()]);
    netD.dispose();
  });
}

Structure("a 256×256 image gives a 30×30 patch map", () => {
  const netD = new NLayerDiscriminator(3, 8);
  const y = netD.forward(tf.zeros([1, 3, 256, 256]));
  assert.equal(y.shape, [1, 1, 30, 30]);
  tf.dispose(y);
  netD.dispose();
});

Structure.run();
