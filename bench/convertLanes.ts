/**
 * @file The ways of using the cores that bench/convert.ts compares with `stripes convert`'s own
 * (src/cli/convertSchedule.ts: one session, its intra-op threads, the next image decoded
 * meanwhile). Kept here, not in src/: none is faster, and workers each hold a copy of the weights.
 *
 *   runJobsInLanes    several engines in one JS thread, each taking the next job; `overlap:
 *                     false` loads each image only when its turn comes
 *   runJobsInWorkers  worker threads (bench/convertWorker.ts), each its own 1-thread session
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Engine } from "../dist/engine/engine";
import type { Job } from "../dist/cli/convertPlan";
import type { Report } from "../dist/cli/convertSchedule";
import { loadJob, saveJob } from "../dist/cli/convertJob";
import type { WorkerInit, WorkerReply } from "./convertWorker";

/** One lane per engine; lanes in one JS thread take turns, as onnxruntime-node's run blocks it. */
export async function runJobsInLanes(
  jobs: Job[],
  engines: Engine[],
  channels: number,
  size: number | null,
  report: Report,
  { overlap = true }: { overlap?: boolean } = {},
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
      await saving;
      saving = saveJob(y, job).then((saved) => (saved.ok ? report.done(job, performance.now() - t0) : report.failed(job, saved.message)));
    }
    await saving;
  };
  await Promise.all(engines.map(lane));
}

/** `lanes` worker threads, each with its own onnxruntime session of `threads` threads on `model`. */
export async function runJobsInWorkers(
  jobs: Job[],
  model: Uint8Array,
  lanes: number,
  threads: number,
  channels: number,
  size: number | null,
  report: Report,
): Promise<void> {
  const file = join(__dirname, "convertWorker.ts");
  const workers = Array.from({ length: lanes }, () => new Worker(file, { execArgv: ["-r", "ts-node/register/transpile-only"] }));
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
