/**
 * @file A worker thread of bench/convertLanes.ts's runJobsInWorkers (an alternative to
 * `stripes convert`'s one session that bench/convert.ts measures): its own onnxruntime session on the exported model,
 * converting one photo at a time (decode, Resize, generator, ToPILImage, atomic save).
 *
 * Why workers: onnxruntime-node's `session.run` blocks the JS thread that calls it, so sessions
 * in one thread take turns; in workers they run side by side, each with its image's decoding
 * and encoding, and no thread waits on another inside a convolution.
 *
 * Messages: in `{ init: { model, channels, size, threads } }` then `{ job: { index, input, output } }`;
 * out `{ ready: true }`, `{ index, ok: true, ms }` or `{ index, ok: false, message }` (a bad
 * file), or `{ fatal }` (a bug: the stack).
 */
import { parentPort } from "node:worker_threads";
import { OrtSession } from "../dist/engine/ortSession";
import type { Job } from "../dist/cli/convertPlan";
import { loadJob, saveJob } from "../dist/cli/convertJob";

export interface WorkerInit {
  model: Uint8Array;
  channels: number;
  size: number | null;
  threads: number;
}

export type WorkerReply =
  | { ready: true }
  | { index: number; ok: true; ms: number }
  | { index: number; ok: false; message: string }
  | { fatal: string };

let session: OrtSession | undefined;
let init: WorkerInit | undefined;

async function convertOne(job: Job & { index: number }): Promise<WorkerReply> {
  const t0 = performance.now();
  const loaded = await loadJob(job, init!.channels, init!.size);
  if (!loaded.ok) return { index: job.index, ok: false, message: loaded.message };
  const saved = await saveJob(await session!.run(loaded.batch.data, loaded.batch.dims), job);
  if (!saved.ok) return { index: job.index, ok: false, message: saved.message };
  return { index: job.index, ok: true, ms: performance.now() - t0 };
}

parentPort!.on("message", async (message: { init?: WorkerInit; job?: Job & { index: number } }) => {
  try {
    if (message.init) {
      session = await OrtSession.create(message.init.model, { intraOpNumThreads: message.init.threads });
      init = { ...message.init, model: new Uint8Array(0) }; // the session has its own copy of the weights
      parentPort!.postMessage({ ready: true } satisfies WorkerReply);
    } else if (message.job) {
      parentPort!.postMessage(await convertOne(message.job));
    }
  } catch (err) {
    parentPort!.postMessage({ fatal: (err as Error)?.stack ?? String(err) } satisfies WorkerReply);
  }
});
