/**
 * @file `stripes-gan convert [--weights FILE] INPUT… -o OUTPUT`: the article's job on photos and
 * folders. Without inputs, the article's horse becomes zebra.png (`npm start`). The options are
 * in convertOptions.ts; the work is in convertImages.ts, loaded when the command runs.
 */
import type { Command } from "commander";
import { ConvertOptions, convertOptions } from "./convertOptions";

export function register(program: Command): void {
  convertOptions(
    program
      .command("convert")
      .description("turn photos (files or folders) into zebras with a CycleGAN generator; without inputs, the article's horse → zebra.png")
      .argument("[inputs...]", "image files or folders (searched recursively)"),
  ).action(async (inputs: string[], opts: ConvertOptions) => {
    const { convert } = await import("./convertImages");
    process.exitCode = await convert(inputs, opts);
  });
}
