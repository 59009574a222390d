import { suite } from "uvu";
import * as assert from "uvu/assert";
import { useDefaultBackend } from "../../helpers/backend";
import { ringCenters, ringOfGaussians, spiral } from "../../../src/lessons/ganGame/toyData";
import { modeCoverage } from "../../../src/lessons/ganGame/modeCoverage";
import { renderSvg, renderPng, ganGameSpec, surfaceGrid, lineSpec } from "../../../src/lessons/ganGame/plot";

const data = suite("toy data");
data.before(async () => {
  await useDefaultBackend();
});

data("ringCenters: 8 points on a circle of radius 2, counter-clockwise from (2, 0)", () => {
  const c = ringCenters();
  assert.is(c.length, 8);
  // k = 2 is a quarter turn: (0, 2); k = 4 is half a turn: (−2, 0)
  assert.ok(Math.abs(c[2][0]) < 1e-12 && Math.abs(c[2][1] - 2) < 1e-12);
  assert.ok(Math.abs(c[4][0] + 2) < 1e-12 && Math.abs(c[4][1]) < 1e-12);
  c.forEach(([x, y]) => assert.ok(Math.abs(Math.hypot(x, y) - 2) < 1e-12));
});

data("ringOfGaussians: seeded, every mode used, points near their centre", () => {
  const a = ringOfGaussians(4000).arraySync();
  assert.equal(ringOfGaussians(4000).arraySync(), a);
  assert.not.equal(ringOfGaussians(4000, { seed: 5 }).arraySync(), a);
  const cov = modeCoverage(a, ringCenters(), 0.05);
  // 3σ holds 98.9% of a 2-D Gaussian's mass (1 − e^{−9/2})
  assert.ok(cov.highQuality > 0.98, String(cov.highQuality));
  assert.is(cov.covered, 8);
  cov.counts.forEach((n) => assert.ok(n > 400 && n < 600, `count ${n}`)); // 500 each expected
  // mean distance of a 2-D Gaussian from its centre: σ·√(π/2) ≈ 0.063
  assert.ok(Math.abs(cov.meanDistance - 0.05 * Math.sqrt(Math.PI / 2)) < 0.005, String(cov.meanDistance));
});

data("spiral: seeded points within the end radius (plus noise)", () => {
  const s = spiral(500).arraySync();
  assert.is(s.length, 500);
  s.forEach(([x, y]) => assert.ok(Math.hypot(x, y) < 2 + 5 * 0.05));
});

const cov = suite("modeCoverage");
cov("counts samples within 3σ of each centre; a mode needs a quarter of its fair share", () => {
  const centers: [number, number][] = [[0, 0], [10, 0]];
  // 8 samples, fair share 4 per mode, so a mode needs ≥ 1 sample within 3σ = 0.3
  const samples = [[0, 0], [0.1, 0], [0, 0.29], [0, -0.2], [0.31, 0], [10, 0.5], [5, 5], [-1, 0]];
  const c = modeCoverage(samples, centers, 0.1);
  assert.equal(c.counts, [4, 0]);
  assert.is(c.covered, 1);
  assert.is(c.highQuality, 4 / 8);
  assert.is(modeCoverage(samples, centers, 0.1, 1.1).covered, 0); // 4 < 1.1 · 4
});

cov("meanDistance is the mean distance to the nearest centre", () => {
  const c = modeCoverage([[3, 4], [0, 1]], [[0, 0]], 1);
  assert.is(c.meanDistance, (5 + 1) / 2);
});

const plot = suite("plot");
plot("the GAN game's chart renders to SVG with the surface, the samples and the losses", async () => {
  const grid = surfaceGrid(4);
  assert.equal(grid.xs, [-2.25, -0.75, 0.75, 2.25]);
  assert.is(grid.points.length, 16);
  const svg = await renderSvg(
    ganGameSpec({
      real: [[1, 1]],
      fake: [[-1, -1], [9, 9]],
      surface: { xs: grid.xs, ys: grid.ys, p: grid.ys.map(() => grid.xs.map(() => 0.5)) },
      losses: [{ step: 1, d: 1.4, g: 0.7 }, { step: 2, d: 1.3, g: 0.8 }],
      title: "step 2",
    }),
  );
  assert.match(svg, /^<svg/);
  assert.match(svg, /step 2/);
  assert.match(svg, /losses/);
  assert.match(svg, /discriminator/);
});

plot("renderPng rasterises a chart to PNG bytes", async () => {
  const png = await renderPng(lineSpec([{ step: 0, value: 1, series: "A → B" }, { step: 1, value: 2, series: "A → B" }], "stripe energy", "energy"));
  assert.equal(Array.from(png.slice(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // the PNG signature
});

plot("a line chart renders", async () => {
  assert.match(await renderSvg(lineSpec([{ step: 0, value: 1, series: "A → B" }], "stripe energy", "energy")), /stripe energy/);
});

data.run();
cov.run();
plot.run();
