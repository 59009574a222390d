/**
 * @file The GAN game's picture (lesson 02), drawn as layers over one plot the way GAN Lab does:
 * D's decision surface, real and fake samples, G's manifold, G's gradient arrows, the modes; and
 * beside it both losses and the mode coverage. A hand-built SVG string: building it takes about a
 * millisecond (a chart library took far longer per frame), and the playground's HTML widget shows
 * it as it is; `framePng` rasterises it (sharp, in Node) for a notebook output or a file.
 *
 * Example:
 *   const svg = renderFrame(game.snapshot(), { views: { arrows: true, manifold: true } });
 */
import { svgToPng } from "../../platform/svgPng";
import { encodePng } from "../../vision/png";
import { EXTENT, type Snapshot } from "./ganGame";

export interface Views {
  samples: boolean;
  surface: boolean;
  arrows: boolean;
  manifold: boolean;
  losses: boolean;
  coverage: boolean;
}
export const VIEW_NAMES: (keyof Views)[] = ["samples", "surface", "arrows", "manifold", "losses", "coverage"];
export const DEFAULT_VIEWS: Views = { samples: true, surface: true, arrows: false, manifold: false, losses: true, coverage: true };

export interface FrameOptions {
  views?: Partial<Views>;
  title?: string;
  /** Side of the square plot, in pixels. */
  size?: number;
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** D's probability "real" as a colour: blue (fake) through white (½) to orange (real). */
function surfaceColor(p: number): number[] {
  const t = Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0.5));
  const [lo, mid, hi] = [[49, 130, 189], [247, 247, 247], [230, 120, 20]];
  const [a, b, u] = t < 0.5 ? [lo, mid, t * 2] : [mid, hi, (t - 0.5) * 2];
  return a.map((v, i) => Math.round(v + (b[i] - v) * u));
}

/**
 * D's surface as a tiny RGB PNG (one pixel per grid cell, top row first), for an SVG <image>
 * the browser smooths as it scales: a few hundred bytes where 900 <rect>s took 60 KB per frame.
 * stripes' synchronous encoder (vision/png.ts), because the frame is built synchronously and
 * the same code runs in the room's worker, which has no Node zlib.
 */
export function surfacePng(p: number[][]): Buffer {
  const [h, w] = [p.length, p[0].length];
  const rgb = new Uint8Array(h * w * 3);
  for (let r = 0; r < h; r++) {
    const row = p[h - 1 - r]; // p[0] is the bottom row (ys ascend); images start at the top
    for (let c = 0; c < w; c++) rgb.set(surfaceColor(row[c]), 3 * (r * w + c));
  }
  return Buffer.from(encodePng(rgb, w, h, 3));
}

/** The frame as an SVG document: the plot (left) and the losses and coverage (right). */
export function renderFrame(snap: Snapshot, { views = {}, title, size = 320 }: FrameOptions = {}): string {
  const v = { ...DEFAULT_VIEWS, ...views };
  const pad = 6;
  const chartW = v.losses || v.coverage ? 250 : 0;
  const width = size + 2 * pad + (chartW ? chartW + pad : 0);
  const height = size + 2 * pad + 22;
  const top = 22 + pad;
  const sx = (x: number) => pad + ((x + EXTENT) / (2 * EXTENT)) * size;
  const sy = (y: number) => top + ((EXTENT - y) / (2 * EXTENT)) * size;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  const s = snap.settings;
  const head = title ?? `step ${snap.step} · ${s.loss} · pack ${s.pack} · lr D ${s.lrD.toPrecision(2)}, G ${s.lrG.toPrecision(2)} · ${s.dSteps} D : 1 G`;
  out.push(`<text x="${pad}" y="16" font-size="13">${esc(head)}</text>`);
  // A nested <svg> clips its marks to the plot by itself. A <clipPath id=…> did not in the browser:
  // ids are page-wide, and with two frames on a page (two views of a playground, a hidden tab)
  // Chromium resolved the id to a copy it does not render and drew the marks unclipped.
  out.push(`<svg x="${pad}" y="${top}" width="${size}" height="${size}" viewBox="${pad} ${top} ${size} ${size}" overflow="hidden">`);
  out.push(`<rect x="${pad}" y="${top}" width="${size}" height="${size}" fill="#f7f7f7" stroke="#ccc"/>`);
  if (v.surface) {
    // the grid's cells are centred on xs/ys, which span the plot: the image covers it exactly
    const png = surfacePng(snap.surface.p).toString("base64");
    out.push(`<image x="${pad}" y="${top}" width="${size}" height="${size}" preserveAspectRatio="none" href="data:image/png;base64,${png}"/>`);
  }
  if (v.manifold) {
    // the grid's rows and columns, as polylines: G bending the noise plane
    const lines = [...snap.manifold, ...snap.manifold[0].map((_, c) => snap.manifold.map((row) => row[c]))];
    for (const line of lines) out.push(`<polyline fill="none" stroke="#7b3294" stroke-opacity="0.55" stroke-width="1" points="${line.map(([x, y]) => `${f1(sx(x))},${f1(sy(y))}`).join(" ")}"/>`);
  }
  if (v.samples) {
    out.push(`<g fill="black" fill-opacity="0.55">${snap.real.map(([x, y]) => `<circle cx="${f1(sx(x))}" cy="${f1(sy(y))}" r="1.6"/>`).join("")}</g>`);
    out.push(`<g fill="#d7191c" fill-opacity="0.75">${snap.fake.map(([x, y]) => `<circle cx="${f1(sx(x))}" cy="${f1(sy(y))}" r="1.8"/>`).join("")}</g>`);
  }
  if (v.arrows && snap.arrows.length > 0) {
    // lengths scaled so that the longest arrow is a tenth of the plot: directions and relative sizes show
    const longest = Math.max(...snap.arrows.map(({ push }) => Math.hypot(push[0], push[1]))) || 1;
    const scale = (0.1 * 2 * EXTENT) / longest;
    out.push(`<g stroke="#1a9641" stroke-width="1.5" fill="none">`);
    for (const { from, push } of snap.arrows) {
      const [x0, y0, x1, y1] = [sx(from[0]), sy(from[1]), sx(from[0] + scale * push[0]), sy(from[1] + scale * push[1])];
      const [dx, dy] = [x1 - x0, y1 - y0];
      const len = Math.hypot(dx, dy);
      out.push(`<line x1="${f1(x0)}" y1="${f1(y0)}" x2="${f1(x1)}" y2="${f1(y1)}"/>`);
      if (len > 3) {
        const [ux, uy] = [dx / len, dy / len];
        const h = Math.min(5, len / 2);
        out.push(`<polyline points="${f1(x1 - h * ux + h * 0.6 * uy)},${f1(y1 - h * uy - h * 0.6 * ux)} ${f1(x1)},${f1(y1)} ${f1(x1 - h * ux - h * 0.6 * uy)},${f1(y1 - h * uy + h * 0.6 * ux)}"/>`);
      }
    }
    out.push(`</g>`);
  }
  if (snap.centers && v.coverage) {
    const counts = snap.coverage?.counts;
    const fair = snap.fake.length / snap.centers.length;
    snap.centers.forEach(([x, y], k) => {
      const covered = counts !== undefined && counts[k] >= 0.25 * fair;
      out.push(`<circle cx="${f1(sx(x))}" cy="${f1(sy(y))}" r="9" fill="none" stroke="${covered ? "#1a9641" : "#555"}" stroke-width="${covered ? 2 : 1}" stroke-dasharray="${covered ? "" : "3 2"}"/>`);
    });
  }
  out.push(`</svg>`);
  if (chartW) out.push(...sidePanel(snap, v, pad + size + pad, top, chartW, size));
  out.push(`</svg>`);
  return out.join("");
}

/** Both losses over the steps, with the equilibrium values marked, and the coverage line. */
function sidePanel(snap: Snapshot, v: Views, x0: number, y0: number, w: number, h: number): string[] {
  const out: string[] = [];
  const chartH = h - 60;
  if (v.losses) {
    const all = snap.losses;
    // at most ~300 points: every k-th step
    const k = Math.max(1, Math.ceil(all.length / 300));
    const pts = all.filter((_, i) => i % k === 0 || i === all.length - 1).filter((l) => Number.isFinite(l.d) && Number.isFinite(l.g));
    const { ymin, ymax } = lossRange(pts.flatMap((l) => [l.d, l.g]));
    const first = pts[0]?.step ?? 0;
    const last = Math.max(first + 1, pts[pts.length - 1]?.step ?? 1);
    const [cx, cw] = [x0 + 30, w - 36];
    const px = (step: number) => cx + ((step - first) / (last - first)) * cw;
    const py = (y: number) => y0 + chartH - ((y - ymin) / (ymax - ymin)) * chartH;
    out.push(`<rect x="${cx}" y="${y0}" width="${cw}" height="${chartH}" fill="none" stroke="#ccc"/>`);
    // the equilibrium values first; a label too close to one already placed is left off (its line stays)
    const placed: number[] = [];
    const marks: [number, string, boolean][] = [[2 * Math.LN2, "2 ln 2", true], [Math.LN2, "ln 2", true], [0, "0", true], [ymax, f1(ymax), false], [ymin, f1(ymin), false]];
    for (const [y, label, dashed] of marks) {
      if (y < ymin || y > ymax) continue;
      const at = py(y);
      if (dashed) out.push(`<line x1="${cx}" x2="${x0 + w - 6}" y1="${f1(at)}" y2="${f1(at)}" stroke="#ddd" stroke-dasharray="4 3"/>`);
      if (placed.some((p) => Math.abs(p - at) < LABEL_GAP)) continue;
      placed.push(at);
      out.push(`<text class="y-label" x="${x0}" y="${f1(at + 4)}" font-size="10" fill="#777">${label}</text>`);
    }
    const line = (get: (l: { d: number; g: number }) => number, color: string) =>
      pts.length > 1 ? `<polyline fill="none" stroke="${color}" stroke-width="1.3" points="${pts.map((l) => `${f1(px(l.step))},${f1(py(get(l)))}`).join(" ")}"/>` : "";
    // a spike beyond the range leaves through the chart's top edge instead of squashing the rest
    out.push(`<svg x="${cx}" y="${y0}" width="${cw}" height="${chartH}" viewBox="${cx} ${y0} ${cw} ${chartH}" overflow="hidden">`);
    out.push(line((l) => l.d, "#2c7bb6"), line((l) => l.g, "#d7191c"), `</svg>`);
    const peak = Math.max(...pts.map((l) => Math.max(l.d, l.g)));
    if (peak > ymax) out.push(`<text x="${x0 + w - 8}" y="${y0 + 12}" text-anchor="end" font-size="10" fill="#777">peak ${peak.toFixed(1)} ↑</text>`);
    const lastL = all[all.length - 1];
    out.push(`<text x="${x0 + 34}" y="${y0 + chartH + 16}" fill="#2c7bb6">D loss ${lastL ? lastL.d.toFixed(3) : "–"}</text>`);
    out.push(`<text x="${x0 + 140}" y="${y0 + chartH + 16}" fill="#d7191c">G loss ${lastL ? lastL.g.toFixed(3) : "–"}</text>`);
    out.push(`<text x="${x0 + 34}" y="${y0 + chartH + 30}" font-size="10" fill="#777">steps ${first}–${last}</text>`);
  }
  if (v.coverage) {
    const c = snap.coverage;
    const text = c ? `modes covered: ${c.covered} of ${c.modes} · ${Math.round(100 * c.highQuality)}% near one` : "modes: – (no separate modes)";
    out.push(`<text x="${x0 + 34}" y="${y0 + h - 8}" font-size="12">${esc(text)}</text>`);
  }
  return out;
}

/** Least distance between two of the loss chart's y labels (font size 10), in pixels. */
export const LABEL_GAP = 12;

/**
 * The loss chart's y range: 0 to at least 2 (so 2 ln 2 and ln 2 show), widened to hold all
 * but the highest and lowest 2% of the losses. One spike (a jump of D's loss to 30 after a
 * jolt of the learning rate) would otherwise shrink everything else to the bottom few pixels.
 */
export function lossRange(values: number[]): { ymin: number; ymax: number } {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { ymin: 0, ymax: 2 };
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
  return { ymin: Math.min(0, 1.1 * at(0.02)), ymax: Math.max(2, 1.1 * at(0.98)) };
}

/**
 * The frame as PNG bytes (for a notebook output, a file, or a look with the file tool); undefined
 * in the browser, which shows the SVG itself (platform/svgPng.browser.ts says why).
 */
export async function framePng(svg: string): Promise<Uint8Array | undefined> {
  return svgToPng(svg);
}
