/**
 * @file `stripes-gan run NOTEBOOK`: executes a notebook on the kernel its kernelspec names (the stripes kernel, or tslab's), headlessly, and
 * optionally saves it with its outputs. Progress goes to stderr, one line per code cell. A failing
 * or timed-out cell stops the run: its number and error are printed and the exit code is 1, and
 * nothing is written (as `jupyter nbconvert --execute`).
 *
 *   -o, --output <file>      save the executed notebook here (may be NOTEBOOK itself)
 *   --timeout <seconds>      per cell                               (default 600)
 *   --start-timeout <sec>    for the kernel to start                (default 60)
 *   -v, --verbose            also echo the cells' text output to stderr
 *   -q, --quiet              no progress lines
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got '${value}'`);
  return n;
}

export function register(program: Command): void {
  program
    .command("run")
    .description("execute a notebook on the stripes kernel (or tslab's, per its kernelspec) as Jupyter would, and save its outputs")
    .argument("<notebook>", "the .ipynb file")
    .option("-o, --output <file>", "save the executed notebook here")
    .option("--timeout <seconds>", "time limit per cell", seconds, 600)
    .option("--start-timeout <seconds>", "time limit for the kernel to start", seconds, 60)
    .option("-v, --verbose", "echo the cells' text output to stderr", false)
    .option("-q, --quiet", "no progress lines", false)
    .action(async (notebook: string, opts: { output?: string; timeout: number; startTimeout: number; verbose: boolean; quiet: boolean }) => {
      // The runner and its ZeroMQ client load only when a notebook runs, not for --help.
      const { joinLines, writeNotebook } = await import("../jupyter/nbformat");
      const { runNotebook } = await import("../jupyter/run");
      const began = Date.now();
      const nb = await runNotebook(notebook, {
        timeout: opts.timeout,
        startTimeout: opts.startTimeout,
        onCell: (e) => {
          if (!opts.quiet) process.stderr.write(`${notebook}: code cell ${e.codeNumber}/${e.codeCells} ${e.status} (${e.seconds.toFixed(1)} s)\n`);
        },
        onOutput: (output) => {
          if (opts.verbose && output.output_type === "stream") process.stderr.write(joinLines(output.text));
        },
      });
      if (opts.output) writeNotebook(opts.output, nb);
      if (!opts.quiet) {
        process.stderr.write(`${notebook}: all cells ran in ${((Date.now() - began) / 1000).toFixed(1)} s` + (opts.output ? `; saved ${opts.output}\n` : "\n"));
      }
    });
}
