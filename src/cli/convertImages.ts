/**
 * @file What `stripes-gan convert` does once it runs (convert.ts registers the command and loads
 * this file only then). Its order of events: plan (convertPlan.ts), load the generator, make
 * the engine, run the jobs (convertSchedule.ts, each job in convertJob.ts), report
 * (convertProgress.ts) and sum up. The options are in convertOptions.ts.
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { CliError } from "./errors";
import { Engine, createEngine, resolveEngine } from "../engine/engine";
import type { ResNetGenerator } from "../models";
import { CHANNELS } from "../vision/convert";
import { articleFile } from "./article";
import { onnxEngineFor } from "./convertCache";
import type { ConvertOptions } from "./convertOptions";
import { Job, planConvert } from "./convertPlan";
import { Progress } from "./convertProgress";
import { runJobs } from "./convertSchedule";
import { EXIT } from "./exit";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the command; returns the exit code. Errors that stop everything are thrown. */
export async function convert(inputs: string[], opts: ConvertOptions): Promise<number> {
  const say = (line: string) => opts.quiet || process.stderr.write(line + "\n");
  const article = inputs.length === 0;
  if (article) {
    inputs = [await articleFile("image", { quiet: opts.quiet })];
    opts.output ??= "zebra.png";
  }
  if (opts.output === undefined) throw new CliError("convert: -o/--output is required (an output file, or a folder for several inputs)");
  const plan = planConvert(inputs, opts.output);
  if (!plan.toFolder && plan.problems.length > 0) throw new CliError(plan.problems[0]);

  const failures: string[] = [...plan.problems];
  const jobs: Job[] = [];
  for (const job of plan.jobs) {
    if (!opts.force && existsSync(job.output)) failures.push(`${job.output}: already exists (use --force to overwrite)`);
    else jobs.push(job);
  }
  if (!plan.toFolder && failures.length > 0) throw new CliError(failures[0]);
  for (const line of failures) process.stderr.write(`stripes: ${line}\n`);

  const started = performance.now();
  const weights = opts.weights ?? (await articleFile("weights", { quiet: opts.quiet }));
  // onnx: the generator comes from the cache when it holds this checkpoint (convertCache.ts).
  let netG: ResNetGenerator | null = null;
  let engine: Engine;
  let channels: { input_nc: number; output_nc: number };
  if (resolveEngine(opts.engine) === "onnx") {
    const m = await onnxEngineFor(weights, opts.jobs, (line) => process.stderr.write(line + "\n"));
    engine = m.engine;
    channels = m;
  } else {
    const { loadGenerator } = await import("../models/loadGenerator");
    netG = (await loadGenerator(weights)).module;
    channels = netG;
    engine = await createEngine(netG, { engine: opts.engine, channels: netG.input_nc, threads: opts.jobs });
  }
  // Photos come in as L, LA, RGB or RGBA and go out through ToPILImage, as in the book (PIL has
  // no 8-bit mode of 5 channels either): other generators load (the notebook API takes them)
  // but have nothing to convert here.
  for (const [side, n] of [["input", channels.input_nc], ["output", channels.output_nc]] as const) {
    if (!Object.values(CHANNELS).includes(n)) {
      await engine.dispose();
      netG?.dispose();
      throw new CliError(
        `${weights}: a generator with ${n} ${side} channels; stripes convert reads and writes images, which have ` +
          `1 to 4 (L, LA, RGB, RGBA)`,
      );
    }
  }
  const size = opts.size === "none" ? null : opts.size;
  const engineName = engine.name;
  say(`engine: ${engine.description}`);

  const progress = opts.quiet ? null : new Progress(jobs.length);
  let converted = 0;
  try {
    await runJobs(jobs, engine, channels.input_nc, size, {
      done: (job, ms) => {
        converted++;
        progress?.tick(`${relative(".", job.input)} → ${relative(".", job.output)} (${seconds(ms)})`);
      },
      failed: (_job, message) => {
        if (!plan.toFolder) throw new CliError(message); // main prints it
        failures.push(message);
        if (progress) progress.interrupt(`stripes: ${message}`);
        else process.stderr.write(`stripes: ${message}\n`);
      },
    });
  } finally {
    progress?.stop();
    await engine.dispose();
    netG?.dispose();
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
