/**
 * @file `stripes-gan convert`'s options, one per line (defaults in parentheses):
 *
 *   --weights <file>     generator checkpoint       (STRIPES_WEIGHTS or the article's, fetched)
 *   -o, --output <path>  output file, or folder    (zebra.png without inputs; else required)
 *   --size <n|none>      Resize's shorter side      (256, the book's; "none" keeps the size)
 *   --engine <name>      auto | onnx | tfjs         (auto = onnx when onnxruntime-node loads)
 *   -j, --jobs <n>       cores to use               (all)
 *   -f, --force          overwrite existing outputs (an existing output is an error)
 *   -q, --quiet          no progress or summary     (errors are still printed)
 */
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { ENGINE_CHOICES, EngineChoice } from "../engine/engine";

export interface ConvertOptions {
  weights?: string;
  output?: string;
  size: number | "none";
  engine: EngineChoice;
  jobs: number;
  force: boolean;
  quiet: boolean;
}

export function parseSize(value: string): number | "none" {
  if (value === "none") return value; // commander drops a parser's null, so "none" stays a string
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer or "none", got '${value}'`);
  return n;
}

export function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Adds the options above to the `convert` command. */
export function convertOptions(command: Command): Command {
  return command
    .option("--weights <file>", "generator checkpoint (default: STRIPES_WEIGHTS or the article's, fetched if missing)")
    .option("-o, --output <path>", "output file for one input, else output folder (default without inputs: zebra.png)")
    .option("--size <n|none>", "shorter side the photo is resized to; none keeps its size", parseSize, 256)
    .addOption(new Option("--engine <name>", "what runs the generator; auto = onnx when it loads").choices(ENGINE_CHOICES).default("auto"))
    .option("-j, --jobs <n>", "cores to use", parseJobs, availableParallelism())
    .option("-f, --force", "overwrite existing output files", false)
    .option("-q, --quiet", "print nothing but errors", false);
}
