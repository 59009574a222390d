/**
 * Exports the engine fixtures' models to ONNX for scripts/fixtures/engine.py to check with
 * onnx.checker:  node -r ts-node/register scripts/export-onnx-fixtures.ts <fixtures> <out dir>
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ready } from "../src/backend";
import { exportOnnx } from "../src/engine/exportOnnx";
import { loadGenerator } from "../src/models/loadGenerator";
import { load } from "../src/torch";
import { allLayers } from "../test/helpers/engineModels";

async function main([fixtures, out]: string[]) {
  await ready();
  const layers = allLayers();
  layers.loadStateDict(load(join(fixtures, "all-layers.pth")) as Map<string, any>);
  writeFileSync(join(out, "all-layers.onnx"), exportOnnx(layers.eval(), 3));
  const { module: netG } = await loadGenerator(join(fixtures, "..", "convert", "gen-rgb-zip.pth"));
  writeFileSync(join(out, "generator.onnx"), exportOnnx(netG, 3));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
