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
 * The cores go to onnxruntime's intra-op threads (one session, `--jobs` threads); the next
 * photo's JPEG/PNG decoding is started before each run and proceeds on libuv's threads meanwhile
 * (onnxruntime-node's run itself holds the JS thread, so Resize waits for it).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { Worker } from "node:worker_threads";
import { Command, InvalidArgumentError, Option } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { StripesError } from "../errors";
import { ENGINE_CHOICES, Engine, EngineChoice, createEngines, ortDescription, resolveEngine } from "../engine/engine";
import { exportOnnx } from "../engine/exportOnnx";
import { loadGenerator } from "../models/generatorConfig";
import { articleFile } from "./article";
import { Job, planConvert } from "./convertPlan";
import { loadJob, saveJob } from "./convertJob";
import type { WorkerInit, WorkerReply } from "./convertWorker";
import { EXIT } from "./exit";

export interface ConvertOptions {
  weights?: string;
  output?: string;
  size: number | "none";
  engine: EngineChoice;
  jobs: number;
  force: boolean;
  quiet: boolean;
  /** Worker threads converting side by side (default 1: none); not a CLI option, see convert(). */
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
  // One session using `jobs` intra-op threads, images one after another (decoding the next
  // meanwhile). Worker lanes (one 1-thread session per worker) are what bench/convert.ts
  // compares it with: no faster here, and each worker holds its own copy of the weights.
  const engineName = resolveEngine(opts.engine);
  const lanes = engineName === "onnx" ? Math.max(1, Math.min(opts.lanes ?? 1, jobs.length, opts.jobs)) : 1;
  const threads = Math.max(1, Math.floor(opts.jobs / lanes));
  const size = opts.size === "none" ? null : opts.size;
  const engines = lanes > 1 ? [] : await createEngines(netG, { engine: engineName, channels: netG.input_nc, threads }, 1);
  const description = lanes > 1 ? ortDescription(threads, lanes, "workers") : engines[0].description;
  say(`engine: ${description}`);

  const progress = opts.quiet ? null : new Progress(jobs.length);
  let converted = 0;
  try {
    const run = lanes > 1
      ? (report: Report) => runJobsInWorkers(jobs, exportOnnx(netG, [1, netG.input_nc, 256, 256]), lanes, threads, netG.input_nc, size, report)
      : (report: Report) => runJobs(jobs, engines, netG.input_nc, size, report);
    await run({
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
      `(${(converted / (elapsed / 1000)).toFixed(2)} images/s, ${engineName})` +
      (failed > 0 ? `; ${failed} failed: ${failures.map((f) => f.split(": ")[0]).join(", ")}` : ""),
  );
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}

interface Report {
  done(job: Job, ms: number): void;
  /** A job failed with a one-line message; may throw to stop the run. */
  failed(job: Job, message: string): void;
}

/**
 * Converts the jobs, one lane per engine: each lane takes the next job and starts loading the
 * one after it before its engine runs (decoding runs on libuv's threads meanwhile), and encodes
 * while the next runs. Lanes in one JS thread take turns: onnxruntime-node's run blocks it.
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
      saving = saveJob(y, job).then((saved) => (saved.ok ? report.done(job, performance.now() - t0) : report.failed(job, saved.message)));
    }
    await saving;
  };
  await Promise.all(engines.map(lane));
}

/**
 * Converts the jobs on `lanes` worker threads (src/cli/convertWorker.ts), each with its own
 * onnxruntime session of `threads` threads on `model`; a free worker takes the next job.
 */
export async function runJobsInWorkers(
  jobs: Job[],
  model: Uint8Array,
  lanes: number,
  threads: number,
  channels: number,
  size: number | null,
  report: Report,
): Promise<void> {
  // Under ts-node (tests, benches) the worker is the .ts file and needs the same loader.
  const ts = __filename.endsWith(".ts");
  const file = join(__dirname, `convertWorker.${ts ? "ts" : "js"}`);
  const workers = Array.from({ length: lanes }, () => new Worker(file, { execArgv: ts ? ["-r", "ts-node/register"] : [] }));
  let taken = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current: Job | undefined;
            const next = () => {
              if (taken >= jobs.length) return resolve();
              const index = taken++;
              current = jobs[index];
              worker.postMessage({ job: { ...jobs[index], index } });
            };
            worker.on("error", reject);
            worker.on("exit", (code) => reject(new Error(`convert worker exited with code ${code}`)));
            worker.on("message", (reply: WorkerReply) => {
              try {
                if ("fatal" in reply) return reject(new Error(`in a convert worker: ${reply.fatal}`));
                if ("index" in reply) {
                  if (reply.ok) report.done(current!, reply.ms);
                  else report.failed(current!, reply.message);
                }
                next();
              } catch (err) {
                reject(err);
              }
            });
            worker.postMessage({ init: { model, channels, size, threads } satisfies WorkerInit });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
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
    if (this.bar) this.bar.update(this.count, this.rate());
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
    this.bar.start(this.total, this.count, this.rate());
  }

  /** Converted images per second so far, for the bar's {rate}. */
  private rate(): { rate: string } {
    return { rate: (this.converted / ((performance.now() - this.start) / 1000)).toFixed(2) };
  }

  stop(): void {
    this.bar?.stop();
  }
}
