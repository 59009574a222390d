/**
 * BatchMatMul with transposed operands on wasm: tfjs 4.22's own kernel vs stripes' wrapper
 * (src/kernels/batchMatMulTransposed.ts), with the cpu backend and PyTorch for scale.
 * Shapes are a dense layer's backward pass in lesson 02 (batch 256, 128 units).
 *
 *   npx ts-node -T bench/wasm-matmul.ts
 */
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { useBackend } from "../src/backend";

const REPS = 50;
const CASES: [string, number[], number[], boolean, boolean][] = [
  ["Aᵀ·B  [256,128]ᵀ·[256,128] (dW)", [256, 128], [256, 128], true, false],
  ["A·Bᵀ  [256,128]·[128,128]ᵀ (dX)", [256, 128], [128, 128], false, true],
  ["A·B   [256,128]·[128,128] (forward)", [256, 128], [128, 128], false, false],
];

function time(f: () => tf.Tensor): number {
  for (let i = 0; i < 3; i++) f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) {
    const r = f();
    r.dataSync();
    r.dispose();
  }
  return (performance.now() - t0) / REPS;
}

function timeAll(): number[] {
  return CASES.map(([, as, bs, ta, tb]) => {
    const a = tf.randomNormal(as), b = tf.randomNormal(bs);
    return time(() => tf.matMul(a, b, ta, tb));
  });
}

function torchTimes(): number[] {
  const script = `
import json, sys, time, torch
torch.set_num_threads(2)
out = []
for a, b, ta, tb in json.loads(sys.argv[1]):
    A, B = torch.randn(*a), torch.randn(*b)
    f = lambda: (A.t() if ta else A) @ (B.t() if tb else B)
    f(); t = time.perf_counter()
    for _ in range(${REPS}): f()
    out.append((time.perf_counter() - t) / ${REPS} * 1000)
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", script, JSON.stringify(CASES.map((c) => c.slice(1)))], { encoding: "utf8" });
  return r.status === 0 ? JSON.parse(r.stdout) : CASES.map(() => NaN);
}

async function main() {
  await tf.setBackend("wasm"); // tfjs's own kernels: stripes has not wrapped anything yet
  const plain = timeAll();
  await useBackend("wasm"); // registers stripes' kernels
  const ours = timeAll();
  await useBackend("cpu");
  const cpu = timeAll();
  const torch = torchTimes();
  console.log("case | tfjs wasm ms | stripes wasm ms | cpu backend ms | PyTorch ms | stripes/PyTorch");
  CASES.forEach(([name], i) =>
    console.log(`${name} | ${plain[i].toFixed(3)} | ${ours[i].toFixed(3)} | ${cpu[i].toFixed(2)} | ${torch[i].toFixed(3)} | ${(ours[i] / torch[i]).toFixed(1)}×`),
  );
}

main();
