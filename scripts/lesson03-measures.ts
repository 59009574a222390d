/**
 * Lesson 03's measures of a generator pair saved with torch.save (the lesson's own two files, or
 * the fallback's), on 16 paired test images, beside the real images' own, and the lesson's check:
 *
 *   npx ts-node -T scripts/lesson03-measures.ts G_AB.pth G_BA.pth [--seed N[,N…]] [--json]
 *
 * Seed 7 (the default) gives the lesson's test images; scripts/lesson03-fallback.py picks its
 * snapshot on seeds 8 to 11, four sets of 16 pairs the lesson never shows. `--json` prints one line
 * per seed: the measures, the thresholds missed, and those missed with the thresholds' margins.
 * The generators are the lesson's: ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" }),
 * in eval mode. Exit 0 whether or not the pair passes; 1 on a bad file.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ready } from "../src/backend";
import { ResNetGenerator } from "../src/models";
import { load } from "../src/torch";
import { plainShapes, stripedShapes, translationMeasures, realMeasures, measuresTable, missedThresholds, thresholdLines } from "../src/lessons/tinyCycleGan";

async function main(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  const at = argv.indexOf("--seed");
  const seeds = at >= 0 ? String(argv[at + 1]).split(",").map(Number) : [7];
  const files = argv.filter((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
  if (files.length !== 2 || !seeds.every(Number.isInteger)) {
    console.error("usage: lesson03-measures.ts G_AB.pth G_BA.pth [--seed N[,N…]] [--json]");
    process.exit(2);
  }
  await ready();
  const [ab, ba] = files.map((file) => {
    const net = new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" });
    net.loadStateDict(load(file));
    return net.eval();
  });
  for (const seed of seeds) {
    const testA = plainShapes(16, 32, { seed });
    const testB = stripedShapes(16, 32, { seed });
    const m = translationMeasures((x) => ab.forward(x), (x) => ba.forward(x), testA, testB);
    if (json) {
      const names = (margin: boolean) => missedThresholds(m, { margin }).map((t) => t.what);
      console.log(JSON.stringify({ seed, measures: m, missed: names(false), shortOfMargin: names(true) }));
      continue;
    }
    const real = realMeasures(testA, testB);
    if (seeds.length > 1) console.log(`seed ${seed}:`);
    console.log(measuresTable({ [files[0]]: m, "real images": real }));
    console.log(thresholdLines(m, real).join("\n"));
    const short = missedThresholds(m, { margin: true });
    console.log(short.length ? `short of the margin: ${short.map((t) => t.what).join(", ")}` : "every threshold met with its margin");
    tf.dispose([testA, testB]);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`lesson03-measures: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
