/**
 * Lesson 03's measures of a generator pair saved with torch.save (the lesson's own two files, or
 * the fallback's), on the lesson's 16 paired test images, beside the real images' own:
 *
 *   npx ts-node -T scripts/lesson03-measures.ts G_AB.pth G_BA.pth
 *
 * The generators are the lesson's: ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" }),
 * in eval mode. data/README.md quotes this script's table for the committed fallback pair.
 */
import { ready } from "../src/backend";
import { ResNetGenerator } from "../src/models";
import { load } from "../src/torch";
import { plainShapes, stripedShapes, translationMeasures, realMeasures, measuresTable } from "../src/lessons";

async function main(argv: string[]): Promise<void> {
  if (argv.length !== 2) {
    console.error("usage: lesson03-measures.ts G_AB.pth G_BA.pth");
    process.exit(2);
  }
  await ready();
  const [ab, ba] = argv.map((file) => {
    const net = new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" });
    net.loadStateDict(load(file));
    return net.eval();
  });
  const testA = plainShapes(16, 32, { seed: 7 });
  const testB = stripedShapes(16, 32, { seed: 7 });
  const m = translationMeasures((x) => ab.forward(x), (x) => ba.forward(x), testA, testB);
  console.log(measuresTable({ [argv[0]]: m, "real images": realMeasures(testA, testB) }));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`lesson03-measures: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
