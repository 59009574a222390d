/**
 * @file What `stripes-gan export` does once it runs (export.ts registers the command and loads this
 * file only then): load the generator, export it, write the model atomically.
 */
import { existsSync } from "node:fs";
import { writeFileAtomic, writeProblem } from "../atomicWrite";
import { CliError } from "./errors";
import { exportOnnx } from "../engine/exportOnnx";
import { articleFile } from "./article";
import { loadGenerator } from "../models/loadGenerator";

export interface ExportOptions {
  weights?: string;
  output: string;
  force: boolean;
  quiet: boolean;
}

export async function exportModel(opts: ExportOptions): Promise<void> {
  if (existsSync(opts.output) && !opts.force) throw new CliError(`${opts.output}: already exists (use --force to overwrite)`);
  const weights = opts.weights ?? (await articleFile("weights", { quiet: opts.quiet }));
  const { module: netG } = await loadGenerator(weights);
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
}

/** Writes the model through a temporary file and a rename, so `path` is never half-written. */
function writeModel(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw new CliError(`${path}: cannot write (${writeProblem(err)})`);
  }
}
