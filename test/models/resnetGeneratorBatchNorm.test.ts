/**
 * ResNetGenerator with `{ norm: "batch" }` (CycleGAN's --norm batch, lesson 03's) against
 * PyTorch: scripts/fixtures/models_batchnorm.py writes the book's class with every InstanceNorm2d
 * swapped for BatchNorm2d, random running statistics, and PyTorch's outputs in eval mode, in
 * training mode (with the running statistics that forward leaves), and the gradients of one loss.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { ResNetGenerator, torch, ModelError } from "../../src";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

const AREA = "models_batchnorm";
const M = readManifest(AREA);
/** Outputs in [−1, 1] after 15 layers: the bound the book's generator is held to. */
const TOL = 1e-4;

function loaded(): ResNetGenerator {
  const netG = new ResNetGenerator(3, 3, 4, 1, { norm: "batch" });
  const sd = torch.load(fixturePath(AREA, "gen_bn_ngf4_b1.pth")) as Map<string, tf.Tensor>;
  assert.equal(netG.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  tf.dispose([...sd.values()]);
  return netG;
}

for (const backend of TEST_BACKENDS) {
  const T = suite(`ResNetGenerator { norm: "batch" } on ${backend}`);
  T.before(onBackend(backend));

  T("keys and printout are PyTorch's (BatchNorm's running statistics included)", () => {
    const netG = new ResNetGenerator(3, 3, 4, 1, { norm: "batch" });
    assert.equal([...netG.stateDict().keys()], M.keys);
    assert.is(String(netG), M.repr04, "the article's PyTorch 0.4 printout, as the book's generator");
    netG.dispose();
  });

  T("eval mode (running statistics) equals PyTorch on a batch of 4", () => {
    const netG = loaded().eval();
    const x = tensorFrom(AREA, "x");
    const y = netG.forward(x);
    const diff = maxAbsDiff(y.dataSync(), readArray(AREA, "y_eval").data);
    assert.ok(diff <= TOL, `max abs diff ${diff} > ${TOL}`);
    tf.dispose([x, y]);
    netG.dispose();
  });

  T("training mode: the batch's statistics, the running ones updated as PyTorch's, and the same gradients", () => {
    const netG = loaded();
    const x = tensorFrom(AREA, "x");
    const t = tensorFrom(AREA, "t");
    const params = netG.namedParameters();
    let out: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const y = netG.forward(x);
      out = tf.keep(y.clone());
      return tf.mean(tf.mul(y, t)) as tf.Scalar;
    }, params.map(([, v]) => v));
    const dy = maxAbsDiff(out!.dataSync(), readArray(AREA, "y_train").data);
    assert.ok(dy <= TOL, `training-mode output: max abs diff ${dy} > ${TOL}`);
    assert.ok(Math.abs(value.dataSync()[0] - M.t.loss) < 1e-6, `loss ${value.dataSync()[0]} vs PyTorch ${M.t.loss}`);
    const sd = netG.stateDict();
    const stats = [...sd.keys()].filter((k) => k.endsWith("running_mean") || k.endsWith("running_var"));
    assert.is(stats.length, 14, "7 BatchNorm2d layers, 2 statistics each");
    for (const key of stats) {
      const diff = maxAbsDiff(sd.get(key)!.dataSync(), readArray(AREA, `after.${key}`).data);
      assert.ok(diff <= 1e-5, `${key} after one training forward: max abs diff ${diff}`);
    }
    // PyTorch's gradients in PyTorch's layout: load them into a twin to get the stored layout
    const twin = new ResNetGenerator(3, 3, 4, 1, { norm: "batch" });
    twin.loadStateDict(new Map((M.grad_keys as string[]).map((k) => [k, tensorFrom(AREA, `grad.${k}`)])), { strict: false });
    const want = new Map(twin.namedParameters());
    assert.equal(params.map(([k]) => k), M.grad_keys);
    for (const [key, variable] of params) {
      const diff = maxAbsDiff(grads[variable.name].dataSync(), want.get(key)!.dataSync());
      assert.ok(diff <= 1e-5, `${key}: gradient max abs diff ${diff}`);
    }
    tf.dispose([x, t, value, out!, ...Object.values(grads)]);
    netG.dispose();
    twin.dispose();
  });

  T.run();
}

const Errors = suite("ResNetGenerator norm option");
Errors("an unknown norm is a one-line ModelError", () => {
  assert.throws(() => new ResNetGenerator(3, 3, 4, 1, { norm: "group" as never }), (e: Error) => e instanceof ModelError && /norm must be "instance" or "batch", but got "group"/.test(e.message));
});
Errors.run();
