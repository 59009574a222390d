/**
 * @file The order `stripes-gan convert` does its work in: one engine (onnxruntime's intra-op
 * threads use the cores), images one after another; the next photo's decoding is started
 * before each run and proceeds on libuv's threads meanwhile (onnxruntime-node's run holds the
 * JS thread, so Resize waits for it), and each image is encoded while the next one runs.
 * bench/convert.ts measures the alternatives (sessions side by side, worker threads, no overlap):
 * none is faster here.
 */
import type { Engine } from "../engine/engine";
import type { Job } from "./convertPlan";
import { loadJob, saveJob } from "./convertJob";

export interface Report {
  done(job: Job, ms: number): void;
  /** A job failed with a one-line message; may throw to stop the run. */
  failed(job: Job, message: string): void;
}

export async function runJobs(jobs: Job[], engine: Engine, channels: number, size: number | null, report: Report): Promise<void> {
  let taken = 0;
  const take = () => (taken < jobs.length ? { job: jobs[taken], loaded: loadJob(jobs[taken++], channels, size) } : null);
  let pending = take();
  let saving: Promise<void> = Promise.resolve();
  while (pending !== null) {
    const { job } = pending;
    const t0 = performance.now();
    const loaded = await pending.loaded;
    if (!loaded.ok) {
      pending = take();
      report.failed(job, loaded.message);
      continue;
    }
    const running = engine.run(loaded.batch.data, loaded.batch.dims);
    pending = take();
    const y = await running;
    await saving; // one encode in flight keeps memory flat
    saving = saveJob(y, job).then((saved) => (saved.ok ? report.done(job, performance.now() - t0) : report.failed(job, saved.message)));
  }
  await saving;
}
