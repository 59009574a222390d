/**
 * Resize(256) of a 1500×1220 photo: stripes' PIL-exact resampler vs PIL 9.4 (through
 * torchvision 0.14's Resize) in the same run, plus parity of the outputs.
 *
 *   npx ts-node bench/resize.ts            # synthetic photo-like image made here
 *
 *   npx ts-node bench/resize.ts a.jpg b.png # and parity on these photos
 *
 * On /work/shared/data/horse.jpg (the article's photo, never committed) when it exists, and on
 * photos given as arguments, it also reports decode parity (sharp vs PIL) and
 * `Resize(256, mode) + ToTensor` parity against torchvision for every interpolation mode.
 * Settings, one per line:
 */
const RUNS = 30; // timed runs after warm-up; the median is reported
const WARMUP = 5;
const PYTHON = "/usr/bin/python3"; // Debian's, with PIL 9.4 and torchvision 0.14
const HORSE = "/work/shared/data/horse.jpg";

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Image } from "../src/vision/image";
import { transforms } from "../src";
import { ready } from "../src/backend";

/** A photo-like RGB image: smooth colour fields, hard-edged discs, noise (seeded). */
function photo(w: number, h: number, seed = 1): Image {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const waves = Array.from({ length: 9 }, () => [rand() * 3 / w, rand() * 3 / h, rand() * 6.3, 20 + rand() * 30]);
  const discs = Array.from({ length: 6 }, () => [rand() * w, rand() * h, (0.05 + rand() * 0.2) * h, rand() * 255, rand() * 255, rand() * 255]);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = discs.find(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 < r * r);
      for (let c = 0; c < 3; c++) {
        let v = 128;
        for (let k = 0; k < 3; k++) {
          const [fx, fy, ph, a] = waves[c * 3 + k];
          v += a * Math.sin(2 * Math.PI * (fx * x + fy * y) + ph);
        }
        if (disc) v = disc[3 + c];
        v += (rand() - 0.5) * 20;
        data[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return new Image(w, h, "RGB", data);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeOurs(img: Image): { ms: number; out: Image } {
  const resize = transforms.Resize(256);
  let out = resize(img);
  for (let i = 0; i < WARMUP; i++) out = resize(img);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    out = resize(img);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), out };
}

// PIL side: times torchvision's Resize(256) on the same pixels, writes its output bytes.
const PY = `
import sys, time, numpy as np
from PIL import Image
from torchvision import transforms
w, h, runs, warm, src, dst = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
img = Image.frombytes("RGB", (w, h), open(src, "rb").read())
resize = transforms.Resize(256)
for _ in range(warm): out = resize(img)
ts = []
for _ in range(runs):
    t0 = time.perf_counter(); out = resize(img); ts.append((time.perf_counter() - t0) * 1000)
open(dst, "wb").write(np.asarray(out).tobytes())
print(sorted(ts)[len(ts) // 2], out.size[0], out.size[1])
`;

// Reference side of a real-photo check: PIL's decoded pixels, then torchvision's
// Resize(256, mode) + ToTensor for each interpolation mode.
const PHOTO_PY = `
import sys, numpy as np
from PIL import Image
from torchvision import transforms
img = Image.open(sys.argv[1])
open(sys.argv[2] + ".rgb", "wb").write(np.asarray(img).tobytes())
for mode in sys.argv[3:]:
    t = transforms.Compose([transforms.Resize(256, transforms.InterpolationMode[mode.upper()]), transforms.ToTensor()])(img)
    open(sys.argv[2] + "." + mode, "wb").write(t.numpy().tobytes())
print(img.mode, *img.size)
`;
const MODES = ["bilinear", "nearest", "bicubic", "box", "hamming", "lanczos"] as const;

function diff(a: ArrayLike<number>, b: ArrayLike<number>, scale = 1): string {
  let n = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) * scale;
    if (d > 0) n++;
    m = Math.max(m, d);
  }
  return `${n} of ${a.length} values differ, max |Δ| ${+m.toFixed(4)} levels`;
}

async function main() {
  await ready();
  const dir = mkdtempSync(join(tmpdir(), "stripes-bench-"));
  const img = photo(1500, 1220);
  const src = join(dir, "photo.rgb");
  writeFileSync(src, img.data);

  const ours = timeOurs(img);
  const [pilMs, w, h] = execFileSync(PYTHON, ["-c", PY, "1500", "1220", `${RUNS}`, `${WARMUP}`, src, join(dir, "pil.rgb")])
    .toString().trim().split(" ").map(Number);
  const theirs = new Uint8Array(readFileSync(join(dir, "pil.rgb")));
  console.log(`Resize(256) of a synthetic 1500x1220 RGB photo → ${ours.out.width}x${ours.out.height} (PIL: ${w}x${h})`);
  console.log(`  stripes ${ours.ms.toFixed(2)} ms, PIL ${pilMs.toFixed(2)} ms, ratio ${(ours.ms / pilMs).toFixed(2)} (median of ${RUNS})`);
  console.log(`  parity: ${diff(ours.out.data, theirs)}`);

  for (const im of [ours.out, img]) {
    const t = performance.now();
    const png = im._repr_png_();
    console.log(`  notebook PNG of ${im.width}x${im.height}: ${(performance.now() - t).toFixed(1)} ms, ${(png.length / 1024).toFixed(0)} KiB`);
  }

  const photos = [...(existsSync(HORSE) ? [HORSE] : []), ...process.argv.slice(2)];
  if (!existsSync(HORSE)) console.log(`(${HORSE} not present: pass photos as arguments for a real-photo parity check)`);
  for (const path of photos) await photoParity(path, dir);
}

/** Decode parity and `Resize(256, mode) + ToTensor` parity against PIL/torchvision on a photo. */
async function photoParity(path: string, dir: string) {
  const t0 = performance.now();
  const img = await Image.open(path);
  const openMs = performance.now() - t0;
  const out = join(dir, "ref");
  const [mode, w, h] = execFileSync(PYTHON, ["-c", PHOTO_PY, path, out, ...MODES]).toString().trim().split(" ");
  console.log(`${path}: stripes ${img} (open ${openMs.toFixed(1)} ms), PIL mode=${mode} size=${w}x${h}`);
  const pilPixels = new Uint8Array(readFileSync(`${out}.rgb`));
  if (pilPixels.length !== img.data.length) {
    console.log(`  PIL's mode ${mode} differs from stripes' ${img.mode}: pixel parity not compared`);
    return;
  }
  console.log(`  decode (sharp vs PIL): ${diff(img.data, pilPixels)}`);
  for (const m of MODES) {
    const b = readFileSync(`${out}.${m}`);
    const want = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const t = transforms.Compose([transforms.Resize(256, m), transforms.ToTensor()])(img);
    console.log(`  Resize(256, ${m}) + ToTensor → [${t.shape}]: ${diff(t.dataSync(), want, 255)}`);
    t.dispose();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
