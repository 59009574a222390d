/**
 * @file SVG to PNG in the browser bundle (replaces svgPng.ts): nothing. The kernel runs in a Web
 * Worker, which has no DOM to parse an SVG and whose createImageBitmap does not decode SVG, so the
 * caller shows the SVG itself (a notebook renders image/svg+xml as well as PNG).
 */
export async function svgToPng(_svg: string): Promise<Uint8Array | undefined> {
  return undefined;
}
