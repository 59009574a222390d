/**
 * Lesson 03's fallback pair (data/lesson03/G_AB.pth, G_BA.pth, trained by
 * scripts/lesson03-fallback.py in PyTorch): stripes loads the very files PyTorch loaded strictly
 * (scripts/fixtures/lesson03.py recorded their SHA-256 and PyTorch's outputs on the lesson's test
 * images) and computes the same pictures; and the pair passes the lesson's own check on the lesson's
 * 16 test pairs with every threshold's margin to spare (one image in 16 on a share), as it did on
 * the validation pairs it was chosen on: a learner's check that passes by zero margin looks wrong.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../../helpers/backend";
import * as torch from "../../../src/torch";
import { ResNetGenerator } from "../../../src/models";
import { fallbackCheckpoint, fallbackProvenance, hasFallback } from "../../../src/lessons/tinyCycleGan/fallback";
import { plainShapes, stripedShapes } from "../../../src/lessons/tinyCycleGan/shapes";
import { translationMeasures, missedThresholds } from "../../../src/lessons/tinyCycleGan/translationMeasures";
import { maxAbsDiff, readArray, readManifest } from "../../helpers/fixtures";
import { tensorFrom } from "../../helpers/nnCases";

const ROOT = path.join(__dirname, "..", "..", "..");
const lessonGenerator = () => new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" });

test("the fallback pair ships with stripes, within the issue's 1 MB", () => {
  assert.ok(hasFallback(), "data/lesson03/G_AB.pth and G_BA.pth");
  const bytes = ["G_AB", "G_BA"].reduce((n, name) => n + fs.statSync(fallbackCheckpoint(name as "G_AB")).size, 0);
  assert.ok(bytes <= 1_000_000, `${bytes} bytes`);
});

test("stripes' outputs from the fallback pair equal PyTorch's (the same files, by SHA-256)", async () => {
  await useDefaultBackend();
  const m = readManifest("lesson03");
  for (const [name, input] of [["G_AB", "testA"], ["G_BA", "testB"]] as const) {
    const entry = m[`${name}_output`];
    const file = path.join(ROOT, entry.checkpoint);
    assert.is(crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex"), entry.sha256, `${entry.checkpoint} is the file PyTorch read`);
    const state = torch.load(file) as Map<string, tf.Tensor>;
    assert.equal([...state.keys()], entry.keys);
    const net = lessonGenerator();
    assert.equal(net.loadStateDict(state), { missingKeys: [], unexpectedKeys: [] });
    net.eval();
    const x = tensorFrom("lesson03", input);
    const y = net.forward(x);
    const diff = maxAbsDiff(await y.data(), readArray("lesson03", `${name}_output`).data);
    assert.ok(diff < 1e-4, `${name}: max abs diff ${diff}`);
    tf.dispose([x, y, ...state.values()]);
  }
});

test("the fallback pair passes the lesson's check on its 16 test pairs, every threshold with its margin", async () => {
  await useDefaultBackend();
  const [ab, ba] = (["G_AB", "G_BA"] as const).map((name) => {
    const net = lessonGenerator();
    net.loadStateDict(torch.load(fallbackCheckpoint(name)));
    return net.eval();
  });
  const testA = plainShapes(16, 32, { seed: 7 });
  const testB = stripedShapes(16, 32, { seed: 7 });
  const m = translationMeasures((x) => ab.forward(x), (x) => ba.forward(x), testA, testB);
  // the lesson's own check (its thresholds: THRESHOLDS in src/lessons/tinyCycleGan/translationMeasures.ts), then with each bound moved out by its margin
  const missed = (margin: boolean) => missedThresholds(m, { margin }).map((t) => `${t.what} ${t.get(m)} (margin ${t.margin})`);
  assert.equal(missed(false), []);
  assert.equal(missed(true), []);
});

test("provenance.json: the kept step passed every validation set with every margin, and no later snapshot did", () => {
  const run = fallbackProvenance();
  assert.ok(run, "data/lesson03/provenance.json");
  assert.ok(!run.validation_seeds.includes(7), `validation seeds ${run.validation_seeds} include the lesson's test seed 7`);
  const kept = run.snapshots.find((s) => s.step === run.kept_step);
  assert.ok(kept, `kept step ${run.kept_step} is one of the snapshots`);
  assert.equal([kept.missed, kept.short_of_margin], [[], []]);
  assert.equal(run.snapshots.filter((s) => s.step > run.kept_step && s.short_of_margin.length === 0).map((s) => s.step), []);
});

test.run();
