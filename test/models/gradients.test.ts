/**
 * Gradients through the generator equal PyTorch's, so the training lesson can use tf optimizers
 * on these modules. scripts/fixtures/models.py computes d mean(G(x)·t) / d parameter with
 * PyTorch for the 1-channel generator (zip .pth) and writes them in PyTorch's layout.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, torch } from "../../src";
import { fixturePath, maxAbsDiff, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

/** Gradients of a mean over 960 outputs are ≲ 0.1; float32 reassociation stays far below this. */
const TOL = 1e-5;
const NAME = "grad_gen_1ch_ngf4_b1";

for (const backend of TEST_BACKENDS) {
  const Grads = suite(`ResNetGenerator gradients on ${backend}`);
  Grads.before(onBackend(backend));

  Grads("d mean(G(x)·t) / d parameter equals PyTorch's for every parameter", () => {
    const entry = readManifest("models")[NAME];
    const netG = new ResNetGenerator(3, 1, 4, 1);
    const sd = torch.load(fixturePath("models", "gen_1ch_ngf4_b1.pth")) as Map<string, tf.Tensor>;
    netG.loadStateDict(sd);
    const x = tensorFrom("models", "gen_1ch_ngf4_b1.x0");
    const t = tensorFrom("models", `${NAME}.t`);
    const params = netG.namedParameters();
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.mul(netG.forward(x), t)) as tf.Scalar, params.map(([, v]) => v));
    assert.ok(Math.abs(value.dataSync()[0] - entry.loss) < 1e-6, `loss ${value.dataSync()[0]} vs PyTorch ${entry.loss}`);

    // PyTorch's gradients, converted to the stored layout the way a checkpoint is: load them into a twin.
    const expected = new ResNetGenerator(3, 1, 4, 1);
    expected.loadStateDict(new Map((entry.keys as string[]).map((k) => [k, tensorFrom("models", `${NAME}.${k}`)])));
    const want = new Map(expected.namedParameters());
    assert.equal(params.map(([k]) => k), entry.keys);
    for (const [key, variable] of params) {
      const diff = maxAbsDiff(grads[variable.name].dataSync(), want.get(key)!.dataSync());
      assert.ok(diff <= TOL, `${key}: max abs diff ${diff} > ${TOL}`);
    }
    tf.dispose([x, t, value, ...Object.values(grads), ...sd.values()]);
    netG.dispose();
    expected.dispose();
  });

  Grads.run();
}
