/**
 * Generator forward pass: stripes per backend vs PyTorch, same weights, same machine, same run.
 *
 *     npx ts-node bench/forward.ts            # wasm at the article's size (+ an odd one), cpu smaller
 *
 * Settings, one per line:
 */
const RUNS = Number(process.env.RUNS ?? 3); // timed runs per case (median), after one warm-up
const FULL = "1x3x256x314"; // the article's input (horse.jpg resized to 256 high)
const ODD = "1x3x255x317"; // an odd size: PyTorch's output is 256×320, not the input's size
const SMALL = "1x3x32x40"; // for the pure-JS cpu backend, ~200× slower than PyTorch
const OUT = "bench/out"; // git-ignored: the full-size weights are 45 MB
/*
 * It prints, per backend and size: stripes' first call (weights packed, as in a notebook cell),
 * its median time after that, PyTorch's median and the ratio — in wall-clock time and in process
 * CPU time (which other work sharing the cores inflates far less) — and the max abs
 * difference of stripes' output from PyTorch's for the same seeded weights (loaded from the
 * PyTorch-written .pth with torch.load).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, torch, useBackend, BackendName } from "../src";

function readBin(size: string, which: "x" | "y"): Float32Array {
  const b = readFileSync(join(OUT, `${which}-${size}.bin`));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface Timing {
  cold: number; // first call, wall clock
  seconds: number; // median wall clock after it
  cpuSeconds: number; // median process CPU time: what the run costs when other work shares the cores
  diff: number;
  shape: number[];
}

async function timeForward(netG: ResNetGenerator, size: string): Promise<Timing> {
  const x = tf.tensor(readBin(size, "x"), size.split("x").map(Number));
  // The first call also packs every conv's weights for XNNPACK: what a notebook's single cell sees.
  const t0 = performance.now();
  const warm = netG.forward(x);
  const data = await warm.data();
  const cold = (performance.now() - t0) / 1000;
  const diff = maxAbsDiff(data, readBin(size, "y"));
  const shape = warm.shape;
  warm.dispose();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    const y = netG.forward(x);
    await y.data();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    y.dispose();
  }
  x.dispose();
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { cold, seconds: median(times), cpuSeconds: median(cpu), diff, shape };
}

async function main() {
  const cases: [BackendName, string[]][] = [
    ["wasm", [FULL, ODD]],
    ["cpu", [SMALL]],
  ];
  const sizes = [...new Set(cases.flatMap(([, s]) => s))];
  console.log(`PyTorch (/usr/bin/python3): writing seeded weights and timing ${sizes.join(", ")} …`);
  const py = JSON.parse(execFileSync("/usr/bin/python3", ["bench/forward.py", OUT, String(RUNS), ...sizes], { encoding: "utf8" }));
  console.log(`PyTorch ${py.torch}, ${py.threads} thread(s); stripes on tfjs-core ${tf.version_core}, wasm single-threaded (bench/wasm-threads.ts)`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} (other work on this machine slows both sides)\n`);
  console.log("                                        -------- wall clock --------------   ------ CPU time ---------");
  console.log("backend  input          output         1st call  stripes  PyTorch  ratio   stripes  PyTorch  ratio   max |Δ| vs PyTorch");
  for (const [backend, backendSizes] of cases) {
    await useBackend(backend);
    const netG = new ResNetGenerator();
    const sd = torch.load(join(OUT, "netG-full.pth")) as Map<string, tf.Tensor>;
    netG.loadStateDict(sd);
    tf.dispose([...sd.values()]);
    netG.eval();
    for (const size of backendSizes) {
      const r = await timeForward(netG, size);
      const p = py.sizes[size];
      const sec = (v: number) => `${v.toFixed(2).padStart(6)} s`;
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2).padStart(6)}×`;
      console.log(
        `${backend.padEnd(8)} ${size.padEnd(14)} ${r.shape.join("x").padEnd(14)} ${sec(r.cold)} ${sec(r.seconds)} ${sec(p.seconds)} ` +
          `${ratio(r.seconds, p.seconds)}  ${sec(r.cpuSeconds)} ${sec(p.cpu_seconds)} ${ratio(r.cpuSeconds, p.cpu_seconds)}   ${r.diff.toExponential(2)}`,
      );
    }
    netG.dispose();
  }
  console.log(`\nload average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
