/**
 * Every exercise accepts its solution and rejects the usual mistakes with the reason for each.
 * The right answers come from the formulas the lessons teach (PyTorch's CycleGAN losses:
 * nn.L1Loss for the cycle, nn.MSELoss for LSGAN; torchvision's ToTensor layout).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { useDefaultBackend } from "../helpers/backend";
import { check, exercise, ExerciseError, EXERCISES } from "../../src/lessons";

type T = tf.Tensor;
const l1 = (a: T, b: T) => tf.mean(tf.abs(tf.sub(a, b)));
const CASES: Record<string, { right: unknown; wrongs: [unknown, RegExp][] }> = {
  "01-to-tensor-shape": { right: [3, 256, 316], wrongs: [[[256, 316, 3], /H, W, C/], [[3, 316, 256], /height comes before width/], [[3, 256], /not it/], ["3x256x316", /array of integers/]] },
  "01-conv-params": { right: 9472, wrongs: [[9408, /bias/], [3200, /all 3 input channels/], [9473, /not it/]] },
  "01-output-to-image": {
    right: (t: T) => tf.div(tf.add(t, 1), 2),
    wrongs: [[(t: T) => tf.clipByValue(t, 0, 1), /clipping/], [(t: T) => tf.div(t, 2), /add 1/], [(t: T) => tf.mul(t, 255), /where the answer is/], [42, /expected a function/]],
  },
  "02-optimal-d": { right: 0.75, wrongs: [[0.25, /probability that x is fake/], [0.5, /only where p_data = p_g/], [0.7, /not it\. D\*\(x\) = p_data\(x\) \/ /]] },
  "02-equilibrium-loss": { right: 2 * Math.log(2), wrongs: [[Math.log(2), /one of the two terms/], [0, /unsure/], [NaN, /expected a number/]] },
  "02-minimax-g-loss": {
    right: (s: T) => tf.mean(tf.log(tf.sub(1, tf.sigmoid(s)))),
    wrongs: [
      [(s: T) => tf.neg(tf.mean(tf.log(tf.sigmoid(s)))), /non-saturating/],
      [(s: T) => tf.neg(tf.mean(tf.log(tf.sub(1, tf.sigmoid(s))))), /sign is flipped/],
      [(s: T) => tf.log(tf.sub(1, tf.sigmoid(s))), /scalar/],
      [() => { throw new Error("boom"); }, /threw: boom/],
    ],
  },
  "03-downsample-shape": { right: [1, 32, 8, 8], wrongs: [[[1, 8, 8, 32], /channels-first/], [[1, 16, 16, 16], /first downsampling only/]] },
  "03-cycle-loss": {
    right: (a: T, ra: T, b: T, rb: T) => tf.mul(10, tf.add(l1(ra, a), l1(rb, b))),
    wrongs: [
      [(a: T, ra: T, b: T, rb: T) => tf.mul(10, tf.add(tf.mean(tf.square(tf.sub(ra, a))), tf.mean(tf.square(tf.sub(rb, b))))), /L1/],
      [(a: T, ra: T, b: T, rb: T) => tf.add(l1(ra, a), l1(rb, b)), /λ = 10/],
      [(a: T, ra: T) => tf.mul(10, l1(ra, a)), /only the A → B → A cycle/],
    ],
  },
  "03-lsgan-g-loss": {
    right: (d: T) => tf.mean(tf.square(tf.sub(d, 1))),
    wrongs: [[(d: T) => tf.mean(tf.square(d)), /target 0/], [(d: T) => tf.losses.sigmoidCrossEntropy(tf.onesLike(d), d), /BCE/], [() => "0.5", /return a tensor/]],
  },
};

const s = suite("exercises");
s.before(async () => {
  await useDefaultBackend();
});

s("every lesson has at least 3 exercises, and every exercise has a case here", () => {
  for (const lesson of ["01", "02", "03"]) assert.ok(EXERCISES.filter((e) => e.id.startsWith(`${lesson}-`)).length >= 3, lesson);
  assert.equal(EXERCISES.map((e) => e.id).sort(), Object.keys(CASES).sort());
});

for (const [id, { right, wrongs }] of Object.entries(CASES)) {
  s(`${id}: the solution is accepted and ${wrongs.length} mistakes are rejected with their reason`, () => {
    const ok = exercise(id).judge(right);
    assert.ok(typeof ok === "object" && ok.ok, `solution rejected: ${typeof ok === "object" ? ok.message : String(ok)}`);
    for (const [answer, reason] of wrongs) {
      const v = exercise(id).judge(answer);
      assert.ok(typeof v === "object" && !v.ok, `accepted a wrong answer: ${String(answer)}`);
      assert.match((v as { message: string }).message, reason);
    }
  });
}

s("check() prints ✓ for a right answer, throws a one-line ExerciseError for a wrong one", () => {
  const logged: string[] = [];
  const log = console.log;
  console.log = (m: string) => logged.push(m);
  try {
    check("02-optimal-d", 0.75);
    assert.match(logged[0], /^✓ 02-optimal-d: D\*\(x\) = /);
    try {
      check("02-optimal-d", 0.25);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, ExerciseError);
      assert.match((err as Error).message, /^✗ 02-optimal-d: 0.25 is not it: .*fake/);
      assert.not.match((err as Error).message, /\n/);
    }
  } finally {
    console.log = log;
  }
});

s("check() treats undefined and a placeholder function as not answered yet, with a hint", () => {
  const logged: string[] = [];
  const log = console.log;
  console.log = (m: string) => logged.push(m);
  try {
    check("02-optimal-d", undefined);
    check("03-cycle-loss", () => undefined);
  } finally {
    console.log = log;
  }
  assert.match(logged[0], /02-optimal-d: not answered yet\. .* Hint: /);
  assert.match(logged[1], /03-cycle-loss: not answered yet/);
});

s("an unknown exercise id is an error that lists the known ones", () => {
  assert.throws(() => check("99-nope", 1), /no exercise '99-nope' \(there are: 01-to-tensor-shape, /);
});

s("judging a tensor function does not leak tensors", () => {
  exercise("03-cycle-loss").judge(CASES["03-cycle-loss"].right);
  const before = tf.memory().numTensors;
  exercise("03-cycle-loss").judge(CASES["03-cycle-loss"].right);
  exercise("03-cycle-loss").judge(CASES["03-cycle-loss"].wrongs[0][0]);
  assert.is(tf.memory().numTensors, before);
});

s.run();
