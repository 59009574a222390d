/**
 * Lesson 02's playground: frames per second while training, per speed (rounds per frame), in
 * this process, through the playground's own loop (step, snapshot, SVG): what a learner sees,
 * minus the browser's drawing. Also the load average, since the machine may be shared, and CPU
 * time beside wall time.
 *
 *     npx ts-node bench/gan-playground.ts
 */
import { loadavg } from "node:os";
import { ready } from "../src/backend";
import { Playground } from "../src/lessons/ganGame/ganPlayground";

const FRAMES = Number(process.env.FRAMES ?? 40);

(async () => {
  console.log(`backend ${await ready()}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  for (const [speed, views] of [[1, {}], [5, {}], [5, { arrows: true, manifold: true }], [20, {}]] as const) {
    const pg = new Playground({ noiseDim: 2 }, { views });
    await pg.run({ steps: 10, speed: 10 }); // warm up (compiles the wasm kernels)
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const frames0 = pg.frames;
    await pg.run({ steps: FRAMES * speed, speed });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const frames = pg.frames;
    console.log(`speed ${speed} (rounds per frame), views ${JSON.stringify(views)}: ${frames} frames in ${wall.toFixed(1)} s = ${(frames / wall).toFixed(1)} frames/s (${(((cpu.user + cpu.system) / 1e6) / frames * 1000).toFixed(0)} ms CPU per frame); frames0 ${frames0}`);
    pg.dispose();
  }
})();
