/**
 * @file `stripes export [--weights FILE] -o model.onnx`: a generator checkpoint as an ONNX model
 * (opset 17, input `input` [batch, C, height, width], output `output`), for onnxruntime or any
 * other ONNX runtime. Height and width stay dynamic.
 *
 *   --weights <file>     generator checkpoint   (default: STRIPES_WEIGHTS or the article's, fetched)
 *   -o, --output <file>  where to write         (required; written to a temporary file, then renamed)
 *   -f, --force          overwrite an existing output
 *   -q, --quiet          print nothing but errors
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { writeFileAtomic } from "../atomicWrite";
import { StripesError } from "../errors";
import { exportOnnx } from "../engine/exportOnnx";
import { articleFile } from "./article";
import { loadGenerator } from "../models/generatorConfig";

interface ExportOptions {
  weights?: string;
  output: string;
  force: boolean;
  quiet: boolean;
}

export function register(program: Command): void {
  program
    .command("export")
    .description("write a generator checkpoint as an ONNX model with dynamic height and width")
    .option("--weights <file>", "generator checkpoint (default: STRIPES_WEIGHTS or the article's, fetched if missing)")
    .requiredOption("-o, --output <file>", "the .onnx file to write")
    .option("-f, --force", "overwrite an existing output file", false)
    .option("-q, --quiet", "print nothing but errors", false)
    .action(async (opts: ExportOptions) => {
      if (existsSync(opts.output) && !opts.force) throw new StripesError(`${opts.output}: already exists (use --force to overwrite)`);
      const weights = opts.weights ?? (await articleFile("weights", { quiet: opts.quiet }));
      const netG = await loadGenerator(weights);
      const bytes = exportOnnx(netG, netG.input_nc);
      netG.dispose();
      writeModel(opts.output, bytes);
      if (!opts.quiet) {
        const { input_nc, output_nc, ngf, n_blocks } = netG;
        process.stderr.write(
          `wrote ${opts.output} (${(bytes.length / 1e6).toFixed(1)} MB): ResNetGenerator(input_nc=${input_nc}, output_nc=${output_nc}, ` +
            `ngf=${ngf}, n_blocks=${n_blocks}), input [batch, ${input_nc}, height, width]\n`,
        );
      }
    });
}

/** Writes the model through a temporary file and a rename, so `path` is never half-written. */
function writeModel(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const problem = e.code === "ENOENT" ? "no such folder" : e.code === "EACCES" ? "permission denied" : (e.code ?? e.message);
    throw new StripesError(`${path}: cannot write (${problem})`);
  }
}
