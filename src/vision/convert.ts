/**
 * @file PIL's 8-bit mode conversions, byte for byte, on HWC pixel arrays.
 *
 * Porting note: follows Pillow 9.4 src/libImaging/Convert.c: `rgb2l` (ITU-R 601-2 luma in
 * 16-bit fixed point, `L24`), `rgbA2rgba` / `rgba2rgbA` (premultiplying alpha for resize, with
 * MULDIV255 and truncating division), `lA2la` / `la2lA`, `cmyk2rgb`; and Palette.c's expansion of
 * palette images.
 */

import { VisionError } from "./errors";
export type Mode = "L" | "LA" | "RGB" | "RGBA";
export const MODES: readonly Mode[] = ["L", "LA", "RGB", "RGBA"];
export const CHANNELS: Record<Mode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };

/** The mode PIL gives an 8-bit image with this many channels. */
export function modeFor(channels: number): Mode {
  const mode = MODES.find((m) => CHANNELS[m] === channels);
  if (mode === undefined) throw new VisionError(`an 8-bit image has 1 to 4 channels (L, LA, RGB, RGBA), not ${channels}`);
  return mode;
}

// ITU-R 601-2 luma: L = R·299/1000 + G·587/1000 + B·114/1000, as PIL's L24 rounds it.
const luma = (r: number, g: number, b: number): number => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

// Convert.c's MULDIV255: a·b/255 rounded, in integers.
const muldiv255 = (a: number, b: number): number => {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
};

/** Converts pixels between PIL's 8-bit modes as `Image.convert` does (alpha dropped or set to 255). */
export function convertPixels(data: Uint8Array, from: Mode, to: Mode): Uint8Array {
  if (from === to) return data.slice();
  const cin = CHANNELS[from];
  const cout = CHANNELS[to];
  const n = data.length / cin;
  const out = new Uint8Array(n * cout);
  const colour = from === "RGB" || from === "RGBA";
  const alpha = from === "LA" || from === "RGBA";
  for (let i = 0, p = 0, o = 0; i < n; i++, p += cin, o += cout) {
    if (to === "L" || to === "LA") {
      out[o] = colour ? luma(data[p], data[p + 1], data[p + 2]) : data[p];
    } else if (colour) {
      out[o] = data[p];
      out[o + 1] = data[p + 1];
      out[o + 2] = data[p + 2];
    } else {
      out[o] = out[o + 1] = out[o + 2] = data[p];
    }
    if (to === "LA" || to === "RGBA") out[o + cout - 1] = alpha ? data[p + cin - 1] : 255;
  }
  return out;
}

/** RGBA → RGBa / LA → La (PIL's premultiplied modes), in place on a copy. */
export function premultiply(data: Uint8Array, channels: 2 | 4): Uint8Array {
  const out = data.slice();
  for (let p = 0; p < out.length; p += channels) {
    const a = out[p + channels - 1];
    for (let c = 0; c < channels - 1; c++) out[p + c] = muldiv255(out[p + c], a);
  }
  return out;
}

/** RGBa → RGBA / La → LA: undoes premultiplication with PIL's truncating division. */
export function unpremultiply(data: Uint8Array, channels: 2 | 4): Uint8Array {
  const out = data;
  for (let p = 0; p < out.length; p += channels) {
    const a = out[p + channels - 1];
    if (a === 255 || a === 0) continue;
    for (let c = 0; c < channels - 1; c++) {
      const v = Math.trunc((255 * out[p + c]) / a);
      out[p + c] = v > 255 ? 255 : v;
    }
  }
  return out;
}

/** CMYK → RGB as PIL's `cmyk2rgb` (no colour management). */
export function cmykToRgb(data: Uint8Array): Uint8Array {
  const n = data.length / 4;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const nk = 255 - data[i * 4 + 3];
    for (let c = 0; c < 3; c++) {
      const v = nk - muldiv255(data[i * 4 + c], nk);
      out[i * 3 + c] = v < 0 ? 0 : v;
    }
  }
  return out;
}
