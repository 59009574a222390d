/**
 * The 5-photo `stripes convert` job as whole processes, cold and warm model cache, against
 * PyTorch 2.x's whole process (bench/convertProcess.py on the pyenv `python3`), same run.
 *
 *     npm run build && npx ts-node bench/convertProcess.ts
 *
 * Settings, one per line:
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3); // rounds alternating the three; best kept (the machine may be shared)
const PY = process.env.PY ?? "python3"; // PyTorch 2.x here (pyenv)
const OUT = "bench/out/engine"; // git-ignored; bench/engine.py setup writes the weights and photos
/*
 * cold: a fresh STRIPES_CACHE every run (export + optimisation, the entry written);
 * warm: one STRIPES_CACHE filled before round 1 (the optimised model read back).
 * Wall and CPU (user + sys, all threads) from /usr/bin/time.
 *
 * Measured 2026-12-01 22:42 UTC, 2 cores shared (load average 1.8 / 4.0 / 8.7), best of 3:
 *   stripes, cold cache   6.74 s wall (0.91 × PyTorch)   9.40 s CPU (0.81 ×)
 *   stripes, warm cache   4.61 s wall (0.63 × PyTorch)   6.89 s CPU (0.59 ×)
 *   PyTorch 2.13.0+cpu    7.37 s wall                   11.63 s CPU
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { processRun, type ProcessRun } from "./processRun";


function main() {
  if (!existsSync(join(OUT, "netG-random.pth"))) execFileSync("/usr/bin/python3", ["bench/engine.py", "setup", OUT], { stdio: "inherit" });
  const torch = execFileSync(PY, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" }).trim();
  const tmp = mkdtempSync(join(tmpdir(), "stripes-bench-process-"));
  const weights = join(OUT, "netG-random.pth");
  const photos = join(OUT, "photos");
  const stripes = (cache: string) => processRun("node", ["dist/cli/main.js", "convert", "--weights", weights, photos, "-o", join(tmp, "s"), "-f", "-q"], { STRIPES_CACHE: cache });
  const warm = join(tmp, "warm");
  stripes(warm); // fills the warm cache
  const runs: Record<string, ProcessRun[]> = { "stripes, cold cache": [], "stripes, warm cache": [], [`PyTorch ${torch}`]: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const cold = join(tmp, `cold${round}`);
    runs["stripes, cold cache"].push(stripes(cold));
    rmSync(cold, { recursive: true, force: true });
    runs["stripes, warm cache"].push(stripes(warm));
    runs[`PyTorch ${torch}`].push(processRun(PY, ["bench/convertProcess.py", weights, photos, join(tmp, "p")]));
  }
  rmSync(tmp, { recursive: true, force: true });
  const best = (rs: ProcessRun[]) => ({ seconds: Math.min(...rs.map((r) => r.seconds)), cpu: Math.min(...rs.map((r) => r.cpu)) });
  const torchBest = best(runs[`PyTorch ${torch}`]);
  console.log(`The 5-photo job as whole processes (Resize(256) → generator → PNG), best of ${ROUNDS}:`);
  for (const [name, rs] of Object.entries(runs)) {
    const b = best(rs);
    console.log(
      `  ${name.padEnd(22)} wall ${b.seconds.toFixed(2)} s (${(b.seconds / torchBest.seconds).toFixed(2)} × PyTorch)   ` +
        `cpu ${b.cpu.toFixed(2)} s (${(b.cpu / torchBest.cpu).toFixed(2)} × PyTorch)   all walls: ${rs.map((r) => r.seconds.toFixed(2)).join(" ")}`,
    );
  }
  console.log(`load average (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
}

main();
