/**
 * @file Decoding an image file's bytes to raw 8-bit pixels, in Node: sharp (libvips). The browser
 * bundle replaces this file with imageCodec.browser.ts. vision/image.ts turns the pixels into
 * PIL's modes; resizing never happens here (vision/resample.ts is PIL-exact on raw pixels).
 */
import sharp from "sharp";

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 to 4 interleaved bands; for `cmyk`, the 4 inks (or 5 with alpha). */
  channels: number;
  data: Uint8Array;
  /** How to read the bands: sRGB (or grey, alpha last), grey stored as sRGB (equal bands), or CMYK inks. */
  space: "srgb" | "grey" | "cmyk";
}

// PIL does not rotate by EXIF or apply ICC profiles; a truncated file is an error for PIL too,
// while sharp's default would also refuse files with mere warnings that PIL opens.
const DECODE: sharp.SharpOptions = { failOn: "truncated", autoOrient: false, ignoreIcc: true, pages: 1 };

/** Raw pixels of a JPEG, PNG, WebP, GIF (first frame) or TIFF; throws the decoder's own message. */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta = await sharp(input, DECODE).metadata();
  const cmyk = meta.space === "cmyk";
  let pipeline = sharp(input, DECODE);
  if (cmyk) pipeline = pipeline.pipelineColourspace("cmyk").toColourspace("cmyk");
  const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  const space = cmyk ? "cmyk" : meta.space === "b-w" || meta.space === "grey16" ? "grey" : "srgb";
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), space };
}
