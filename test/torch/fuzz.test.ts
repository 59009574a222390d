import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../helpers/backend";
import { fuzz, mutate, random, seeds } from "./mutate";

test.before(async () => {
  await useDefaultBackend();
});

test("mutations are deterministic and really change the files", () => {
  const [first] = seeds();
  const a = mutate(first.bytes, random(7));
  const b = mutate(first.bytes, random(7));
  assert.equal(a.how, b.how);
  assert.ok(Buffer.from(a.bytes).equals(Buffer.from(b.bytes)));
  let changed = 0;
  const rnd = random(3);
  for (let i = 0; i < 100; i++) if (!Buffer.from(mutate(first.bytes, rnd).bytes).equals(Buffer.from(first.bytes))) changed++;
  assert.ok(changed >= 95, `${changed} of 100 mutations changed the file`);
});

test("3,000 mutated checkpoints: each loads or is one CheckpointError line; no big allocation, no leak", () => {
  const tensorsBefore = tf.memory().numTensors;
  const report = fuzz(3000, 20261123);
  assert.is(report.cases, 3000);
  assert.is(report.loaded + report.refused, 3000);
  // Both outcomes happen, so the corpus reaches past the first check.
  assert.ok(report.loaded > 100 && report.refused > 100, `${report.loaded} loaded, ${report.refused} refused`);
  assert.ok(report.problems.size > 20, `only ${report.problems.size} distinct problems reached`);
  // The fixtures are ≤ 5 KB: no case may allocate more than a few MB whatever sizes it claims.
  assert.ok(report.maxAllocation < 16 << 20, `a case allocated ${report.maxAllocation} bytes`);
  assert.is(tf.memory().numTensors, tensorsBefore, "failed loads dispose what they made");
});

test.run();
