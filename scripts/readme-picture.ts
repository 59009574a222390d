/**
 * @file Makes the picture docs/lessons.md describes: the article's horse (after `Resize(256)`)
 * beside the zebra stripes makes of it with the article's weights — the lesson's cells, as a script.
 *
 *     npx stripes-gan fetch                              # once: the weights and the photo
 *     npx ts-node scripts/readme-picture.ts              # → docs/horse-to-zebra.png
 *     npx ts-node scripts/readme-picture.ts -o out.png   # elsewhere
 *
 * STRIPES_WEIGHTS and STRIPES_IMAGE pick other files, as in the lesson. The picture is made from
 * the downloaded files on the machine that runs this; nothing derived from them is kept in git
 * until someone runs it and commits the result.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Image, ResNetGenerator, fetchArticleFile, ready, squeeze, tf, torch, transforms, unsqueeze } from "../src";

const GAP = 8; // white pixels between the two pictures

async function main(): Promise<void> {
  const at = process.argv.indexOf("-o");
  const out = path.resolve(at > 0 ? process.argv[at + 1] : path.join(__dirname, "..", "docs", "horse-to-zebra.png"));
  const model_path = process.env.STRIPES_WEIGHTS ?? (await fetchArticleFile("weights"));
  const image_path = process.env.STRIPES_IMAGE ?? (await fetchArticleFile("image"));
  await ready();

  // The lesson's cells.
  const netG = new ResNetGenerator();
  netG.loadStateDict(torch.load(model_path));
  netG.eval();
  const preprocess = transforms.Compose([transforms.Resize(256), transforms.ToTensor()]);
  const img = await Image.open(image_path);
  const batch_t = unsqueeze(preprocess(img), 0);
  const batch_out = netG.forward(batch_t);
  const out_img = transforms.ToPILImage()(tf.div(tf.add(squeeze(batch_out), 1.0), 2.0));

  // Side by side on white: the resized horse, then the zebra (2 px wider, same height).
  const horse = transforms.Resize(256)(img.convert("RGB"));
  const zebra = out_img.convert("RGB");
  const width = horse.width + GAP + zebra.width;
  const height = Math.max(horse.height, zebra.height);
  const canvas = new Uint8Array(width * height * 3).fill(255);
  for (const [picture, left] of [[horse, 0], [zebra, horse.width + GAP]] as const) {
    for (let y = 0; y < picture.height; y++) {
      const row = picture.data.subarray(y * picture.width * 3, (y + 1) * picture.width * 3);
      canvas.set(row, (y * width + left) * 3);
    }
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await new Image(width, height, "RGB", canvas).save(out); // written to a temp file, then renamed
  console.log(`${path.relative(process.cwd(), out)}: ${horse.width}x${horse.height} horse, ${zebra.width}x${zebra.height} zebra`);
}

main().catch((err) => {
  console.error(`readme-picture: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
