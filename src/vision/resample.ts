/**
 * @file PIL-exact resampling of 8-bit images (Pillow 9.4), our own code because no library
 * reproduces it: sharp's resize differs from PIL's by several grey levels on photos.
 *
 * Porting note: follows Pillow src/libImaging/Resample.c (`precompute_coeffs`,
 * `normalize_coeffs_8bpc`, `ImagingResampleHorizontal_8bpc`, `ImagingResampleVertical_8bpc`,
 * `ImagingResampleInner`) and, for NEAREST, Geometry.c's `ImagingScaleAffine`, which is the
 * path `Image.resize` takes for NEAREST (it is not the filter code). Pixels are HWC bytes with
 * 1 to 4 channels, each channel resampled on its own; premultiplying alpha is the caller's job,
 * as in PIL's Image.resize.
 */

/** PIL's filter codes (PIL.Image.Resampling): what `Image.resize` and torchvision pass. */
import { VisionError } from "./errors";
export const Resampling = {
  NEAREST: 0,
  LANCZOS: 1,
  BILINEAR: 2,
  BICUBIC: 3,
  BOX: 4,
  HAMMING: 5,
} as const;
export type ResamplingCode = (typeof Resampling)[keyof typeof Resampling];

interface Filter {
  support: number;
  f: (x: number) => number;
}

// Resample.c's filters, same arithmetic (the hamming constants are C floats: 0.54f, 0.46f).
const HAMMING_A = Math.fround(0.54);
const HAMMING_B = Math.fround(0.46);
const BICUBIC_A = -0.5;
const sinc = (x: number): number => {
  if (x === 0.0) return 1.0;
  x = x * Math.PI;
  return Math.sin(x) / x;
};
const FILTERS: Record<number, Filter> = {
  [Resampling.BOX]: { support: 0.5, f: (x) => (x > -0.5 && x <= 0.5 ? 1.0 : 0.0) },
  [Resampling.BILINEAR]: {
    support: 1.0,
    f: (x) => {
      if (x < 0.0) x = -x;
      return x < 1.0 ? 1.0 - x : 0.0;
    },
  },
  [Resampling.HAMMING]: {
    support: 1.0,
    f: (x) => {
      if (x < 0.0) x = -x;
      if (x === 0.0) return 1.0;
      if (x >= 1.0) return 0.0;
      x = x * Math.PI;
      return (Math.sin(x) / x) * (HAMMING_A + HAMMING_B * Math.cos(x));
    },
  },
  [Resampling.BICUBIC]: {
    support: 2.0,
    f: (x) => {
      const a = BICUBIC_A;
      if (x < 0.0) x = -x;
      if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
      if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
      return 0.0;
    },
  },
  [Resampling.LANCZOS]: {
    support: 3.0,
    f: (x) => (-3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0),
  },
};

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Per output index: first input index, number of taps, and 22-bit fixed-point weights. */
interface Coeffs {
  ksize: number;
  bounds: Int32Array; // [xmin, count] per output index
  kk: Int32Array; // ksize weights per output index
}

/** `precompute_coeffs` + `normalize_coeffs_8bpc` for the box [0, inSize) mapped onto outSize. */
export function precomputeCoeffs(inSize: number, outSize: number, filter: Filter): Coeffs {
  const scale = inSize / outSize;
  const filterscale = scale < 1.0 ? 1.0 : scale;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1.0 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = 0 + (xx + 0.5) * scale;
    let ww = 0.0;
    // C's (int) cast truncates toward zero
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    for (let x = 0; x < xmax; x++) {
      const w = filter.f((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      let w = k[x];
      if (ww !== 0.0) w /= ww;
      kk[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

/** PIL's clip8: the accumulator shifted down, clamped to a byte. */
function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Horizontal pass over rows [offset, offset + outH) of the input. The channel loop is unrolled
 * for 1, 3 and 4 channels (each weight is read once per pixel); sums stay within int32.
 */
function horizontal(src: Uint8Array, inW: number, ch: number, outW: number, outH: number, offset: number, c: Coeffs): Uint8Array {
  const out = new Uint8Array(outW * outH * ch);
  const { ksize, bounds, kk } = c;
  const rowIn = inW * ch;
  for (let yy = 0; yy < outH; yy++) {
    const rowStart = (yy + offset) * rowIn;
    let o = yy * outW * ch;
    for (let xx = 0; xx < outW; xx++) {
      const n = bounds[xx * 2 + 1];
      const kBase = xx * ksize;
      let p = rowStart + bounds[xx * 2] * ch;
      if (ch === 3) {
        let a0 = HALF, a1 = HALF, a2 = HALF;
        for (let x = 0; x < n; x++, p += 3) {
          const k = kk[kBase + x];
          a0 = (a0 + src[p] * k) | 0;
          a1 = (a1 + src[p + 1] * k) | 0;
          a2 = (a2 + src[p + 2] * k) | 0;
        }
        out[o++] = clip8(a0);
        out[o++] = clip8(a1);
        out[o++] = clip8(a2);
      } else if (ch === 4) {
        let a0 = HALF, a1 = HALF, a2 = HALF, a3 = HALF;
        for (let x = 0; x < n; x++, p += 4) {
          const k = kk[kBase + x];
          a0 = (a0 + src[p] * k) | 0;
          a1 = (a1 + src[p + 1] * k) | 0;
          a2 = (a2 + src[p + 2] * k) | 0;
          a3 = (a3 + src[p + 3] * k) | 0;
        }
        out[o++] = clip8(a0);
        out[o++] = clip8(a1);
        out[o++] = clip8(a2);
        out[o++] = clip8(a3);
      } else {
        for (let b = 0; b < ch; b++) {
          let acc = HALF;
          for (let x = 0, q = p + b; x < n; x++, q += ch) acc = (acc + src[q] * kk[kBase + x]) | 0;
          out[o++] = clip8(acc);
        }
      }
    }
  }
  return out;
}

/** Vertical pass; bounds are relative to the first row of `src`. Rows are summed whole, in order. */
function vertical(src: Uint8Array, w: number, ch: number, outH: number, c: Coeffs, shift: number): Uint8Array {
  const row = w * ch;
  const out = new Uint8Array(row * outH);
  const acc = new Int32Array(row);
  const { ksize, bounds, kk } = c;
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[yy * 2] - shift;
    const n = bounds[yy * 2 + 1];
    acc.fill(HALF);
    for (let y = 0; y < n; y++) {
      const k = kk[yy * ksize + y];
      const r = (ymin + y) * row;
      for (let i = 0; i < row; i++) acc[i] = (acc[i] + src[r + i] * k) | 0;
    }
    const o = yy * row;
    for (let i = 0; i < row; i++) out[o + i] = clip8(acc[i]);
  }
  return out;
}

/** Geometry.c's ImagingScaleAffine with PIL's accumulated source positions. */
function nearest(src: Uint8Array, inW: number, inH: number, ch: number, outW: number, outH: number): Uint8Array {
  const out = new Uint8Array(outW * outH * ch); // PIL fills with 0 first
  const a0 = inW / outW;
  const a4 = inH / outH;
  const coord = (v: number): number => (v < 0.0 ? -1 : Math.trunc(v));
  const xintab = new Int32Array(outW);
  let xmin = outW;
  let xmax = 0;
  let xo = 0 + a0 * 0.5;
  for (let x = 0; x < outW; x++) {
    const xin = coord(xo);
    if (xin >= 0 && xin < inW) {
      xmax = x + 1;
      if (x < xmin) xmin = x;
      xintab[x] = xin;
    }
    xo += a0;
  }
  let yo = 0 + a4 * 0.5;
  for (let y = 0; y < outH; y++) {
    const yi = coord(yo);
    if (yi >= 0 && yi < inH) {
      const inRow = yi * inW * ch;
      const outRow = y * outW * ch;
      for (let x = xmin; x < xmax; x++) {
        const p = inRow + xintab[x] * ch;
        const o = outRow + x * ch;
        for (let b = 0; b < ch; b++) out[o + b] = src[p + b];
      }
    }
    yo += a4;
  }
  return out;
}

/**
 * Resizes HWC bytes to outW×outH like PIL's `Image.resize` (box = whole image, no reducing_gap).
 * Horizontal pass first, over only the rows the vertical pass reads; an axis whose size is
 * unchanged is not resampled; the same size returns a copy.
 */
export function resample(
  src: Uint8Array,
  inW: number,
  inH: number,
  ch: number,
  outW: number,
  outH: number,
  filter: ResamplingCode,
): Uint8Array {
  if (src.length !== inW * inH * ch) {
    throw new VisionError(`resample: ${inW}x${inH}x${ch} needs ${inW * inH * ch} bytes, but got ${src.length}`);
  }
  if (!(Number.isInteger(outW) && Number.isInteger(outH) && outW >= 1 && outH >= 1)) {
    throw new VisionError(`resample: height and width must be positive integers, but got ${outW}x${outH}`);
  }
  if (outW === inW && outH === inH) return src.slice();
  if (filter === Resampling.NEAREST) return nearest(src, inW, inH, ch, outW, outH);
  const f = FILTERS[filter];
  if (f === undefined) throw new VisionError(`resample: unknown filter code ${filter}`);

  const needH = outW !== inW;
  const needV = outH !== inH;
  const cv = precomputeCoeffs(inH, outH, f);
  let img = src;
  let w = inW;
  let shift = 0;
  if (needH) {
    const ch_ = precomputeCoeffs(inW, outW, f);
    const first = cv.bounds[0];
    const last = cv.bounds[outH * 2 - 2] + cv.bounds[outH * 2 - 1];
    img = horizontal(src, inW, ch, outW, last - first, first, ch_);
    w = outW;
    shift = first;
  }
  if (needV) img = vertical(img, w, ch, outH, cv, shift);
  return img;
}
