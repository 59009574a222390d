/**
 * Writes lesson 03's two training domains and its paired test images as one raw float32 file,
 * for scripts/lesson03-fallback.py (PyTorch trains on exactly the lesson's images):
 *
 *   npx ts-node -T scripts/lesson03-data.ts OUT.f32 [SIZE] [N_TRAIN] [N_TEST]
 *
 * Layout: trainA [N_TRAIN, 3, S, S], trainB, testA [N_TEST, 3, S, S], testB, in that order, the
 * same calls as the lesson's (plainShapes / stripedShapes with their default seeds; seed 7 for the
 * test pairs).
 */
import * as fs from "node:fs";
import { plainShapes, stripedShapes } from "../src/lessons/tinyCycleGan/shapes";
import { writeFileAtomic } from "../src/atomicWrite";
import { ready } from "../src/backend";

export const TEST_SEED = 7;

async function main(argv: string[]): Promise<void> {
  const [out, size = "32", nTrain = "512", nTest = "8"] = argv;
  if (!out) {
    console.error("usage: lesson03-data.ts OUT.f32 [SIZE] [N_TRAIN] [N_TEST]");
    process.exit(2);
  }
  const [s, n, t] = [size, nTrain, nTest].map(Number);
  await ready(); // the shapes are tensors: a backend must be registered first
  const parts = [plainShapes(n, s), stripedShapes(n, s), plainShapes(t, s, { seed: TEST_SEED }), stripedShapes(t, s, { seed: TEST_SEED })];
  const bytes = Buffer.concat(parts.map((p) => Buffer.from((p.dataSync() as Float32Array).buffer)));
  writeFileAtomic(out, bytes);
  fs.statSync(out);
}

if (require.main === module) void main(process.argv.slice(2));
