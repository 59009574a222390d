/**
 * Lesson 03's measures of a generator pair saved with torch.save (the lesson's own two files, or
 * the fallback's), on 16 paired test images, beside the real images' own, and the lesson's check:
 *
 *   npx ts-node -T scripts/lesson03-measures.ts G_AB.pth G_BA.pth [--seed N] [--json]
 *
 * Seed 7 (the default) gives the lesson's test images; scripts/lesson03-fallback.py picks its
 * snapshot on seed 8's, which the lesson never shows. `--json` prints one line: the measures, the
 * thresholds missed. The generators are the lesson's: ResNetGenerator(3, 3, 8, 3, { inputSkip:
 * true, norm: "batch" }), in eval mode. Exit 0 whether or not the pair passes; 1 on a bad file.
 */
import { ready } from "../src/backend";
import { ResNetGenerator } from "../src/models";
import { load } from "../src/torch";
import { plainShapes, stripedShapes, translationMeasures, realMeasures, measuresTable, missedThresholds, thresholdLines } from "../src/lessons";

async function main(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  const at = argv.indexOf("--seed");
  const seed = at >= 0 ? Number(argv[at + 1]) : 7;
  const files = argv.filter((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
  if (files.length !== 2 || !Number.isInteger(seed)) {
    console.error("usage: lesson03-measures.ts G_AB.pth G_BA.pth [--seed N] [--json]");
    process.exit(2);
  }
  await ready();
  const [ab, ba] = files.map((file) => {
    const net = new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" });
    net.loadStateDict(load(file));
    return net.eval();
  });
  const testA = plainShapes(16, 32, { seed });
  const testB = stripedShapes(16, 32, { seed });
  const m = translationMeasures((x) => ab.forward(x), (x) => ba.forward(x), testA, testB);
  if (json) {
    console.log(JSON.stringify({ seed, measures: m, missed: missedThresholds(m).map((t) => t.what) }));
    return;
  }
  const real = realMeasures(testA, testB);
  console.log(measuresTable({ [files[0]]: m, "real images": real }));
  console.log(thresholdLines(m, real).join("\n"));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`lesson03-measures: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
