/**
 * Every exercise accepts its solution and rejects realistic mistakes, each with its reason, in
 * one line that never gives the answer away. The coding exercises of lessons 01 and 02 are judged
 * on PyTorch's cases (data/exercises/cases.json, scripts/fixtures/exercises.py); the wrong
 * answers below are written here in TypeScript, independently of the fixture's mistakes, so a
 * test passes only when the fixture's PyTorch mistake matches what the TypeScript slip computes.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../helpers/backend";
import { check, answerOr, judge, exercise } from "../../src/lessons/check";
import { EXERCISES } from "../../src/lessons/exercises";

type T = tf.Tensor;
/** A state dict as torch.load gives it. */
type SD = Map<string, T>;
const l1 = (a: T, b: T) => tf.mean(tf.abs(tf.sub(a, b)));
const bce = (s: T, y: 0 | 1) => tf.losses.sigmoidCrossEntropy(y ? tf.onesLike(s) : tf.zerosLike(s), s);
const bceSum = (s: T, y: 0 | 1) => tf.losses.sigmoidCrossEntropy(y ? tf.onesLike(s) : tf.zerosLike(s), s, undefined, undefined, tf.Reduction.SUM);
const log1mD = (s: T) => tf.log(tf.sub(1, tf.sigmoid(s)));

interface Case {
  right: unknown;
  wrongs: [unknown, RegExp][];
  /** Text that would give the answer away: no wrong answer's line (nor the blank one's) may hold it. */
  leaks?: string[];
}
const CASES: Record<string, Case> = {
  "01-to-tensor-shape": {
    right: [3, 300, 400],
    wrongs: [[[300, 400, 3], /H, W, C/], [[3, 400, 300], /wrong way round/], [[1, 3, 300, 400], /batch axis/], [[3, 300], /not it\. Hint: /], ["3x300x400", /array of integers/]],
    leaks: ["3, 300, 400", "[C, H, W]", "300, 400"],
  },
  "01-conv-params": { right: 9472, wrongs: [[9408, /bias/], [3200, /all 3 input channels/], [9473, /not it\. Hint: /]], leaks: ["9472", "9,472", "9408 + 64"] },
  "01-count-parameters": {
    right: (sd: SD) => [...sd.values()].reduce((n, t) => n + t.size, 0),
    wrongs: [
      [(sd: SD) => sd.size, /counts the tensors/],
      [(sd: SD) => [...sd].filter(([k]) => k.endsWith("weight")).reduce((n, [, t]) => n + t.size, 0), /biases are parameters too/],
      [(sd: SD) => [...sd.values()].reduce((n, t) => n + t.rank, 0), /number of axes/],
      [(sd: SD) => [...sd.values()].reduce((n, t) => n + t.shape.reduce((a, b) => a + b, 0), 0), /added the sizes/],
      // what the lesson's first version did: a plain object's idiom on the Map torch.load returns
      [(sd: SD) => Object.values(sd).reduce((n: number, t: T) => n + t.size, 0), /a state dict is a Map/],
      [(sd: SD) => tf.scalar(sd.size), /should return a number/],
    ],
    leaks: [".size", "numel", "product", ".values()", "forEach"],
  },
  "01-to-image": {
    right: (t: T) => tf.div(tf.add(tf.squeeze(t, [0]), 1), 2),
    wrongs: [
      [(t: T) => tf.div(tf.add(t, 1), 2), /batch axis is still there/],
      [(t: T) => tf.clipByValue(tf.squeeze(t), 0, 1), /clipping/],
      [(t: T) => tf.div(tf.squeeze(t), 2), /shift the values before/],
      [(t: T) => tf.add(tf.squeeze(t), 1), /scale it too/],
      [(t: T) => tf.div(tf.sub(tf.squeeze(t), 1), 2), /shift the other way/],
      [(t: T) => tf.mul(tf.add(tf.squeeze(t), 1), 127.5), /0, 255/],
      [(t: T) => tf.sigmoid(tf.squeeze(t)), /none of the usual mistakes\. Hint: /],
      [42, /expected a function/],
    ],
    leaks: ["(t + 1) / 2", "+ 1.0) / 2.0", "tf.div(tf.add"],
  },
  "02-equilibrium-loss": { right: 2 * Math.log(2), wrongs: [[Math.log(2), /one of the two terms/], [0, /unsure/], [NaN, /expected a number/], [1.2, /not it\. Hint: /]], leaks: ["1.38", "1.39", "2 ln 2", "2·ln"] },
  "02-d-loss": {
    right: (r: T, f: T) => tf.add(bce(r, 1), bce(f, 0)),
    wrongs: [
      [(r: T, f: T) => tf.add(bce(r, 0), bce(f, 1)), /labels are swapped/], // sign error in the labels
      [(r: T, f: T) => tf.neg(tf.add(bce(r, 1), bce(f, 0))), /sign is flipped/], // sign error
      [(r: T, f: T) => tf.add(bceSum(r, 1), bceSum(f, 0)), /wrong reduction/],
      [(r: T) => bce(r, 1), /forgotten term: that is the real points' term only/],
      [(r: T, f: T) => bce(f, 0), /forgotten term: that is the fakes' term only/],
      [(r: T, f: T) => tf.div(tf.add(bce(r, 1), bce(f, 0)), 2), /averaged/],
      [(r: T, f: T) => tf.add(bce(tf.sigmoid(r), 1), bce(tf.sigmoid(f), 0)), /sigmoid is applied twice/],
      [(r: T, f: T) => tf.add(tf.softplus(tf.neg(r)), tf.softplus(f)), /return one number/],
      [(r: T, f: T) => tf.neg(tf.add(tf.mean(tf.log(r)), tf.mean(tf.log(tf.sub(1, f))))), /NaN.*Hint: /], // logits read as probabilities
      [(r: T) => tf.mean(r).dataSync()[0], /return a tensor/],
      [() => { throw new Error("boom\n    at somewhere (file.ts:1:1)"); }, /threw: boom$/],
    ],
    leaks: ["onesLike(dReal", "BCE(dReal → 1) +", "errD_real + errD_fake"],
  },
  "02-g-loss": {
    right: (f: T) => tf.mean(tf.neg(tf.log(tf.sigmoid(f)))),
    wrongs: [
      [(f: T) => tf.mean(log1mD(f)), /minimax loss/],
      [(f: T) => bce(f, 0), /D's fake term/],
      [(f: T) => tf.neg(bce(f, 1)), /sign is flipped/],
      [(f: T) => bceSum(f, 1), /wrong reduction/],
      [(f: T) => bce(tf.sigmoid(f), 1), /sigmoid is applied twice/],
      [(f: T) => tf.neg(tf.log(tf.sigmoid(f))), /return one number/],
    ],
    leaks: ["label 1", "BCE(dFake → 1)", "onesLike"],
  },
  "02-minimax-g-loss": {
    right: (s: T) => tf.mean(tf.log(tf.sub(1, tf.sigmoid(s)))),
    wrongs: [
      [(s: T) => tf.neg(tf.mean(tf.log(tf.sigmoid(s)))), /non-saturating/],
      [(s: T) => tf.neg(tf.mean(log1mD(s))), /sign is flipped/],
      [(s: T) => tf.sum(log1mD(s)), /wrong reduction/],
      [(s: T) => tf.mean(tf.log(tf.sigmoid(s))), /takes the log of 1 − D/],
      [(s: T) => log1mD(s), /return one number/],
      [(s: T) => tf.mean(tf.log(tf.sub(1, s))), /NaN/], // forgot the sigmoid
    ],
    leaks: ["softplus", "tf.log(tf.sub(1"],
  },
  "03-downsample-shape": { right: [1, 32, 8, 8], wrongs: [[[1, 8, 8, 32], /channels-first/], [[1, 16, 16, 16], /first downsampling only/]] },
  "03-cycle-loss": {
    right: (a: T, ra: T, b: T, rb: T) => tf.mul(10, tf.add(l1(ra, a), l1(rb, b))),
    wrongs: [
      [(a: T, ra: T, b: T, rb: T) => tf.mul(10, tf.add(tf.mean(tf.square(tf.sub(ra, a))), tf.mean(tf.square(tf.sub(rb, b))))), /L1/],
      [(a: T, ra: T, b: T, rb: T) => tf.add(l1(ra, a), l1(rb, b)), /λ = 10/],
      [(a: T, ra: T) => tf.mul(10, l1(ra, a)), /only the A → B → A cycle/],
      [(a: T, ra: T, b: T, rb: T) => tf.mul(10, tf.add(tf.sum(tf.abs(tf.sub(ra, a))), tf.sum(tf.abs(tf.sub(rb, b))))), /sum over the pixels/],
    ],
    leaks: ["tf.abs", "mean |"],
  },
  "03-lsgan-d-loss": {
    right: (r: T, f: T) => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(r, 1))), tf.mean(tf.square(f)))),
    wrongs: [
      [(r: T, f: T) => tf.add(tf.mean(tf.square(tf.sub(r, 1))), tf.mean(tf.square(f))), /halves/],
      [(r: T, f: T) => tf.mul(0.5, tf.add(tf.mean(tf.square(r)), tf.mean(tf.square(tf.sub(f, 1))))), /swapped/],
      [(r: T) => tf.mul(0.5, tf.mean(tf.square(tf.sub(r, 1)))), /fake's term/],
      [(r: T, f: T) => tf.mul(0.5, tf.add(tf.mean(tf.abs(tf.sub(r, 1))), tf.mean(tf.abs(f)))), /L1/],
    ],
    leaks: ["tf.square", "0.5 *"],
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

/** What check() prints, and what it returns, with console.log caught. */
function printed(id: string, answer: unknown): { lines: string[]; result: boolean } {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...m: unknown[]) => lines.push(m.join(" "));
  try {
    assert.is(check(id, answer), undefined); // a cell ending in check() shows its line and no value
    return { result: judge(id, answer).outcome === "right", lines };
  } finally {
    console.log = log;
  }
}

s("every lesson has at least 3 exercises, and every exercise has a case here", () => {
  for (const lesson of ["01", "02", "03"]) assert.ok(EXERCISES.filter((e) => e.id.startsWith(`${lesson}-`)).length >= 3, lesson);
  assert.equal(EXERCISES.map((e) => e.id).sort(), Object.keys(CASES).sort());
});

s("lessons 01 and 02 each have at least two coding exercises whose answer later cells use", () => {
  for (const lesson of ["01", "02"]) {
    const coding = EXERCISES.filter((e) => e.id.startsWith(`${lesson}-`) && typeof e.solution === "function");
    assert.ok(coding.length >= 2, `${lesson}: ${coding.map((e) => e.id)}`);
  }
});

for (const [id, { right, wrongs, leaks = [] }] of Object.entries(CASES)) {
  s(`${id}: the solution is accepted; ${wrongs.length} mistakes are rejected in one line, with their reason and not the answer`, () => {
    const ok = printed(id, right);
    assert.ok(ok.result, `solution rejected: ${ok.lines}`);
    assert.match(ok.lines[0], new RegExp(`^✓ ${id}: `));
    const lines = [printed(id, undefined).lines[0]];
    for (const [answer, reason] of wrongs) {
      const { result, lines: out } = printed(id, answer);
      assert.not.ok(result, `accepted a wrong answer: ${String(answer)}`);
      assert.is(out.length, 1, `one line: ${out}`);
      assert.match(out[0], new RegExp(`^✗ ${id}: `));
      assert.not.match(out[0], /\n|\bat .*:\d+:\d+/); // no stack trace
      assert.match(out[0], reason);
      lines.push(out[0]);
    }
    for (const line of lines) for (const leak of leaks) assert.not.ok(line.includes(leak), `"${line}" gives away "${leak}"`);
  });
}

s("01-count-parameters: every way of reading a Map is right (the lesson passes the Map torch.load gives)", () => {
  const idioms: [string, (sd: SD) => number][] = [
    ["spread values", (sd) => [...sd.values()].reduce((n, t) => n + t.size, 0)],
    ["Array.from", (sd) => Array.from(sd.values(), (t) => t.size).reduce((a, b) => a + b, 0)],
    ["for of entries", (sd) => { let n = 0; for (const [, t] of sd) n += t.size; return n; }],
    ["for of values", (sd) => { let n = 0; for (const t of sd.values()) n += t.size; return n; }],
    ["forEach", (sd) => { let n = 0; sd.forEach((t) => { n += t.size; }); return n; }],
    ["shape product", (sd) => [...sd.values()].reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0)],
  ];
  for (const [name, f] of idioms) assert.is(judge("01-count-parameters", f).outcome, "right", name);
});

s("the coding exercises' built-in solutions pass their own checks (answerOr falls back to them)", () => {
  for (const e of EXERCISES.filter((e) => e.solution !== undefined)) assert.is(judge(e.id, e.solution).outcome, "right", e.id);
});

s("a blank answer (undefined, or the exercise version's placeholder function) is 'not answered yet', with a hint", () => {
  const blank = printed("02-equilibrium-loss", undefined);
  assert.is(blank.result, false);
  assert.match(blank.lines[0], /^… 02-equilibrium-loss: not answered yet\. .* Hint: /);
  for (const id of ["01-to-image", "01-count-parameters", "02-d-loss", "02-g-loss", "02-minimax-g-loss", "03-cycle-loss"]) {
    // what scripts/build-exercises.ts leaves in a function: `return undefined as any; // your code here`
    assert.match(printed(id, () => undefined).lines[0], new RegExp(`^… ${id}: not answered yet`));
  }
});

s("answerOr: the learner's function when right; else the built-in one, and a line saying so", () => {
  const mine = (f: T) => bce(f, 1);
  const lines: string[] = [];
  const log = console.log;
  console.log = (m: string) => lines.push(m);
  // The chosen function is returned inside tf.tidy: the same values, and only its result stays.
  const f = tf.tensor([0.3, 0.7]);
  const value = (fn: unknown) => (fn as (x: tf.Tensor) => tf.Tensor)(f).dataSync()[0];
  const builtIn = value(exercise("02-g-loss").solution);
  try {
    const chosen = answerOr("02-g-loss", mine);
    assert.is(lines.length, 0);
    assert.is(value(chosen), value(mine));
    const before = tf.memory().numTensors;
    tf.dispose(chosen(f));
    assert.is(tf.memory().numTensors, before, "the answer's intermediate tensors are freed");
    assert.is(value(answerOr("02-g-loss", () => undefined)), builtIn);
    assert.is(value(answerOr("02-g-loss", (x: T) => bce(x, 0))), builtIn);
    assert.match(lines[0], /02-g-loss is not solved yet, so the cells below use the built-in one/);
    assert.is(answerOr("01-conv-params", 3 * 64 * 7 * 7 + 64), 3 * 64 * 7 * 7 + 64, "a value that is not a function is returned as it is");
  } finally {
    console.log = log;
  }
});

s("check() never throws: an unknown id, or a broken answer, is one printed line", () => {
  const unknown = printed("99-nope", 1);
  assert.is(unknown.result, false);
  assert.match(unknown.lines[0], /^✗ 99-nope: cannot check this answer: no exercise '99-nope' \(there are: 01-to-tensor-shape, /);
  const hostile = { get shape() { throw new Error("nope"); } };
  assert.match(printed("01-to-tensor-shape", hostile).lines[0], /^✗ 01-to-tensor-shape: expected a shape/);
  assert.match(printed("02-d-loss", async () => tf.scalar(1)).lines[0], /Promise/);
});

s("judging a function does not leak tensors", () => {
  for (const id of ["03-cycle-loss", "02-d-loss", "01-count-parameters"]) {
    exercise(id).judge(CASES[id].right);
    const before = tf.memory().numTensors;
    exercise(id).judge(CASES[id].right);
    exercise(id).judge(CASES[id].wrongs[0][0]);
    assert.is(tf.memory().numTensors, before, id);
  }
});

s.run();
