/**
 * Where lesson 03's training step (bench/cyclegan-step.ts) spends its kernel calls: every call
 * through tfjs's engine (ops and the ops our own kernels run inside themselves) counted by kernel
 * name and by phase (forward, backward with the gradient that ran it, optimizer), with the time
 * spent inside each. Counts are deterministic, so they are the measure to compare on a shared
 * machine; times are noisy (wall and process CPU time both printed).
 *
 *     npx ts-node -T bench/step-profile.ts [STEPS]     # default 5 profiled steps; BATCH=4; TOP=25; SORT=ms; OPTIMIZER=tf; LESSON=1
 *
 * LESSON=1 BATCH=4 profiles the step lesson 03 trains (BatchNorm generators with the input skip):
 * measured 2026-12-07, 3,874 calls a step at top level / 7,121 in all before src/kernels/batchNorm.ts
 * (each of the step's 66 BatchNorm2d calls ~20 forward and ~9 backward), STEPS_AFTER after.
 *
 * Measured 2026-12-02, batch 1 (batch 4 the same counts), calls per step, top level / in all:
 * 6b0e12b (before src/kernels/' fused training kernels) 5,862 / 8,877 (backward 3,823, forward
 * 1,133, Adam 904);
 * now 1,550 / 2,739 with nn.adam (2,390 / 3,579 with OPTIMIZER=tf). What is left is mostly the
 * convolutions and their two gradients (96 + 88 + 88, with their pads and transposes inside),
 * InstanceNorm (78 + 78), the gradient accumulation adds, reshapes and the module-boundary transposes.
 */
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../src/backend";
import { makeStep } from "./cyclegan-step";

const STEPS = Number(process.argv[2] ?? 5);
const BATCH = Number(process.env.BATCH ?? 1);
const TOP = Number(process.env.TOP ?? 25);

interface Tally { calls: number; ms: number }
const tally = (m: Map<string, Tally>, key: string, ms: number) => {
  const t = m.get(key) ?? { calls: 0, ms: 0 };
  t.calls++;
  t.ms += ms;
  m.set(key, t);
};

async function main() {
  await useBackend("wasm");
  const engine = tf.engine() as any;
  const byKernel = new Map<string, Tally>();
  const byPhase = new Map<string, Tally>();
  const bySource = new Map<string, Tally>();
  let phase = "other";
  let gradOf: string | undefined; // the gradient function running now, in the backward pass
  const stack: string[] = []; // nesting: kernels our kernels (and customGrad ops) run inside themselves
  let counting = false;

  const runKernelFunc = engine.runKernelFunc.bind(engine);
  engine.runKernelFunc = (params: any) => {
    if (!counting) return runKernelFunc(params);
    const name: string = params.kernelName ?? `customGrad`;
    stack.push(name);
    const t0 = performance.now();
    try {
      return runKernelFunc(params);
    } finally {
      const ms = performance.now() - t0;
      stack.pop();
      // A kernel's time includes the calls nested in it.
      tally(byKernel, stack.length === 0 ? name : `  (inside ${stack[stack.length - 1]}) ${name}`, ms);
      if (stack.length === 0) {
        tally(byPhase, phase, ms);
        tally(bySource, phase === "backward" ? `grad of ${gradOf ?? "a customGrad op"}: ${name}` : `${phase}: ${name}`, ms);
      }
    }
  };
  const tidy = engine.tidy.bind(engine);
  engine.tidy = (nameOrFn: any, fn?: any) => {
    if (nameOrFn === "forward" || nameOrFn === "backward") {
      const before = phase;
      phase = nameOrFn;
      try {
        return tidy(nameOrFn, fn);
      } finally {
        phase = before;
      }
    }
    return tidy(nameOrFn, fn);
  };
  // Name the gradient that runs each backward kernel: wrap every registered gradient's closures.
  const kernelNames = [...Object.values(tf).filter((v): v is string => typeof v === "string"), "StripesInstanceNorm"];
  for (const k of new Set(kernelNames)) {
    const config = tf.getGradient(k) as any;
    if (config === undefined || config.__profiled) continue;
    const gradFunc = config.gradFunc;
    config.__profiled = true;
    config.gradFunc = (...args: any[]) => {
      const grads = gradFunc(...args);
      const wrapped: Record<string, () => tf.Tensor> = {};
      for (const [input, f] of Object.entries(grads as Record<string, () => tf.Tensor>)) {
        wrapped[input] = () => {
          const before = gradOf;
          gradOf = config.kernelName;
          try {
            return f();
          } finally {
            gradOf = before;
          }
        };
      }
      return wrapped;
    };
  }

  const { step, optG, optD } = makeStep(BATCH);
  for (const opt of [optG, optD] as any[]) {
    const apply = opt.applyGradients.bind(opt);
    opt.applyGradients = (g: unknown) => {
      const before = phase;
      phase = "optimizer";
      try {
        return apply(g);
      } finally {
        phase = before;
      }
    };
  }
  step(0);
  counting = true;
  const c0 = process.cpuUsage(), t0 = performance.now();
  for (let i = 1; i <= STEPS; i++) step(i);
  const wall = (performance.now() - t0) / STEPS, cpu = process.cpuUsage(c0);
  counting = false;

  const total = [...byPhase.values()].reduce((s, t) => s + t.calls, 0) / STEPS;
  const all = [...byKernel.values()].reduce((s, t) => s + t.calls, 0) / STEPS;
  const kernelMs = [...byPhase.values()].reduce((s, t) => s + t.ms, 0) / STEPS;
  console.log(`lesson 03 step, batch ${BATCH}, wasm, STRIPES_THREADS=${process.env.STRIPES_THREADS ?? 1}, ${process.env.OPTIMIZER === "tf" ? "tf.train.adam" : "nn.adam"}, ${STEPS} steps profiled`);
  console.log(`kernel calls per step: ${total.toFixed(0)} top level, ${all.toFixed(0)} with the ones kernels run inside themselves; ${wall.toFixed(1)} ms/step wall (while profiled), ` +
    `${((cpu.user + cpu.system) / 1000 / STEPS).toFixed(1)} ms CPU; ${kernelMs.toFixed(1)} ms inside kernels`);
  const byMs = process.env.SORT === "ms";
  const show = (title: string, m: Map<string, Tally>, top = Infinity) => {
    console.log(`\n${title} | calls/step | ms/step`);
    [...m.entries()]
      .sort((a, b) => (byMs ? b[1].ms - a[1].ms : b[1].calls - a[1].calls))
      .slice(0, top)
      .forEach(([k, t]) => console.log(`${k} | ${(t.calls / STEPS).toFixed(0)} | ${(t.ms / STEPS).toFixed(2)}`));
  };
  show("by phase", byPhase);
  show("by kernel", byKernel, TOP);
  show("by source", bySource, TOP);
}

main();
