/**
 * @file Decoding an image file's bytes to raw 8-bit pixels, in a browser (replaces imageCodec.ts
 * in the browser bundle): the browser's own decoders through `createImageBitmap`, read back from
 * an `OffscreenCanvas`. Works in a page and in a worker.
 *
 * What may differ from sharp and PIL (docs/browser.md has the measured numbers): a JPEG's inverse
 * DCT and chroma upsampling are the browser's (Chromium's gave PIL's pixels exactly on every
 * fixture; another browser's decoder may not); a canvas stores premultiplied alpha, so a
 * semi-transparent pixel's colour may differ; the browser applies a JPEG's EXIF orientation,
 * which PIL ignores (createImageBitmap has no option to leave it). PNG is lossless: equal pixels. Grey and alpha are read from the file's header (PNG colour type and tRNS, JPEG
 * component count), since the canvas hands every image over as RGBA.
 */
import type { DecodedImage } from "./imageCodec";

export type { DecodedImage } from "./imageCodec";

/** Whether the file's header says grey: a PNG of colour type 0 or 4, or a one-component JPEG. */
function isGrey(bytes: Uint8Array): boolean {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes.length > 25) return bytes[25] === 0 || bytes[25] === 4;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1];
      const length = (bytes[at + 2] << 8) | bytes[at + 3];
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[at + 9] === 1;
      at += 2 + length;
    }
  }
  return false;
}

/** Whether a PNG says it has alpha: colour type 4 or 6, or a tRNS chunk (PIL then gives LA/RGBA even when every pixel is opaque). */
function pngHasAlpha(bytes: Uint8Array): boolean | undefined {
  if (!(bytes[0] === 0x89 && bytes[1] === 0x50 && bytes.length > 25)) return undefined;
  if (bytes[25] === 4 || bytes[25] === 6) return true;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (type === "tRNS") return true;
    if (type === "IDAT" || type === "IEND") return false;
    at += 12 + length;
  }
  return false;
}

export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const g = globalThis as any; // tsconfig has no DOM lib
  const bitmap = await g.createImageBitmap(new g.Blob([bytes]), { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const { width, height } = bitmap;
  const canvas = new g.OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba: Uint8Array = new Uint8Array(context.getImageData(0, 0, width, height).data.buffer);
  // Alpha as PIL keeps it: a PNG by its header; other formats when some pixel is not opaque.
  let alpha = pngHasAlpha(bytes);
  if (alpha === undefined) {
    alpha = false;
    for (let i = 3; i < rgba.length && !alpha; i += 4) alpha = rgba[i] !== 255;
  }
  const channels = alpha ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += channels) {
    data[q] = rgba[p];
    data[q + 1] = rgba[p + 1];
    data[q + 2] = rgba[p + 2];
    if (channels === 4) data[q + 3] = rgba[p + 3];
  }
  return { width, height, channels, data, space: isGrey(bytes) ? "grey" : "srgb" };
}
