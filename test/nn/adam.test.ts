/**
 * nn.adam: tf.train.adam's numbers (bit for bit on wasm, where it is one kernel per variable) and
 * torch.optim.Adam's (scripts/fixtures/optim.py: fixed gradients, eps 1e-7, five steps).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { nn } from "../../src";
import { maxAbsDiff, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

const manifest = readManifest("optim");
const STEPS: number = manifest.steps;

/** Runs `opt` over the fixture's gradients; the parameters after each step. */
function trajectory(opt: tf.Optimizer): Float32Array[][] {
  const params = [0, 1].map((i) => tf.variable(tensorFrom("optim", `p${i}.init`)));
  const out: Float32Array[][] = [];
  for (let k = 0; k < STEPS; k++) {
    opt.applyGradients(params.map((p, i) => ({ name: p.name, tensor: tensorFrom("optim", `p${i}.grad${k}`) })));
    out.push(params.map((p) => p.dataSync() as Float32Array));
  }
  params.forEach((p) => p.dispose());
  return out;
}

for (const backend of TEST_BACKENDS) {
  const s = suite(`nn.adam on ${backend}`);
  s.before(onBackend(backend));

  for (const name of ["lesson03", "defaults_lr0.05"]) {
    s(`${name}: five steps equal torch.optim.Adam's and tf.train.adam's`, () => {
      const { lr, betas } = manifest[`${name}.p0.step0`];
      const ours = trajectory(nn.adam(lr, betas[0], betas[1], 1e-7));
      const tfjs = trajectory(tf.train.adam(lr, betas[0], betas[1], 1e-7));
      for (let k = 0; k < STEPS; k++) {
        for (const i of [0, 1]) {
          const torch = tensorFrom("optim", `${name}.p${i}.step${k}`).dataSync();
          // PyTorch divides by √(1 − β2ᵗ) and lr by (1 − β1ᵗ) separately: float32 roundings apart,
          // a few ulps of parameters up to ~3 (ulp 2.4e-7); β2 = 0.99 instead is 5e-5 off at step 0
          // (these gradients are too large for ε to show; the equality with tf.train.adam checks ε)
          assert.ok(maxAbsDiff(ours[k][i], torch) < 3e-6, `step ${k} p${i} vs PyTorch: ${maxAbsDiff(ours[k][i], torch)}`);
          assert.equal(Array.from(ours[k][i]), Array.from(tfjs[k][i]), `step ${k} p${i}: not tf.train.adam's numbers`);
        }
      }
    });
  }

  s("a learning rate changed between steps (lesson 03's linear decay) is used, as tf.train.adam uses it", () => {
    const decayed = (opt: tf.AdamOptimizer) => {
      const p = tf.variable(tensorFrom("optim", "p0.init"));
      for (let k = 0; k < STEPS; k++) {
        (opt as unknown as { learningRate: number }).learningRate = 0.05 / (k + 1);
        opt.applyGradients([{ name: p.name, tensor: tensorFrom("optim", `p0.grad${k}`) }]);
      }
      const out = Array.from(p.dataSync());
      p.dispose();
      return out;
    };
    assert.equal(decayed(nn.adam(0.05, 0.5)), decayed(tf.train.adam(0.05, 0.5)));
  });

  s("the moments keep tfjs's names and order, and ε defaults to the backend's", async () => {
    const opt = nn.adam(0.01), ref = tf.train.adam(0.01);
    assert.is(opt.epsilon, ref.epsilon);
    assert.ok(opt instanceof tf.AdamOptimizer);
    const v = tf.variable(tf.ones([3]));
    for (const o of [opt, ref]) o.applyGradients([{ name: v.name, tensor: tf.ones([3]) }]);
    const [ours, theirs] = [await opt.getWeights(), await ref.getWeights()];
    assert.equal(ours.map((w) => w.name), theirs.map((w) => w.name));
    v.dispose();
  });

  if (backend === "wasm") {
    s("on wasm an update is one kernel call per variable", async () => {
      const opt = nn.adam(0.01);
      const vars = [tf.variable(tf.ones([4])), tf.variable(tf.ones([2, 2]))];
      const grads = () => vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      opt.applyGradients(grads()); // creates the moments
      const g = grads();
      const profile = await tf.profile(() => opt.applyGradients(g));
      assert.equal(profile.kernels.map((k) => k.name), ["StripesAdam", "StripesAdam"]);
      vars.forEach((v) => v.dispose());
    });
  }

  s.run();
}
