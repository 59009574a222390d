/**
 * `stripes convert` throughput on a folder: images/s with 1 job and with every core, and the two
 * ways of using the cores (the aim: 2 cores ≥ 1.7 × one core).
 *
 *     npm run build && npx ts-node bench/convert.ts
 *
 * Settings, one per line:
 */
const ROUNDS = Number(process.env.ROUNDS ?? 2); // best round kept (the machine may be shared)
const COPIES = Number(process.env.COPIES ?? 2); // the 5 bench photos, this many times over
const OUT = "bench/out/engine"; // git-ignored; bench/engine.py setup writes the weights and photos
/*
 * Times the conversion loop only (weights loaded and engines created beforehand), in process:
 *   1 job                       one onnxruntime session, 1 thread
 *   N jobs, threads             one session, N intra-op threads, images one after another
 *   N jobs, workers (default)   N worker threads, each a 1-thread session on its own image
 * each with decode/resize of the next image overlapping inference (and once without, to see what
 * the overlap brings), and tfjs (1 image) for scale.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
// The built code (npm run build first), as users run it.
import { runJobs } from "../dist/cli/convertSchedule";
import { exportOnnx } from "../dist/engine/exportOnnx";
import { loadGenerator } from "../dist/models/loadGenerator";
import type { Job } from "../dist/cli/convertPlan";
import { Engine, createEngine } from "../dist/engine/engine";
import { runJobsInLanes, runJobsInWorkers } from "./convertLanes";

async function main() {
  if (!existsSync(join(OUT, "netG-random.pth"))) execFileSync("/usr/bin/python3", ["bench/engine.py", "setup", OUT], { stdio: "inherit" });
  const cores = availableParallelism();
  const { module: netG } = await loadGenerator(join(OUT, "netG-random.pth"));
  const tmp = mkdtempSync(join(tmpdir(), "stripes-bench-convert-"));
  const photos = readdirSync(join(OUT, "photos")).sort();
  const jobs: Job[] = [];
  for (let c = 0; c < COPIES; c++) for (const p of photos) jobs.push({ input: join(OUT, "photos", p), output: join(tmp, `${c}-${p}.png`) });

  type Setup = { engine: "onnx" | "tfjs"; threads: number; lanes: number; n: number; overlap?: boolean; workers?: boolean };
  const setups: [string, Setup][] = [
    [`onnx, ${cores} jobs as threads, no decode/inference overlap`, { engine: "onnx", threads: cores, lanes: 1, n: jobs.length, overlap: false }],
    ["onnx, 1 job (1 session × 1 thread)", { engine: "onnx", threads: 1, lanes: 1, n: jobs.length }],
    [`onnx, ${cores} jobs as threads (1 session × ${cores} threads)`, { engine: "onnx", threads: cores, lanes: 1, n: jobs.length }],
    [`onnx, ${cores} jobs as sessions in one thread (${cores} × 1)`, { engine: "onnx", threads: 1, lanes: cores, n: jobs.length }],
    [`onnx, ${cores} jobs as workers (${cores} workers × 1 thread)`, { engine: "onnx", threads: 1, lanes: cores, n: jobs.length, workers: true }],
    ["tfjs (wasm), 1 image", { engine: "tfjs", threads: 1, lanes: 1, n: 1 }],
  ];
  const model = exportOnnx(netG, 3);
  const rates = new Map<string, number>();
  const cpuPerImage = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, s] of setups) {
      const engines: Engine[] = [];
      for (let i = 0; i < (s.workers ? 0 : s.lanes); i++) engines.push(await createEngine(netG, { engine: s.engine, channels: 3, threads: s.threads }));
      const t0 = performance.now();
      const c0 = process.cpuUsage(); // includes worker threads: they are threads of this process
      let failed = 0;
      const report = { done: () => {}, failed: () => failed++ };
      if (s.workers) await runJobsInWorkers(jobs.slice(0, s.n), model, s.lanes, s.threads, 3, 256, report);
      // stripes convert's own schedule where it applies (one engine, overlap), else the alternatives.
      else if (s.lanes === 1 && (s.overlap ?? true)) await runJobs(jobs.slice(0, s.n), engines[0], 3, 256, report);
      else await runJobsInLanes(jobs.slice(0, s.n), engines, 3, 256, report, { overlap: s.overlap ?? true });
      const rate = s.n / ((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpuPerImage.set(name, Math.min(cpuPerImage.get(name) ?? Infinity, (c.user + c.system) / 1e6 / s.n));
      if (failed > 0) throw new Error(`${name}: ${failed} images failed`);
      rates.set(name, Math.max(rates.get(name) ?? 0, rate));
      await Promise.all(engines.map((e) => e.dispose()));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  const base = rates.get(setups.find(([name]) => name.startsWith("onnx, 1 job"))![0])!;
  console.log(`stripes convert, ${jobs.length} photos (640×480 … 1600×1066 JPEG → Resize(256) → PNG), best of ${ROUNDS} rounds:`);
  for (const [name] of setups) {
    const r = rates.get(name)!;
    // cores busy = CPU seconds per wall second: what the machine let us have (others share it).
    const busy = cpuPerImage.get(name)! * r;
    console.log(
      `  ${name.padEnd(54)} ${r.toFixed(2)} images/s   ${(r / base).toFixed(2)} × 1 job   cpu ${cpuPerImage.get(name)!.toFixed(2)} s/image   ${busy.toFixed(2)} cores busy`,
    );
  }
  console.log(`load average (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cores} cores`);
  netG.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
