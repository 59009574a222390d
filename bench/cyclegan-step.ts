/**
 * One training step of lesson 03's tiny CycleGAN (two ResNetGenerator(3, 3, 8, 3), two PatchGAN
 * NLayerDiscriminator(3, 8, 2), 32×32, batch 1; generator step on adversarial + cycle + identity
 * losses, then discriminator step): stripes on wasm (with src/kernels), on tfjs's cpu backend,
 * and PyTorch on the same machine.
 *
 *   npx ts-node -T bench/cyclegan-step.ts [STEPS]      # default 20 timed steps (cpu: 3)
 */
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { useBackend, type BackendName } from "../src/backend";
import { ResNetGenerator, NLayerDiscriminator } from "../src/models";
import { plainShapes, stripedShapes } from "../src/lessons";

const STEPS = Number(process.argv[2] ?? 20);

export async function msPerStep(backend: BackendName, steps: number): Promise<number> {
  await useBackend(backend);
  const [GA, GB] = [new ResNetGenerator(3, 3, 8, 3), new ResNetGenerator(3, 3, 8, 3)];
  const [DA, DB] = [new NLayerDiscriminator(3, 8, 2), new NLayerDiscriminator(3, 8, 2)];
  const optG = tf.train.adam(2e-4, 0.5);
  const optD = tf.train.adam(2e-4, 0.5);
  const A = plainShapes(8), B = stripedShapes(8);
  const mse = (x: tf.Tensor, t: number) => tf.mean(tf.square(tf.sub(x, t)));
  const l1 = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y)));
  const step = (i: number) =>
    tf.tidy(() => {
      const a = tf.slice(A, [i % 8, 0, 0, 0], [1, 3, 32, 32]), b = tf.slice(B, [i % 8, 0, 0, 0], [1, 3, 32, 32]);
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
  step(0);
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) step(i);
  return (performance.now() - t0) / steps;
}

function torchMs(steps: number, threads: number): number {
  const script = `
import sys, time, torch, torch.nn as nn
sys.path.insert(0, "scripts")
from fixtures.models import ResNetGenerator, NLayerDiscriminator
torch.set_num_threads(int(sys.argv[1]))
GA, GB = ResNetGenerator(3, 3, 8, 3), ResNetGenerator(3, 3, 8, 3)
DA, DB = NLayerDiscriminator(3, 8, 2), NLayerDiscriminator(3, 8, 2)
optG = torch.optim.Adam(list(GA.parameters()) + list(GB.parameters()), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(list(DA.parameters()) + list(DB.parameters()), lr=2e-4, betas=(0.5, 0.999))
mse, l1 = nn.MSELoss(), nn.L1Loss()
a, b = torch.rand(1, 3, 32, 32) * 2 - 1, torch.rand(1, 3, 32, 32) * 2 - 1
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
step(); t = time.perf_counter()
for _ in range(${steps}): step()
print((time.perf_counter() - t) / ${steps} * 1000)`;
  const r = spawnSync("/usr/bin/python3", ["-c", script, String(threads)], { encoding: "utf8", cwd: `${__dirname}/..` });
  return r.status === 0 ? Number(r.stdout.trim()) : NaN;
}

async function main() {
  const wasm = await msPerStep("wasm", STEPS);
  const cpu = await msPerStep("cpu", Math.min(3, STEPS));
  // PyTorch with 1 thread as well: on a busy 2-core machine its 2 OpenMP threads can wait on each other.
  const torch2 = torchMs(STEPS, 2);
  const torch1 = torchMs(STEPS, 1);
  console.log("tiny CycleGAN training step (batch 1, 32×32) | ms per step");
  console.log(`stripes, wasm backend + src/kernels | ${wasm.toFixed(0)}`);
  console.log(`stripes, tfjs cpu backend | ${cpu.toFixed(0)} (${(cpu / wasm).toFixed(1)}× wasm)`);
  for (const [threads, ms] of [[2, torch2], [1, torch1]]) {
    console.log(`PyTorch 1.13, ${threads} thread${threads > 1 ? "s" : ""} | ${ms.toFixed(1)} (stripes on wasm takes ${(wasm / ms).toFixed(2)}× as long)`);
  }
}

if (require.main === module) main();
