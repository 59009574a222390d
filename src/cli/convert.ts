/**
 * @file `stripes convert [--weights FILE] INPUT… -o OUTPUT`: the article's job on photos and
 * folders. Without inputs, the article's horse becomes zebra.png (`npm start`).
 *
 *   --weights <file>     generator checkpoint       (default: STRIPES_WEIGHTS or the article's, fetched)
 *   -o, --output <path>  output file, or folder    (default: zebra.png without inputs; else required)
 *   --size <n|none>      Resize's shorter side      (default: 256, the book's; "none" keeps the size)
 *   --engine <name>      auto | onnx | tfjs         (default: auto = onnx when onnxruntime-node loads)
 *   -j, --jobs <n>       cores to use               (default: all)
 *   -f, --force          overwrite existing outputs (default: an existing output is an error)
 *   -q, --quiet          no progress or summary     (errors are still printed)
 *
 * While the engine runs one image, the next is decoded and resized (sharp decodes on libuv's
 * threads, onnxruntime runs on its own), so the cores stay busy.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, relative } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { StripesError } from "../errors";
import { ENGINE_CHOICES, Engine, EngineChoice, NCHW, createEngines } from "../engine/engine";
import { loadGenerator } from "../models/generatorConfig";
import { Image } from "../vision/image";
import { articleFile } from "./article";
import { Job, planConvert } from "./convertPlan";
import { postprocess, preprocess } from "./pipeline";
import { EXIT } from "./main";

export interface ConvertOptions {
  weights?: string;
  output?: string;
  size: number | "none";
  engine: EngineChoice;
  jobs: number;
  force: boolean;
  quiet: boolean;
  /** Images run side by side (default: `jobs`); not a CLI option, bench/convert.ts compares. */
  lanes?: number;
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

export function register(program: Command): void {
  program
    .command("convert")
    .description("turn photos (files or folders) into zebras with a CycleGAN generator; without inputs, the article's horse → zebra.png")
    .argument("[inputs...]", "image files or folders (searched recursively)")
    .option("--weights <file>", "generator checkpoint (default: STRIPES_WEIGHTS or the article's, fetched if missing)")
    .option("-o, --output <path>", "output file for one input, else output folder (default without inputs: zebra.png)")
    .option("--size <n|none>", "shorter side the photo is resized to; none keeps its size", parseSize, 256)
    .addOption(new Option("--engine <name>", "what runs the generator; auto = onnx when it loads").choices(ENGINE_CHOICES).default("auto"))
    .option("-j, --jobs <n>", "cores to use", parseJobs, availableParallelism())
    .option("-f, --force", "overwrite existing output files", false)
    .option("-q, --quiet", "print nothing but errors", false)
    .action(async (inputs: string[], opts: ConvertOptions) => {
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
  if (plan.toFolder && existsSync(opts.output) && !statSync(opts.output).isDirectory()) {
    throw new StripesError(`${opts.output}: is a file, but several inputs need an output folder`);
  }

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
  // onnx: with more images than cores, one single-threaded session per core (each on its own
  // image) beats one session using every core (bench/convert.ts); else one session, all cores.
  const lanes = Math.max(1, Math.min(opts.lanes ?? opts.jobs, jobs.length));
  const threads = Math.max(1, Math.floor(opts.jobs / lanes));
  const engines = await createEngines(netG, { engine: opts.engine, channels: netG.input_nc, threads }, lanes);
  const engine = engines[0];
  say(`engine: ${engine.description}`);

  const progress = opts.quiet ? null : new Progress(jobs.length);
  let converted = 0;
  try {
    await runJobs(jobs, engines, netG.input_nc, opts.size === "none" ? null : opts.size, {
      done: (job, ms) => {
        converted++;
        progress?.tick(`${relative(".", job.input)} → ${relative(".", job.output)} (${seconds(ms)})`);
      },
      failed: (job, message) => {
        if (!plan.toFolder) throw new StripesError(message); // main prints it
        failures.push(message);
        if (progress) progress.interrupt(`stripes: ${message}`);
        else process.stderr.write(`stripes: ${message}\n`);
      },
    });
  } finally {
    progress?.stop();
    await Promise.all(engines.map((e) => e.dispose()));
    netG.dispose();
  }
  const elapsed = performance.now() - started;
  const failed = failures.length;
  say(
    `converted ${converted} image${converted === 1 ? "" : "s"} in ${seconds(elapsed)} ` +
      `(${(converted / (elapsed / 1000)).toFixed(2)} images/s, ${engine.name})` +
      (failed > 0 ? `; ${failed} failed: ${failures.map((f) => f.split(": ")[0]).join(", ")}` : ""),
  );
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}

interface Report {
  done(job: Job, ms: number): void;
  /** A job failed with a one-line message; may throw to stop the run. */
  failed(job: Job, message: string): void;
}

type Loaded = { ok: true; batch: NCHW } | { ok: false; message: string };

async function loadJob(job: Job, channels: number, size: number | null): Promise<Loaded> {
  try {
    return { ok: true, batch: preprocess(await Image.open(job.input), channels, size) };
  } catch (err) {
    if (err instanceof StripesError) return { ok: false, message: err.message };
    throw err;
  }
}

async function saveJob(img: Image, job: Job): Promise<void> {
  try {
    mkdirSync(dirname(job.output), { recursive: true });
  } catch (err) {
    throw new StripesError(`${dirname(job.output)}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  await img.save(job.output);
}

/**
 * Converts the jobs, one lane per engine: each lane takes the next job, and decodes and resizes
 * the image after it while its engine runs, so decoding, inference and encoding overlap.
 */
export async function runJobs(
  jobs: Job[],
  engines: Engine[],
  channels: number,
  size: number | null,
  report: Report,
  { overlap = true }: { overlap?: boolean } = {}, // false: load each image only when its turn comes (bench/convert.ts)
): Promise<void> {
  let taken = 0;
  const take = () => {
    if (taken >= jobs.length) return null;
    const job = jobs[taken++];
    return { job, loaded: overlap ? loadJob(job, channels, size) : null };
  };
  const lane = async (engine: Engine) => {
    let pending = take();
    let saving: Promise<void> = Promise.resolve();
    while (pending !== null) {
      const { job } = pending;
      const t0 = performance.now();
      const loaded = await (pending.loaded ?? loadJob(job, channels, size));
      if (!loaded.ok) {
        pending = take();
        report.failed(job, loaded.message);
        continue;
      }
      const running = engine.run(loaded.batch.data, loaded.batch.dims);
      pending = take();
      const y = await running;
      await saving; // one encode in flight per lane keeps memory flat
      saving = saveJob(postprocess(y), job).then(
        () => report.done(job, performance.now() - t0),
        (err) => {
          if (err instanceof StripesError) report.failed(job, err.message);
          else throw err;
        },
      );
    }
    await saving;
  };
  await Promise.all(engines.map(lane));
}

/** A bar with count, images/s and ETA on a terminal; one line per image otherwise. */
class Progress {
  private readonly bar: SingleBar | null;
  private readonly start = performance.now();
  private count = 0; // done or failed
  private converted = 0;

  constructor(private readonly total: number) {
    this.bar = process.stderr.isTTY
      ? new SingleBar(
          { format: "converting [{bar}] {value}/{total} | {rate} images/s | ETA {eta_formatted}", stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { rate: "0.00" });
  }

  tick(line: string): void {
    this.count++;
    this.converted++;
    const rate = this.converted / ((performance.now() - this.start) / 1000);
    if (this.bar) this.bar.update(this.count, { rate: rate.toFixed(2) });
    else process.stderr.write(`[${this.count}/${this.total}] ${line}\n`);
  }

  /** A failed image: its error line, printed without breaking the bar, which still advances. */
  interrupt(line: string): void {
    this.count++;
    if (!this.bar) {
      process.stderr.write(line + "\n");
      return;
    }
    this.bar.stop();
    process.stderr.write(line + "\n");
    this.bar.start(this.total, this.count, { rate: (this.converted / ((performance.now() - this.start) / 1000)).toFixed(2) });
  }

  stop(): void {
    this.bar?.stop();
  }
}
