/**
 * @file `stripes convert [--weights FILE] INPUT… -o OUTPUT`: the article's job on photos and
 * folders. Without inputs, the article's horse becomes zebra.png (`npm start`).
 *
 * This file is the command's order of events: plan (convertPlan.ts), load the generator, make
 * the engine, run the jobs (convertSchedule.ts, each job in convertJob.ts), report
 * (convertProgress.ts) and sum up. The options are in convertOptions.ts.
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "commander";
import { StripesError } from "../errors";
import { createEngine, resolveEngine } from "../engine/engine";
import { loadGenerator } from "../models/generatorConfig";
import { articleFile } from "./article";
import { ConvertOptions, convertOptions } from "./convertOptions";
import { Job, planConvert } from "./convertPlan";
import { Progress } from "./convertProgress";
import { runJobs } from "./convertSchedule";
import { EXIT } from "./exit";

export function register(program: Command): void {
  convertOptions(
    program
      .command("convert")
      .description("turn photos (files or folders) into zebras with a CycleGAN generator; without inputs, the article's horse → zebra.png")
      .argument("[inputs...]", "image files or folders (searched recursively)"),
  ).action(async (inputs: string[], opts: ConvertOptions) => {
    process.exitCode = await convert(inputs, opts);
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the command; returns the exit code. Errors that stop everything are thrown. */
export async function convert(inputs: string[], opts: ConvertOptions): Promise<number> {
  const say = (line: string) => opts.quiet || process.stderr.write(line + "\n");
  const article = inputs.length === 0;
  if (article) {
    inputs = [await articleFile("image", { quiet: opts.quiet })];
    opts.output ??= "zebra.png";
  }
  if (opts.output === undefined) throw new StripesError("convert: -o/--output is required (an output file, or a folder for several inputs)");
  const plan = planConvert(inputs, opts.output);
  if (!plan.toFolder && plan.problems.length > 0) throw new StripesError(plan.problems[0]);

  const failures: string[] = [...plan.problems];
  const jobs: Job[] = [];
  for (const job of plan.jobs) {
    if (!opts.force && existsSync(job.output)) failures.push(`${job.output}: already exists (use --force to overwrite)`);
    else jobs.push(job);
  }
  if (!plan.toFolder && failures.length > 0) throw new StripesError(failures[0]);
  for (const line of failures) process.stderr.write(`stripes: ${line}\n`);

  const started = performance.now();
  const weights = opts.weights ?? (await articleFile("weights", { quiet: opts.quiet }));
  const netG = await loadGenerator(weights);
  const engineName = resolveEngine(opts.engine);
  const size = opts.size === "none" ? null : opts.size;
  const engine = await createEngine(netG, { engine: engineName, channels: netG.input_nc, threads: opts.jobs });
  say(`engine: ${engine.description}`);

  const progress = opts.quiet ? null : new Progress(jobs.length);
  let converted = 0;
  try {
    await runJobs(jobs, engine, netG.input_nc, size, {
      done: (job, ms) => {
        converted++;
        progress?.tick(`${relative(".", job.input)} → ${relative(".", job.output)} (${seconds(ms)})`);
      },
      failed: (_job, message) => {
        if (!plan.toFolder) throw new StripesError(message); // main prints it
        failures.push(message);
        if (progress) progress.interrupt(`stripes: ${message}`);
        else process.stderr.write(`stripes: ${message}\n`);
      },
    });
  } finally {
    progress?.stop();
    await engine.dispose();
    netG.dispose();
  }
  const elapsed = performance.now() - started;
  const failed = failures.length;
  say(
    `converted ${converted} image${converted === 1 ? "" : "s"} in ${seconds(elapsed)} ` +
      `(${(converted / (elapsed / 1000)).toFixed(2)} images/s, ${engineName})` +
      (failed > 0 ? `; ${failed} failed: ${failures.map((f) => f.split(": ")[0]).join(", ")}` : ""),
  );
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}
