/**
 * torch.load on a full-size generator checkpoint: stripes vs PyTorch, same file, same run.
 *
 *     npx ts-node bench/load.ts
 *
 * Settings, one per line:
 */
const RUNS = Number(process.env.RUNS ?? 7); // timed runs per file (median), after one warm-up
const OUT = "bench/out"; // git-ignored: the checkpoints are 45 MB each
const TARGET = 0.3; // seconds: the generator's load budget (a notebook cell that feels instant)
/*
 * bench/load.py writes the book's generator (seeded random weights, 11.4 M float32 parameters,
 * 48 keys) with PyTorch in the zip and the legacy format and times PyTorch's torch.load. This
 * script times stripes' torch.load (tfjs tensors on the chosen backend) and torch.loadRaw
 * (typed arrays only), prints both beside PyTorch's and the ratio, and checks every tensor's
 * dtype, shape and sum against PyTorch's, through torch.load and through `stripes inspect`.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { ready, torch } from "../src";
import { inspect } from "../src/cli/inspectCheckpoint";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const start = performance.now();
    f();
    if (i) times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

async function main() {
  const backend = await ready();
  console.log(`writing the generator with PyTorch and timing its torch.load (median of ${RUNS})…`);
  const py = JSON.parse(execFileSync("/usr/bin/python3", ["bench/load.py", OUT, String(RUNS)], { encoding: "utf8" }));
  console.log(`PyTorch ${py.torch} (${py.threads} threads); stripes on tfjs ${backend}`);
  for (const [name, info] of Object.entries<any>(py.files)) {
    const path = join(OUT, name);
    // Correctness first: every tensor's dtype, shape and sum equal PyTorch's.
    const sd = torch.load(path) as Map<string, tf.Tensor>;
    let worst = 0;
    for (const [key, want] of Object.entries<any>(info.tensors)) {
      const t = sd.get(key);
      if (!t || t.dtype !== want.dtype || t.shape.join() !== want.shape.join()) throw new Error(`${name}: ${key} differs from PyTorch's`);
      const data = t.dataSync();
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum += data[i];
      worst = Math.max(worst, Math.abs(sum - want.sum) / Math.max(1, Math.abs(want.sum)));
    }
    if (sd.size !== info.keys) throw new Error(`${name}: ${sd.size} keys, PyTorch ${info.keys}`);
    tf.dispose([...sd.values()]);
    // `stripes inspect --json` on the full-size file: PyTorch's dtypes, shapes and sums.
    const stats = inspect(path);
    let worstInspect = 0;
    for (const [key, want] of Object.entries<any>(info.tensors)) {
      const s = stats.get(key)!;
      if (s.dtype !== want.dtype || s.shape.join() !== want.shape.join()) throw new Error(`inspect ${name}: ${key} differs`);
      worstInspect = Math.max(worstInspect, Math.abs(Number(s.sum) - want.sum) / Math.max(1, Math.abs(want.sum)));
    }
    if (stats.size !== info.keys) throw new Error(`inspect ${name}: ${stats.size} tensors, PyTorch ${info.keys}`);
    worst = Math.max(worst, worstInspect);

    const ours = time(() => tf.dispose([...(torch.load(path) as Map<string, tf.Tensor>).values()]));
    const raw = time(() => void torch.loadRaw(path));
    const ratio = ours / info.seconds;
    console.log(
      `${name}: ${(info.bytes / 2 ** 20).toFixed(1)} MiB, ${info.keys} keys, ${(info.params / 1e6).toFixed(2)} M params | ` +
        `stripes torch.load ${ours.toFixed(3)} s (loadRaw ${raw.toFixed(3)} s) | PyTorch ${info.seconds.toFixed(3)} s | ` +
        `ratio ${ratio.toFixed(2)}× | ${ours <= TARGET ? "within" : "OVER"} the ${TARGET} s target | sums match to ${worst.toExponential(1)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
