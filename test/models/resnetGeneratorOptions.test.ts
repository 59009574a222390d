/**
 * ResNetGenerator's two options for lesson 03 against PyTorch: `{ inputSkip: true }` (the input
 * handed to the last conv) and `{ norm: "batch" }` (CycleGAN's --norm batch).
 * scripts/fixtures/models_options.py writes, per case, the book's class with that option, random
 * running statistics where there are any, and PyTorch's outputs in eval mode, in training mode
 * (with the running statistics that forward leaves), and the gradients of one loss.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, torch, ModelError } from "../../src";
import type { ResNetGeneratorOptions } from "../../src/models/resnetGenerator";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

const AREA = "models_options";
const M = readManifest(AREA);
/** Outputs in [−1, 1] after 15 layers: the bound the book's generator is held to. */
const TOL = 1e-4;
const CASES: [string, ResNetGeneratorOptions, number][] = [
  // name, options, BatchNorm2d layers (7 in ngf 4, 1 block: first, 2 down, 2 in the block, 2 up)
  ["skip", { inputSkip: true }, 0],
  ["bn", { norm: "batch" }, 7],
];

function loaded(name: string, options: ResNetGeneratorOptions): ResNetGenerator {
  const netG = new ResNetGenerator(3, 3, 4, 1, options);
  const sd = torch.load(fixturePath(AREA, `${name}.pth`)) as Map<string, tf.Tensor>;
  assert.equal(netG.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  tf.dispose([...sd.values()]);
  return netG;
}

for (const backend of TEST_BACKENDS) {
  const T = suite(`ResNetGenerator options on ${backend}`);
  T.before(onBackend(backend));

  for (const [name, options, norms] of CASES) {
    const e = M[name];
    T(`${JSON.stringify(options)}: keys, printout and parameter count are PyTorch's`, () => {
      const netG = new ResNetGenerator(3, 3, 4, 1, options);
      assert.equal([...netG.stateDict().keys()], e.keys);
      assert.is(String(netG), e.repr04, "the article's PyTorch 0.4 printout, as for the book's generator");
      assert.is(netG.parameters().reduce((n, p) => n + p.size, 0), e.parameters);
      netG.dispose();
    });

    T(`${JSON.stringify(options)}: eval mode equals PyTorch on a batch of 4`, () => {
      const netG = loaded(name, options).eval();
      const x = tensorFrom(AREA, `${name}.x`);
      const y = netG.forward(x);
      const diff = maxAbsDiff(y.dataSync(), readArray(AREA, `${name}.y_eval`).data);
      assert.ok(diff <= TOL, `max abs diff ${diff} > ${TOL}`);
      tf.dispose([x, y]);
      netG.dispose();
    });

    T(`${JSON.stringify(options)}: training mode output, running statistics and gradients equal PyTorch's`, () => {
      const netG = loaded(name, options);
      const x = tensorFrom(AREA, `${name}.x`);
      const t = tensorFrom(AREA, `${name}.t`);
      const params = netG.namedParameters();
      let out: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const y = netG.forward(x);
        out = tf.keep(y.clone());
        return tf.mean(tf.mul(y, t)) as tf.Scalar;
      }, params.map(([, v]) => v));
      const dy = maxAbsDiff(out!.dataSync(), readArray(AREA, `${name}.y_train`).data);
      assert.ok(dy <= TOL, `training-mode output: max abs diff ${dy} > ${TOL}`);
      assert.ok(Math.abs(value.dataSync()[0] - e.loss) < 1e-6, `loss ${value.dataSync()[0]} vs PyTorch ${e.loss}`);
      const sd = netG.stateDict();
      assert.is(e.stats.length, 2 * norms);
      for (const key of e.stats as string[]) {
        const diff = maxAbsDiff(sd.get(key)!.dataSync(), readArray(AREA, `${name}.after.${key}`).data);
        assert.ok(diff <= 1e-5, `${key} after one training forward: max abs diff ${diff}`);
      }
      // PyTorch's gradients in PyTorch's layout: load them into a twin to get the stored layout
      const twin = new ResNetGenerator(3, 3, 4, 1, options);
      twin.loadStateDict(new Map((e.grad_keys as string[]).map((k) => [k, tensorFrom(AREA, `${name}.grad.${k}`)])), { strict: false });
      const want = new Map(twin.namedParameters());
      assert.equal(params.map(([k]) => k), e.grad_keys);
      for (const [key, variable] of params) {
        const diff = maxAbsDiff(grads[variable.name].dataSync(), want.get(key)!.dataSync());
        assert.ok(diff <= 1e-5, `${key}: gradient max abs diff ${diff}`);
      }
      tf.dispose([x, t, value, out!, ...Object.values(grads)]);
      netG.dispose();
      twin.dispose();
    });
  }
  T.run();
}

const Errors = suite("ResNetGenerator options: errors");
Errors("an unknown norm is a one-line ModelError", () => {
  assert.throws(() => new ResNetGenerator(3, 3, 4, 1, { norm: "group" as never }), (e: Error) => e instanceof ModelError && /norm must be "instance" or "batch", but got "group"/.test(e.message));
});
Errors("the book's checkpoint does not load into an input-skip generator: the last conv's shape differs", () => {
  const netG = new ResNetGenerator(3, 3, 4, 1, { inputSkip: true });
  const sd = torch.load(fixturePath(AREA, "bn.pth")) as Map<string, tf.Tensor>;
  assert.throws(() => netG.loadStateDict(sd, { strict: false }), /size mismatch for model\.18\.weight/);
  tf.dispose([...sd.values()]);
});
Errors.run();
