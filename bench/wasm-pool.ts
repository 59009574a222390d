/**
 * Does the threaded wasm backend's second thread compute? Per op, each thread's run time and
 * run-queue wait (Linux /proc/self/task/<tid>/schedstat) during the op and just after it.
 *
 *     STRIPES_THREADS=2 npx ts-node bench/wasm-pool.ts
 *
 * XNNPACK splits a conv's tiles evenly between pthreadpool's threads; the calling (main) thread
 * is one of them and steals the others' tiles when done with its own. So if the pool's thread
 * worked, its run time during a large conv would be close to the main thread's. Measured on the
 * 2-core machine this was written on (2026-12-01, load ~15): the main thread ran ~900 ms per
 * 64×80×128 3×3 conv, the pool's thread 20–30 ms, runnable for only 0.1–0.5 s of the 5–7 s op:
 * it is woken late and finds its tiles taken. Between ops it spins (pthreadpool spin-waits 10⁶
 * times before sleeping on a futex), which on a machine without a spare core takes CPU from the
 * main thread: many small ops (the training step) get slower with threads.
 */
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs-core";

process.env.STRIPES_THREADS ??= "2";

const schedstat = (tid: string) => fs.readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
const tids = () => fs.readdirSync("/proc/self/task");

async function main() {
  const before = new Set(tids());
  const { ready, backendSummary } = await import("../src/backend");
  await ready();
  const main = String(process.pid);
  const pool = tids().filter((t) => !before.has(t));
  console.log(`${backendSummary()}; threads started by the backend: ${pool.length}`);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const ms = (ns: number) => `${(ns / 1e6).toFixed(0)} ms`;
  const probe = (label: string, op: () => void, n: number) => {
    for (let i = 0; i < n; i++) {
      const a = pool.map(schedstat), m0 = schedstat(main), t0 = performance.now();
      op();
      const t1 = performance.now(), b = pool.map(schedstat), m1 = schedstat(main);
      Atomics.wait(nap, 0, 0, 100);
      const c = pool.map(schedstat);
      const busy = (x: number[][], y: number[][]) =>
        x.map((v, k) => [y[k][0] - v[0], y[k][1] - v[1]]).filter(([run]) => run > 1e6).map(([run, wait]) => `ran ${ms(run)}, waited ${ms(wait)}`).join("; ") || "idle";
      console.log(`${label}: ${(t1 - t0).toFixed(0)} ms; main thread ran ${ms(m1[0] - m0[0])} (waited for a core ${ms(m1[1] - m0[1])}); pool during the op: ${busy(a, b)}; in the 100 ms after: ${busy(b, c)}`);
    }
  };
  const x = tf.randomNormal([1, 64, 80, 128]) as tf.Tensor4D, w = tf.randomNormal([3, 3, 128, 128]) as tf.Tensor4D;
  const a = tf.randomNormal([768, 768]) as tf.Tensor2D;
  tf.tidy(() => tf.conv2d(x, w, 1, "same").dataSync());
  tf.tidy(() => tf.matMul(a, a).dataSync());
  probe("conv 3×3 128→128 at 64×80", () => tf.tidy(() => tf.conv2d(x, w, 1, "same").dataSync()), 3);
  probe("matMul 768×768", () => tf.tidy(() => tf.matMul(a, a).dataSync()), 3);
}

main();
