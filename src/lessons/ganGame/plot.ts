/**
 * @file Charts for the lessons, drawn with Vega-Lite and rendered to SVG in Node (no browser,
 * no canvas), then to PNG, which the notebooks show with `tslab.display.png` (see renderPng).
 *
 * Vega 5 / Vega-Lite 5 are the last major versions that load through `require` (6 is ESM-only,
 * which tslab cannot import). `renderPng` rasterises the SVG with sharp (librsvg): a chart with
 * a thousand points is ~0.8 MB of SVG but ~0.1 MB of PNG, which keeps the saved notebooks small.
 */
import sharp from "sharp";
import type * as vlTypes from "vega-lite";

export type Spec = vlTypes.TopLevelSpec;

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: Spec): Promise<string> {
  // Loaded on first use: `import "stripes"` should not pay for Vega (it doubled require time).
  const vega = require("vega") as typeof import("vega");
  const vl = require("vega-lite") as typeof import("vega-lite");
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to PNG bytes, for `tslab.display.png`. */
export async function renderPng(spec: Spec): Promise<Uint8Array> {
  return new Uint8Array(await sharp(Buffer.from(await renderSvg(spec))).png({ compressionLevel: 6 }).toBuffer());
}

export interface GanGameFrame {
  /** Real samples, [n, 2]. */
  real: number[][];
  /** Generated samples, [n, 2]. */
  fake: number[][];
  /** D's probability "real" on a square grid: `surface[i][j]` at (xs[j], ys[i]). */
  surface?: { xs: number[]; ys: number[]; p: number[][] };
  /** One entry per logged step. */
  losses?: { step: number; d: number; g: number }[];
  title?: string;
  /** Half-width of the square view; points outside it are clipped. */
  extent?: number;
}

/** The GAN game in one picture: D's decision surface, real and generated samples; the losses. */
export function ganGameSpec(frame: GanGameFrame): Spec {
  const extent = frame.extent ?? 3;
  const scale = { domain: [-extent, extent], nice: false };
  const axis = { x: { field: "x", type: "quantitative", scale, title: null }, y: { field: "y", type: "quantitative", scale, title: null } } as const;
  const layers: any[] = [];
  if (frame.surface) {
    const { xs, ys, p } = frame.surface;
    const dx = (xs[1] - xs[0]) / 2;
    const dy = (ys[1] - ys[0]) / 2;
    const cells = ys.flatMap((y, i) => xs.map((x, j) => ({ x: x - dx, x2: x + dx, y: y - dy, y2: y + dy, p: p[i][j] })));
    layers.push({
      data: { values: cells },
      mark: { type: "rect", opacity: 0.8 },
      encoding: {
        ...axis,
        x2: { field: "x2" },
        y2: { field: "y2" },
        color: { field: "p", type: "quantitative", title: "D(x)", scale: { domain: [0, 1], scheme: "blueorange" } },
      },
    });
  }
  const points = [
    ...frame.real.map(([x, y]) => ({ x, y, kind: "real" })),
    ...frame.fake.map(([x, y]) => ({ x, y, kind: "generated" })),
  ].filter(({ x, y }) => Math.abs(x) <= extent && Math.abs(y) <= extent);
  layers.push({
    data: { values: points },
    mark: { type: "circle", size: 10, opacity: 0.7 },
    encoding: {
      ...axis,
      color: { field: "kind", type: "nominal", title: null, scale: { domain: ["real", "generated"], range: ["#222222", "#d62728"] } },
    },
  });
  const board = { width: 300, height: 300, title: frame.title ?? "", layer: layers, resolve: { scale: { color: "independent" } } };
  if (!frame.losses || frame.losses.length === 0) return { $schema: "https://vega.github.io/schema/vega-lite/v5.json", ...board } as Spec;
  const losses = frame.losses.flatMap(({ step, d, g }) => [
    { step, loss: d, who: "discriminator" },
    { step, loss: g, who: "generator" },
  ]);
  const chart = {
    width: 260,
    height: 300,
    title: "losses",
    data: { values: losses },
    mark: { type: "line" },
    encoding: {
      x: { field: "step", type: "quantitative" },
      y: { field: "loss", type: "quantitative" },
      color: { field: "who", type: "nominal", title: null },
    },
  };
  return { $schema: "https://vega.github.io/schema/vega-lite/v5.json", hconcat: [board, chart], resolve: { scale: { color: "independent" } } } as Spec;
}

/** A grid of points covering [-extent, extent]², to evaluate D on: `points` is [n², 2]. */
export function surfaceGrid(n: number, extent = 3): { xs: number[]; ys: number[]; points: number[][] } {
  const xs = Array.from({ length: n }, (_, i) => -extent + ((i + 0.5) * 2 * extent) / n);
  const ys = xs.slice();
  return { xs, ys, points: ys.flatMap((y) => xs.map((x) => [x, y])) };
}

/** Lines of a measure over training steps (e.g. the stripe energy in lesson 03). */
export function lineSpec(rows: { step: number; value: number; series: string }[], title: string, yTitle: string): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: 300,
    height: 200,
    title,
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "step", type: "quantitative" },
      y: { field: "value", type: "quantitative", title: yTitle },
      color: { field: "series", type: "nominal", title: null },
    },
  } as Spec;
}
