/**
 * @file PNG bytes of 8-bit RGB pixels, each drawn as a `scale`×`scale` square: the lessons' small
 * pictures (32 × 32 drawings, patch verdicts) enlarged without blurring. Done here in plain code
 * and vision/png.ts's encoder rather than with sharp, so that the same pictures appear in the room,
 * where sharp (a native Node module) does not exist.
 */
import { encodePng } from "../../vision/png";

export function scaledPng(rgb: Uint8Array, width: number, height: number, scale: number): Uint8Array {
  const s = Math.max(1, Math.round(scale));
  if (s === 1) return encodePng(rgb, width, height, 3);
  const out = new Uint8Array(width * s * height * s * 3);
  const rowBytes = width * s * 3;
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * s * rowBytes, (y * s + 1) * rowBytes);
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      for (let k = 0; k < s; k++) row.set(rgb.subarray(from, from + 3), (x * s + k) * 3);
    }
    for (let k = 1; k < s; k++) out.copyWithin((y * s + k) * rowBytes, y * s * rowBytes, (y * s + 1) * rowBytes);
  }
  return encodePng(out, width * s, height * s, 3);
}
