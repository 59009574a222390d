/** Timing a whole process for the benches: wall time, CPU time (user + sys) and peak RSS, from /usr/bin/time. */
import { spawnSync } from "node:child_process";

export interface ProcessRun {
  seconds: number;
  cpu: number;
  peakKB: number;
}

/** Runs `cmd args` under /usr/bin/time; throws with its stderr when it fails. */
export function processRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ProcessRun {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "PEAK %M CPU %U %S", cmd, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  const m = /PEAK (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr)!;
  return { seconds, cpu: Number(m[2]) + Number(m[3]), peakKB: Number(m[1]) };
}
