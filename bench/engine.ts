/**
 * The ONNX engine vs PyTorch 1.13, same weights, same machine, same run.
 *
 *     npm run build && npx ts-node bench/engine.ts
 *
 * Settings, one per line:
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3); // rounds alternating stripes and PyTorch; best round kept
const RUNS = Number(process.env.RUNS ?? 3); // timed forward passes per case and round (median), after a warm-up
const THREADS = [1, 2]; // thread counts compared (this machine has 2 cores)
const OUT = "bench/out/engine"; // git-ignored: 45 MB of seeded random weights and 5 synthetic photos
const ARTICLE: [number, number] = [256, 314]; // horse.jpg after Resize(256)
const LARGE: [number, number][] = [[512, 629], [1024, 1259]]; // photo0 (1500×1220) at --size 512 / 1024
/*
 * Prints, with both sides' thread counts stated:
 *  1. one 256×314 forward pass: onnxruntime per lever (optimisation level, threads, spinning,
 *     session reuse) and PyTorch, with ratios;
 *  2. the 5-photo job as whole processes: `stripes convert` vs bench/engine.py's book pipeline;
 *  3. a cold process's time to its first output (one photo);
 *  4. short side 512 and 1024: forward time and the whole process's peak RSS, vs PyTorch.
 * PyTorch 1.13 here defaults to 1 thread on 2 cores (see the note printed at the end), so both
 * sides are timed at each explicit thread count.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { processRun, type ProcessRun } from "./processRun";
import { loadGenerator } from "../src/models/loadGenerator";
import { exportOnnx } from "../src/engine/exportOnnx";
import { GraphOptimizationLevel, OrtSession, OrtSessionOptions } from "../src/engine/ortSession";
import { Image } from "../src/vision/image";

const PY = "/usr/bin/python3";
const CLI = "dist/cli/main.js";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: number) => `${s.toFixed(3)} s`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;

/** Median wall and CPU seconds (all threads) of PyTorch's forward pass, per "HxW". */
function torchForward(threads: number, runs: number, sizes: [number, number][]): Record<string, Timing> {
  const out = execFileSync(PY, ["bench/engine.py", "forward", OUT, String(threads), String(runs), ...sizes.flat().map(String)], {
    encoding: "utf8",
  });
  const r = JSON.parse(out.trim().split("\n").pop()!);
  return Object.fromEntries(Object.keys(r.seconds).map((k) => [k, { wall: r.seconds[k], cpu: r.cpu_seconds[k] }]));
}

interface Timing {
  wall: number;
  cpu: number;
}
const minTiming = (a: Timing | undefined, b: Timing): Timing => (a === undefined ? b : { wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });

/** Median wall and CPU seconds (process.cpuUsage counts onnxruntime's threads too). */
async function ortForward(model: Uint8Array, options: OrtSessionOptions, [h, w]: [number, number], runs: number, reuse = true): Promise<Timing> {
  const x = new Float32Array(3 * h * w).map((_, i) => (i % 251) / 251);
  const dims = [1, 3, h, w];
  let session = await OrtSession.create(model, options);
  await session.run(x, dims); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    if (!reuse) {
      await session.release();
      session = await OrtSession.create(model, options);
    }
    await session.run(x, dims);
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  await session.release();
  return { wall: median(times), cpu: median(cpu) };
}


const best = (runs: ProcessRun[]): ProcessRun => ({
  seconds: Math.min(...runs.map((r) => r.seconds)),
  cpu: Math.min(...runs.map((r) => r.cpu)),
  peakKB: Math.max(...runs.map((r) => r.peakKB)),
});

const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(" ");
const torchVersion = execFileSync(PY, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" }).trim();

async function main() {
  if (!existsSync(join(OUT, "netG-random.pth"))) execFileSync(PY, ["bench/engine.py", "setup", OUT], { stdio: "inherit" });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const weights = join(OUT, "netG-random.pth");
  const { module: netG } = await loadGenerator(weights);
  const model = exportOnnx(netG, 3);
  const key = ARTICLE.join("x");

  // 1. One image, 256×314: the levers.
  const levers: [string, OrtSessionOptions, boolean][] = [];
  for (const t of THREADS) {
    for (const level of ["all", "extended", "basic", "disabled"] as GraphOptimizationLevel[]) {
      levers.push([`opt ${level}, ${t} thread${t > 1 ? "s" : ""}`, { graphOptimizationLevel: level, intraOpNumThreads: t }, true]);
    }
  }
  levers.push(["opt all, 2 threads, spinning on", { intraOpNumThreads: 2, allowSpinning: true }, true]);
  levers.push(["opt all, 2 threads, new session per image", { intraOpNumThreads: 2 }, false]);
  const ours = new Map<string, Timing>();
  const theirs = new Map<number, Timing>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of THREADS) theirs.set(t, minTiming(theirs.get(t), torchForward(t, RUNS, [ARTICLE])[key]));
    for (const [name, options, reuse] of levers) ours.set(name, minTiming(ours.get(name), await ortForward(model, options, ARTICLE, RUNS, reuse)));
  }
  console.log(`load average at start: ${loadAtStart}`);
  console.log(`\n1. One ${key} image through the full generator (best of ${ROUNDS} rounds, median of ${RUNS}; wall, and CPU of all threads)`);
  const row = (name: string, x: Timing, ref?: Timing) =>
    console.log(`   ${name.padEnd(58)} wall ${fmt(x.wall)}  cpu ${fmt(x.cpu)}` + (ref ? `  ratio wall ${ratio(x.wall, ref.wall)}, cpu ${ratio(x.cpu, ref.cpu)}` : ""));
  for (const t of THREADS) row(`PyTorch ${torchVersion}, ${t} thread${t > 1 ? "s" : ""}`, theirs.get(t)!);
  for (const [name, options] of levers) row(`onnxruntime ${name}`, ours.get(name)!, theirs.get(options.intraOpNumThreads ?? 1));

  // 2 and 3. Whole processes: the 5-photo job, and one photo (time to first output).
  const tmp = mkdtempSync(join(tmpdir(), "stripes-bench-"));
  const photos = join(OUT, "photos");
  const single = join(tmp, "single");
  execFileSync("mkdir", ["-p", single]);
  execFileSync("cp", [join(photos, "photo0.jpg"), single]);
  const jobs: Record<string, ProcessRun[]> = {};
  const add = (name: string, r: ProcessRun) => (jobs[name] ??= []).push(r);
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of THREADS) {
      add(`stripes 5 photos, --jobs ${t}`, processRun("node", [CLI, "convert", "--weights", weights, photos, "-o", join(tmp, "s"), "-f", "-q", "-j", String(t)]));
      add(`PyTorch 5 photos, ${t} thread${t > 1 ? "s" : ""}`, processRun(PY, ["bench/engine.py", "convert", OUT, String(t), photos, join(tmp, "p")]));
      add(`stripes 1 photo, --jobs ${t}`, processRun("node", [CLI, "convert", "--weights", weights, single, "-o", join(tmp, "s1"), "-f", "-q", "-j", String(t)]));
      add(`PyTorch 1 photo, ${t} thread${t > 1 ? "s" : ""}`, processRun(PY, ["bench/engine.py", "convert", OUT, String(t), single, join(tmp, "p1")]));
    }
    add("PyTorch 5 photos, its default threads", processRun(PY, ["bench/engine.py", "convert", OUT, "0", photos, join(tmp, "p")]));
  }
  console.log(`\n2. The 5-photo job as whole processes (photos 640×480 … 1600×1066, Resize(256); best of ${ROUNDS})`);
  for (const t of THREADS) {
    const s = best(jobs[`stripes 5 photos, --jobs ${t}`]);
    const p = best(jobs[`PyTorch 5 photos, ${t} thread${t > 1 ? "s" : ""}`]);
    console.log(
      `   ${t} core${t > 1 ? "s" : " "}: stripes ${fmt(s.seconds)} (cpu ${fmt(s.cpu)}, peak ${(s.peakKB / 1024).toFixed(0)} MB)  ` +
        `PyTorch ${fmt(p.seconds)} (cpu ${fmt(p.cpu)}, peak ${(p.peakKB / 1024).toFixed(0)} MB)  ratio wall ${ratio(s.seconds, p.seconds)}, cpu ${ratio(s.cpu, p.cpu)}`,
    );
  }
  for (const name of readdirSync(join(tmp, "p")).sort()) {
    const [a, b] = [await Image.open(join(tmp, "s", name)), await Image.open(join(tmp, "p", name))];
    let max = 0;
    let se = 0;
    for (let i = 0; i < a.data.length; i++) {
      const d = a.data[i] - b.data[i];
      max = Math.max(max, Math.abs(d));
      se += d * d;
    }
    const psnr = se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.data.length));
    console.log(`   ${name} ${a.width}×${a.height}: stripes vs PyTorch max ${max} level(s), PSNR ${psnr.toFixed(1)} dB`);
  }
  const pd = best(jobs["PyTorch 5 photos, its default threads"]);
  console.log(`   PyTorch at its default thread count: ${fmt(pd.seconds)} (cpu ${fmt(pd.cpu)})`);
  console.log(`\n3. Cold process, one photo (1500×1220 JPEG) to its first output file (best of ${ROUNDS})`);
  for (const t of THREADS) {
    const s = best(jobs[`stripes 1 photo, --jobs ${t}`]);
    const p = best(jobs[`PyTorch 1 photo, ${t} thread${t > 1 ? "s" : ""}`]);
    console.log(`   ${t} core${t > 1 ? "s" : " "}: stripes ${fmt(s.seconds)} (cpu ${fmt(s.cpu)})  PyTorch ${fmt(p.seconds)} (cpu ${fmt(p.cpu)})  ratio wall ${ratio(s.seconds, p.seconds)}`);
  }

  // 4. Larger photos: forward time and whole-process peak memory.
  console.log(`\n4. Larger photos (2 threads each): forward pass, and the whole process's peak RSS converting photo0`);
  const t2 = 2;
  const torchLarge = torchForward(t2, 1, LARGE);
  const base = { ort: ours.get("opt all, 2 threads")!, torch: theirs.get(2)! };
  for (const size of LARGE) {
    const o = await ortForward(model, { intraOpNumThreads: t2 }, size, 1);
    const s = processRun("node", [CLI, "convert", "--weights", weights, single, "-o", join(tmp, "L"), "-f", "-q", "-j", "2", "--size", String(size[0])]);
    const p = processRun(PY, ["bench/engine.py", "convert", OUT, "2", single, join(tmp, "PL"), String(size[0])]);
    const t = torchLarge[size.join("x")];
    console.log(
      `   ${size.join("×")}: forward onnxruntime wall ${fmt(o.wall)} cpu ${fmt(o.cpu)} (cpu ${(o.cpu / base.ort.cpu).toFixed(1)}× the 256 case)  ` +
        `PyTorch wall ${fmt(t.wall)} cpu ${fmt(t.cpu)} (cpu ${(t.cpu / base.torch.cpu).toFixed(1)}×)  ratio wall ${ratio(o.wall, t.wall)}, cpu ${ratio(o.cpu, t.cpu)};  ` +
        `peak RSS stripes ${(s.peakKB / 1024).toFixed(0)} MB, PyTorch ${(p.peakKB / 1024).toFixed(0)} MB`,
    );
  }
  rmSync(tmp, { recursive: true, force: true });

  const torchDefault = execFileSync(PY, ["-c", "import torch; print(torch.get_num_threads())"], { encoding: "utf8" }).trim();
  console.log(
    `\nNote: PyTorch 1.13 here picks ${torchDefault} thread(s) by default (OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS ?? "unset"}); ` +
      `both sides were timed at each thread count given above. Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")} ` +
      `(other processes share the cores: wall times are the best round; CPU times are less affected).`,
  );
  netG.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
