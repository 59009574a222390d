/**
 * One training step of lesson 03's tiny CycleGAN (two ResNetGenerator(3, 3, 8, 3), two PatchGAN
 * NLayerDiscriminator(3, 8, 2), 32×32, batch 1; generator step on adversarial + cycle + identity
 * losses, then discriminator step): stripes on wasm (with src/kernels), on tfjs's cpu backend,
 * and PyTorch on the same machine.
 *
 *   npx ts-node -T bench/cyclegan-step.ts [STEPS]      # default 20 timed steps (cpu: 3); BATCH=4, SKIP_CPU=1, SKIP_TORCH=1, STRIPES_THREADS=2, OPTIMIZER=tf, LESSON=1, TORCH_PYTHONS=a,b
 *
 * Measured 2026-12-02 00:28–00:37 UTC, 2 cores shared with another engineer's PyTorch jobs (load
 * 1.8–4.9), 30 steps, 1 thread, each line one run of this file beside the same file on 6b0e12b
 * (before src/kernels/' fused training kernels), ms per step:
 *
 *   batch 1: stripes 64.7 / 121.3 / 173.8 / 80.0 (before: 196.9 / 324.3 / 172.0 / 183.9);
 *            PyTorch 2.13 33.9 / 49.6 / 73.8 / 54.9 -> 1.91× / 2.45× / 2.36× / 1.46× as long;
 *            PyTorch 1.13 60.5 / 92.0 / 122.4 / 92.9
 *   batch 4: stripes 149.5 / 187.8 (before: 351.0 / 285.9); PyTorch 2.13 58.5 / 62.3 -> 2.56× / 3.01×
 *
 * Best against best, batch 1: 64.7 vs 33.9 ms (1.91×); before, 172 ms (5.1×).
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend, type BackendName } from "../src/backend";
import { ResNetGenerator, NLayerDiscriminator } from "../src/models";
import { plainShapes, stripedShapes } from "../src/lessons";
import { adam } from "../src/nn";

/** OPTIMIZER=tf: tf.train.adam (13 ops per variable); default nn.adam (one wasm kernel per variable, same numbers). */
export const optimizerFactory = (name = process.env.OPTIMIZER ?? "nn") =>
  name === "tf" ? (lr: number, b1: number) => tf.train.adam(lr, b1) : (lr: number, b1: number) => adam(lr, b1);

const STEPS = Number(process.argv[2] ?? 20);

/**
 * LESSON=1: lesson 03's own generators (BatchNorm, the input handed to the last layer) and rate;
 * default: the book's (InstanceNorm, no skip).
 */
export const lessonGenerators = () => process.env.LESSON === "1";

/** Lesson 03's step as a function of the step index, on the current backend, with fresh models. */
export function makeStep(batch = 1, makeOptimizer: (lr: number, beta1: number) => tf.Optimizer = optimizerFactory()) {
  const options = lessonGenerators() ? ({ norm: "batch", inputSkip: true } as const) : {};
  const [GA, GB] = [new ResNetGenerator(3, 3, 8, 3, options), new ResNetGenerator(3, 3, 8, 3, options)];
  const [DA, DB] = [new NLayerDiscriminator(3, 8, 2), new NLayerDiscriminator(3, 8, 2)];
  const lr = lessonGenerators() ? 1e-3 : 2e-4;
  const optG = makeOptimizer(lr, 0.5);
  const optD = makeOptimizer(lr, 0.5);
  const A = plainShapes(8), B = stripedShapes(8);
  const mse = (x: tf.Tensor, t: number) => tf.mean(tf.square(tf.sub(x, t)));
  const l1 = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y)));
  const pick = (X: tf.Tensor, i: number) => tf.gather(X, Array.from({ length: batch }, (_, k) => (i * batch + k) % 8));
  const step = (i: number) =>
    tf.tidy(() => {
      const a = pick(A, i), b = pick(B, i);
      let fakeA: tf.Tensor | undefined, fakeB: tf.Tensor | undefined;
      optG.minimize(() => {
        fakeB = tf.keep(GA.forward(a));
        fakeA = tf.keep(GB.forward(b));
        const adv = tf.add(mse(DB.forward(fakeB), 1), mse(DA.forward(fakeA), 1));
        const cyc = tf.mul(10, tf.add(l1(GB.forward(fakeB), a), l1(GA.forward(fakeA), b)));
        const idt = tf.mul(5, tf.add(l1(GA.forward(b), b), l1(GB.forward(a), a)));
        return tf.addN([adv, cyc, idt]) as tf.Scalar;
      }, false, [...GA.parameters(), ...GB.parameters()]);
      const lossD = optD.minimize(
        () => tf.add(tf.mul(0.5, tf.add(mse(DA.forward(a), 1), mse(DA.forward(fakeA!), 0))), tf.mul(0.5, tf.add(mse(DB.forward(b), 1), mse(DB.forward(fakeB!), 0)))) as tf.Scalar,
        true,
        [...DA.parameters(), ...DB.parameters()],
      )!;
      lossD.dataSync();
      tf.dispose([fakeA!, fakeB!]);
    });
  return { step, models: { GA, GB, DA, DB }, optG, optD };
}

export interface StepTiming {
  ms: number;
  /** the median step, ms: steadier than the mean on a shared machine */
  medianMs: number;
  /** process CPU time per step (all threads), ms */
  cpuMs: number;
}

export async function timeSteps(backend: BackendName, steps: number, batch = 1): Promise<StepTiming> {
  await useBackend(backend);
  const { step } = makeStep(batch);
  step(0);
  const c0 = process.cpuUsage(), t0 = performance.now();
  const each: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const s0 = performance.now();
    step(i);
    each.push(performance.now() - s0);
  }
  const c = process.cpuUsage(c0);
  each.sort((x, y) => x - y);
  const medianMs = (each[(steps - 1) >> 1] + each[steps >> 1]) / 2;
  return { ms: (performance.now() - t0) / steps, medianMs, cpuMs: (c.user + c.system) / 1000 / steps };
}

export async function msPerStep(backend: BackendName, steps: number, batch = 1): Promise<number> {
  return (await timeSteps(backend, steps, batch)).ms;
}

function torchMs(python: string, steps: number, threads: number, batch: number): { ms: number; cpuMs: number; medianMs: number; version: string } | undefined {
  const script = `
import sys, time, torch, torch.nn as nn
sys.path.insert(0, "scripts")
from fixtures.models import ResNetGenerator, NLayerDiscriminator
torch.set_num_threads(int(sys.argv[1]))
batch = int(sys.argv[2])
opts = dict(norm_layer=nn.BatchNorm2d, input_skip=True) if sys.argv[3] == "1" else {}
lr = 1e-3 if sys.argv[3] == "1" else 2e-4
GA, GB = ResNetGenerator(3, 3, 8, 3, **opts), ResNetGenerator(3, 3, 8, 3, **opts)
DA, DB = NLayerDiscriminator(3, 8, 2), NLayerDiscriminator(3, 8, 2)
optG = torch.optim.Adam(list(GA.parameters()) + list(GB.parameters()), lr=lr, betas=(0.5, 0.999))
optD = torch.optim.Adam(list(DA.parameters()) + list(DB.parameters()), lr=lr, betas=(0.5, 0.999))
mse, l1 = nn.MSELoss(), nn.L1Loss()
a, b = torch.rand(batch, 3, 32, 32) * 2 - 1, torch.rand(batch, 3, 32, 32) * 2 - 1
def step():
    optG.zero_grad()
    fb, fa = GA(a), GB(b)
    pb, pa = DB(fb), DA(fa)
    loss = mse(pb, torch.ones_like(pb)) + mse(pa, torch.ones_like(pa)) + 10 * (l1(GB(fb), a) + l1(GA(fa), b)) + 5 * (l1(GA(b), b) + l1(GB(a), a))
    loss.backward(); optG.step()
    optD.zero_grad()
    ra, rb, qa, qb = DA(a), DB(b), DA(fa.detach()), DB(fb.detach())
    d = 0.5 * (mse(ra, torch.ones_like(ra)) + mse(qa, torch.zeros_like(qa))) + 0.5 * (mse(rb, torch.ones_like(rb)) + mse(qb, torch.zeros_like(qb)))
    d.backward(); optD.step()
step(); t = time.perf_counter(); c = time.process_time()
each = []
for _ in range(${steps}):
    s = time.perf_counter(); step(); each.append(time.perf_counter() - s)
each.sort()
print(torch.__version__.split("+")[0], (time.perf_counter() - t) / ${steps} * 1000, (time.process_time() - c) / ${steps} * 1000, (each[(${steps} - 1) // 2] + each[${steps} // 2]) / 2 * 1000)`;
  const r = spawnSync(python, ["-c", script, String(threads), String(batch), lessonGenerators() ? "1" : "0"], { encoding: "utf8", cwd: `${__dirname}/..` });
  if (r.status !== 0) {
    console.error(`${python}: ${r.error?.message ?? ""}${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`);
    return undefined;
  }
  const [version, ms, cpuMs, medianMs] = r.stdout.trim().split(/\s+/);
  return { version, ms: Number(ms), cpuMs: Number(cpuMs), medianMs: Number(medianMs) };
}

async function main() {
  const batch = Number(process.env.BATCH ?? 1);
  const wasm = await timeSteps("wasm", STEPS, batch);
  const cpu = process.env.SKIP_CPU ? undefined : await timeSteps("cpu", Math.min(3, STEPS), batch);
  console.log(`tiny CycleGAN training step (batch ${batch}, 32×32, ${lessonGenerators() ? "lesson 03's generators (BatchNorm, input skip)" : "the book's generators (InstanceNorm)"}, STRIPES_THREADS=${process.env.STRIPES_THREADS ?? 1}, ${process.env.OPTIMIZER === "tf" ? "tf.train.adam" : "nn.adam"}) | ms per step (mean, median) | CPU ms per step; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`stripes, wasm backend + src/kernels | ${wasm.ms.toFixed(1)}, ${wasm.medianMs.toFixed(1)} | ${wasm.cpuMs.toFixed(1)}`);
  if (cpu) console.log(`stripes, tfjs cpu backend | ${cpu.ms.toFixed(0)} (${(cpu.ms / wasm.ms).toFixed(1)}× wasm) | ${cpu.cpuMs.toFixed(0)}`);
  // PyTorch with 1 thread as well: on a busy 2-core machine its 2 OpenMP threads can wait on each other.
  // TORCH_PYTHONS: the Pythons with PyTorch to time, comma-separated (e.g. a venv's 2.x and Debian's 1.13)
  for (const python of process.env.SKIP_TORCH ? [] : (process.env.TORCH_PYTHONS ?? "python3,/usr/bin/python3").split(",")) {
    for (const threads of [1, 2]) {
      const t = torchMs(python, STEPS, threads, batch);
      if (t === undefined) {
        console.log(`PyTorch (${python}), ${threads} thread(s) | failed`);
        continue;
      }
      console.log(`PyTorch ${t.version} (${python}), ${threads} thread${threads > 1 ? "s" : ""} | ${t.ms.toFixed(1)}, ${t.medianMs.toFixed(1)} | ${t.cpuMs.toFixed(1)} | stripes on wasm takes ${(wasm.medianMs / t.medianMs).toFixed(2)}× as long (medians)`);
    }
  }
}

if (require.main === module) main();
