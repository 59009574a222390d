/**
 * The conv gradients on the shapes a small CycleGAN trains, vs tfjs's cpu backend and PyTorch:
 * Conv2DBackpropFilter (weight gradient; tfjs 4.22's wasm has none: src/kernels/conv2dBackpropFilter.ts)
 * and Conv2DBackpropInput (input gradient; tfjs's wasm loop vs src/kernels/conv2dBackpropInput.ts).
 *
 *   npx ts-node -T bench/wasm-conv-grad.ts
 */
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { useBackend } from "../src/backend";

// name, x [N, H, W, C] (already padded), filter [kh, kw, C, O], stride, padding
const CASES: [string, number[], [number, number, number, number], number, number][] = [
  ["7x7 s1 3→16 @64", [1, 70, 70, 3], [7, 7, 3, 16], 1, 0],
  ["3x3 s2 16→32 @64", [1, 64, 64, 16], [3, 3, 16, 32], 2, 1],
  ["3x3 s1 64→64 @16 (res block)", [1, 18, 18, 64], [3, 3, 64, 64], 1, 0],
  ["4x4 s2 3→32 @64 (PatchGAN)", [4, 64, 64, 3], [4, 4, 3, 32], 2, 1],
];
const REPS = 5;

async function timeOn(backend: "cpu" | "wasm" | "tfjs-wasm", xs: number[], fs: [number, number, number, number], s: number, p: number, kernel = "Conv2DBackpropFilter"): Promise<number> {
  if (backend === "tfjs-wasm") await tf.setBackend("wasm");
  else await useBackend(backend);
  const pad: [number, number][] = [[0, 0], [p, p], [p, p], [0, 0]];
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const dy = tf.randomNormal(tf.conv2d(x, tf.zeros(fs) as tf.Tensor4D, s, pad).shape);
  const w = tf.randomNormal(fs);
  const run = () =>
    (kernel === "Conv2DBackpropFilter"
      ? tf.engine().runKernel(kernel, { x, dy }, { strides: s, pad, dataFormat: "NHWC", filterShape: fs } as any)
      : tf.engine().runKernel(kernel, { dy, filter: w }, { strides: s, pad, dataFormat: "NHWC", inputShape: xs } as any)) as tf.Tensor;
  const warm = run();
  await warm.data();
  warm.dispose();
  const reps = backend === "cpu" ? 2 : REPS;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const r = run();
    await r.data();
    r.dispose();
  }
  return (performance.now() - t0) / reps;
}

function torchTimes(): number[] {
  const script = `
import json, sys, time, torch
torch.set_num_threads(2)
out = []
for xs, fs, s, p in json.loads(sys.argv[1]):
    x = torch.randn(xs[0], xs[3], xs[1], xs[2]); w = (fs[3], fs[2], fs[0], fs[1])
    dy = torch.randn(torch.nn.functional.conv2d(x, torch.zeros(w), stride=s, padding=p).shape)
    wt = torch.randn(w)
    for f in (lambda: torch.nn.grad.conv2d_weight(x, w, dy, stride=s, padding=p), lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy, stride=s, padding=p)):
        f(); t = time.perf_counter()
        for _ in range(${REPS}): f()
        out.append((time.perf_counter() - t) / ${REPS} * 1000)
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", script, JSON.stringify(CASES.map((c) => c.slice(1)))], { encoding: "utf8" });
  if (r.status !== 0) return CASES.map(() => NaN);
  return JSON.parse(r.stdout);
}

async function main() {
  const torch = torchTimes();
  // tfjs's own wasm kernels first: stripes replaces Conv2DBackpropInput at its first useBackend().
  const plainInput: number[] = [];
  for (const [, xs, fs, s, p] of CASES) plainInput.push(await timeOn("tfjs-wasm", xs, fs, s, p, "Conv2DBackpropInput"));
  console.log("Conv2DBackpropFilter: case | stripes wasm ms | cpu backend ms | PyTorch ms | wasm/PyTorch | cpu/wasm");
  for (let i = 0; i < CASES.length; i++) {
    const [name, xs, fs, s, p] = CASES[i];
    const wasm = await timeOn("wasm", xs, fs, s, p);
    const cpu = await timeOn("cpu", xs, fs, s, p);
    const pt = torch[2 * i];
    console.log(`${name} | ${wasm.toFixed(2)} | ${cpu.toFixed(1)} | ${pt.toFixed(2)} | ${(wasm / pt).toFixed(1)}× | ${(cpu / wasm).toFixed(0)}×`);
  }
  console.log("\nConv2DBackpropInput: case | tfjs wasm ms | stripes wasm ms | cpu backend ms | PyTorch ms | stripes/PyTorch");
  for (let i = 0; i < CASES.length; i++) {
    const [name, xs, fs, s, p] = CASES[i];
    const plain = plainInput[i];
    const wasm = await timeOn("wasm", xs, fs, s, p, "Conv2DBackpropInput");
    const cpu = await timeOn("cpu", xs, fs, s, p, "Conv2DBackpropInput");
    const pt = torch[2 * i + 1];
    console.log(`${name} | ${plain.toFixed(2)} | ${wasm.toFixed(2)} | ${cpu.toFixed(1)} | ${pt.toFixed(2)} | ${(wasm / pt).toFixed(1)}×`);
  }
}

main();
