/**
 * @file `stripes-gan export [--weights FILE] -o model.onnx`: a generator checkpoint as an ONNX model
 * (opset 17, input `input` [batch, C, height, width], output `output`), for onnxruntime or any
 * other ONNX runtime. Height and width stay dynamic. The work is in exportModel.ts, loaded when
 * the command runs.
 *
 *   --weights <file>     generator checkpoint   (default: STRIPES_WEIGHTS or the article's, fetched)
 *   -o, --output <file>  where to write         (required; written to a temporary file, then renamed)
 *   -f, --force          overwrite an existing output
 *   -q, --quiet          print nothing but errors
 */
import type { Command } from "commander";
import type { ExportOptions } from "./exportModel";

export function register(program: Command): void {
  program
    .command("export")
    .description("write a generator checkpoint as an ONNX model with dynamic height and width")
    .option("--weights <file>", "generator checkpoint (default: STRIPES_WEIGHTS or the article's, fetched if missing)")
    .requiredOption("-o, --output <file>", "the .onnx file to write")
    .option("-f, --force", "overwrite an existing output file", false)
    .option("-q, --quiet", "print nothing but errors", false)
    .action(async (opts: ExportOptions) => {
      const { exportModel } = await import("./exportModel");
      await exportModel(opts);
    });
}
