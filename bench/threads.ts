/**
 * Thread scaling, one command, the whole table: the book's generator forward (1×3×256×314, the
 * article's size) and lesson 03's training step (bench/cyclegan-step.ts), for stripes on wasm at
 * 1, 2 and all cores (STRIPES_THREADS, each in its own process) and with no STRIPES_THREADS (the
 * default policy), beside PyTorch 2.x (/work/.venv-torch/bin/python when present, else `python3`;
 * TORCH2_PYTHON to choose) and PyTorch 1.13 (/usr/bin/python3) at the same thread counts, in the
 * same run, then stripes' time over PyTorch's at equal threads (wall and CPU).
 *
 *     npx ts-node bench/threads.ts              # RUNS=2 STEPS=10 SIZE=1x3x256x314 to change
 *     STEPS=0 npx ts-node bench/threads.ts      # the forward only (no training steps)
 *
 * Per row: median wall time, process CPU time, CPU/wall (cores actually used), the ratio to
 * stripes' 1-thread time, and for stripes with threads the share of the pool's own threads in
 * the run time (Linux /proc schedstat): how much of the work the second thread really did.
 * The machine's load average is printed first: a busy machine depresses every CPU/wall figure.
 *
 * Measured 2026-12-01 22:20 UTC, 2 cores at load average ~18 (six other engineers' jobs), with
 * SIZE=1x3x128x157 RUNS=1 STEPS=5: stripes forward 4.46 s (1 thread) vs 3.80 s (2 threads, 1.17×,
 * CPU/wall 0.25 → 0.35); step 1.15 s vs 1.66 s (0.69×); the pool thread's run time is ~50% of
 * the total, mostly spin-waiting. PyTorch 2.13 at 1 thread: 453 ms / 35 ms; 1.13: 640 ms / 75 ms.
 * Re-run on a quiet machine before drawing conclusions.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";

const RUNS = Number(process.env.RUNS ?? 2);
const STEPS = Number(process.env.STEPS ?? 10);
const SIZE = process.env.SIZE ?? "1x3x256x314";
const CORES = cpus().length;
const THREADS = [...new Set([1, 2, CORES].filter((n) => n <= Math.max(CORES, 2) && n <= 8))];
const VENV_TORCH = "/work/.venv-torch/bin/python"; // this machine's PyTorch 2.x
const TORCH2 = process.env.TORCH2_PYTHON ?? (existsSync(VENV_TORCH) ? VENV_TORCH : "python3");
const NO_STEP: Timing = { seconds: NaN, cpu_seconds: NaN };

interface Timing { seconds: number; cpu_seconds: number; pool_share?: number }
interface Row { forward: Timing; step: Timing; init_seconds?: number; threads: number; inference_threads?: number }

/** Run time (ns) of each thread of this process, from /proc/self/task/<tid>/schedstat. */
function runTimes(): Map<string, number> {
  const m = new Map<string, number>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      try {
        m.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]));
      } catch {
        // the thread ended
      }
    }
  } catch {
    // not Linux
  }
  return m;
}

async function child(): Promise<void> {
  const t0 = performance.now();
  const before = new Set(runTimes().keys());
  const backend = await import("../src/backend");
  const { ready, threads } = backend;
  const { ResNetGenerator } = await import("../src/models");
  const { msPerStep } = await import("./cyclegan-step");
  await ready();
  const init = (performance.now() - t0) / 1000;
  const pool = [...runTimes().keys()].filter((t) => !before.has(t) && t !== String(process.pid)); // threads started by the wasm module
  const main = String(process.pid);
  const measure = async (f: () => Promise<void>, runs: number): Promise<Timing> => {
    await f();
    const rows: Timing[] = [];
    for (let i = 0; i < runs; i++) {
      const r0 = runTimes(), c0 = process.cpuUsage(), w0 = performance.now();
      await f();
      const wall = (performance.now() - w0) / 1000, c = process.cpuUsage(c0), r1 = runTimes();
      const ran = (tid: string) => (r1.get(tid) ?? 0) - (r0.get(tid) ?? 0);
      const poolNs = pool.reduce((s, t) => s + ran(t), 0);
      rows.push({ seconds: wall, cpu_seconds: (c.user + c.system) / 1e6, pool_share: poolNs / Math.max(1, poolNs + ran(main)) });
    }
    return rows.sort((a, b) => a.seconds - b.seconds)[Math.floor(rows.length / 2)];
  };
  const netG = new ResNetGenerator();
  const x = tf.randomUniform(SIZE.split("x").map(Number), -1, 1);
  const forward = await measure(async () => {
    const y = netG.forward(x);
    await y.data();
    y.dispose();
  }, RUNS);
  const inference_threads = (backend as { inferenceThreads?: () => number }).inferenceThreads?.();
  if (STEPS === 0) {
    console.log(JSON.stringify({ threads: threads(), inference_threads, init_seconds: init, forward, step: NO_STEP } satisfies Row));
    return;
  }
  const stepCpu0 = process.cpuUsage();
  const r0 = runTimes();
  const ms = await msPerStep("wasm", STEPS);
  const c = process.cpuUsage(stepCpu0), r1 = runTimes();
  const ran = (tid: string) => (r1.get(tid) ?? 0) - (r0.get(tid) ?? 0);
  const poolNs = pool.reduce((s, t) => s + ran(t), 0);
  // msPerStep times STEPS steps after one warm-up; CPU is spread over all STEPS + 1 the same way
  const cpuPerStep = (c.user + c.system) / 1e6 / (STEPS + 1);
  const step: Timing = { seconds: ms / 1000, cpu_seconds: cpuPerStep, pool_share: poolNs / Math.max(1, poolNs + ran(main)) };
  console.log(JSON.stringify({ threads: threads(), inference_threads, init_seconds: init, forward, step } satisfies Row));
}

/** One stripes process: STRIPES_THREADS=threads, or unset (the default policy) for undefined. */
function stripes(threads: number | undefined): Row | string {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPES_BACKEND: "wasm" };
  if (threads === undefined) delete env.STRIPES_THREADS;
  else env.STRIPES_THREADS = String(threads);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "child"], {
    cwd: `${__dirname}/..`,
    env,
    encoding: "utf8",
    timeout: 3_600_000,
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return r.status === 0 && line.startsWith("{") ? JSON.parse(line) : `failed: ${(r.stderr || r.stdout).trim().split("\n").slice(-1)[0]}`;
}

function pytorch(python: string, threads: number): (Row & { torch: string }) | string {
  const r = spawnSync(python, ["bench/threads.py", String(threads), String(RUNS), String(STEPS), SIZE], { cwd: `${__dirname}/..`, encoding: "utf8", timeout: 3_600_000 });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) return `failed (${python}): ${String(r.stderr ?? r.error).trim().split("\n").slice(-1)[0]}`;
  const row = JSON.parse(line);
  return { ...row, step: row.step ?? NO_STEP };
}

const fmt = (s: number) => (!Number.isFinite(s) ? "–" : s >= 1 ? s.toFixed(2) + " s" : (s * 1000).toFixed(0) + " ms");

function main(): void {
  const load = () => loadavg().map((v) => v.toFixed(1)).join(" ");
  console.log(`thread scaling: generator forward ${SIZE} (median of ${RUNS})${STEPS > 0 ? ` and lesson 03's step (mean of ${STEPS})` : ""}; ${CORES} cores, load average ${load()}`);
  const rows: [string, Row | string][] = [];
  const byThreads = new Map<string, Row>(); // "stripes 2", "torch2 2", "torch1 2"
  for (const n of THREADS) {
    const r = stripes(n);
    rows.push([`stripes wasm, STRIPES_THREADS=${n}`, r]);
    if (typeof r !== "string") byThreads.set(`stripes ${n}`, r);
  }
  const def = stripes(undefined);
  rows.push([typeof def === "string" ? "stripes wasm, default" : `stripes wasm, default (training ${def.threads}, inference ${def.inference_threads ?? def.threads} threads)`, def]);
  for (const [python, label, key] of [[TORCH2, "PyTorch 2.x", "torch2"], ["/usr/bin/python3", "PyTorch 1.13", "torch1"]]) {
    for (const n of THREADS) {
      const r = pytorch(python, n);
      rows.push([typeof r === "string" ? `${label}, ${n} thread(s)` : `PyTorch ${r.torch}, ${r.threads} thread(s)`, r]);
      if (typeof r !== "string") byThreads.set(`${key} ${n}`, r);
    }
  }
  const base = rows[0][1];
  const cell = (t: Timing, ref: Timing | undefined) =>
    !Number.isFinite(t.seconds)
      ? "– | – | – | –"
      : `${fmt(t.seconds)} | cpu ${fmt(t.cpu_seconds)} | ${(t.cpu_seconds / t.seconds).toFixed(2)} cores${t.pool_share !== undefined && t.pool_share > 0 ? ` (pool threads ${(t.pool_share * 100).toFixed(0)}% of run time)` : ""} | ${ref && Number.isFinite(ref.seconds) ? (ref.seconds / t.seconds).toFixed(2) + "×" : ""}`;
  console.log("\n| run | forward: wall | CPU | CPU/wall | speed vs stripes 1 thread | step: wall | CPU | CPU/wall | speed vs stripes 1 thread |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const [label, r] of rows) {
    if (typeof r === "string") {
      console.log(`| ${label} | ${r} |`);
      continue;
    }
    const ref = typeof base === "string" ? undefined : base;
    console.log(`| ${label}${r.init_seconds !== undefined ? ` (start-up ${r.init_seconds.toFixed(1)} s)` : ""} | ${cell(r.forward, ref?.forward)} | ${cell(r.step, ref?.step)} |`);
  }
  // The question the speed target asks: stripes' forward over PyTorch's at the same thread count.
  console.log("\n| threads | stripes forward | ÷ PyTorch 2.x: wall | CPU | ÷ PyTorch 1.13: wall | CPU |");
  console.log("|---|---|---|---|---|---|");
  const ratio = (a: number, b: number | undefined) => (b === undefined || !Number.isFinite(a / b) ? "–" : `${(a / b).toFixed(2)}×`);
  for (const n of THREADS) {
    const s = byThreads.get(`stripes ${n}`)?.forward;
    if (s === undefined) continue;
    const [t2, t1] = [byThreads.get(`torch2 ${n}`)?.forward, byThreads.get(`torch1 ${n}`)?.forward];
    console.log(`| ${n} | ${fmt(s.seconds)} (cpu ${fmt(s.cpu_seconds)}) | ${ratio(s.seconds, t2?.seconds)} | ${ratio(s.cpu_seconds, t2?.cpu_seconds)} | ${ratio(s.seconds, t1?.seconds)} | ${ratio(s.cpu_seconds, t1?.cpu_seconds)} |`);
  }
  console.log(`\nload average at the end ${load()}`);
}

if (process.argv[2] === "child") child();
else main();
