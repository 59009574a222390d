/** @file An SVG picture rasterised to PNG bytes, in Node: sharp (librsvg). */
import sharp from "sharp";

/** The SVG as PNG bytes; undefined where nothing can rasterise it (see svgPng.browser.ts). */
export async function svgToPng(svg: string): Promise<Uint8Array | undefined> {
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}
