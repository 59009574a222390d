/**
 * @file `Image`: PIL's Image for the book's cells — decoded and encoded by sharp, resized by our
 * PIL-exact resampler, converted with PIL's integer formulas.
 *
 * Modes are PIL's 8-bit ones: L, LA, RGB, RGBA. Where PIL would report another mode, `open`
 * converts and says so here:
 * - P (palette PNG, GIF) → RGB, or RGBA when the palette has transparency (PIL's
 *   `convert("RGB")`/`convert("RGBA")` pixels; PIL's own resize would fall back to NEAREST on P
 *   and ToTensor would give palette indices, which no learner wants);
 * - 1 (bilevel) → L with 0/255;
 * - CMYK JPEG → RGB with PIL's naive `cmyk2rgb`, as `Image.open(f).convert("RGB")` gives;
 * - 16-bit PNG → 8-bit (PIL keeps grey as mode I; sharp rounds to 8 bits).
 * Like PIL, `open` ignores EXIF orientation and embedded ICC profiles, and GIF gives its first frame.
 */
import { rename, stat, unlink } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { inspect } from "node:util";
import sharp from "sharp";
import { decodeImage } from "../platform/imageCodec";
import { readBytes } from "../platform/files";
import { RUNTIME } from "../platform/runtime";
import { tempPathFor, writeProblem } from "../atomicWrite";
import { messageOf, oneLine, readProblem } from "../errors";
import { display } from "../notebook/display";
import { CHANNELS, MODES, Mode, cmykToRgb, convertPixels, modeFor, premultiply, unpremultiply } from "./convert";
import { ImageError, VisionError } from "./errors";
import { encodePng } from "./png";
import { Resampling, ResamplingCode, resample } from "./resample";

export type { Mode } from "./convert";

// Output formats by file extension; JPEG at PIL's default quality 75.
const FORMATS: Record<string, (s: sharp.Sharp) => sharp.Sharp> = {
  ".png": (s) => s.png(),
  ".jpg": (s) => s.jpeg({ quality: 75 }),
  ".jpeg": (s) => s.jpeg({ quality: 75 }),
  ".webp": (s) => s.webp(),
  ".tif": (s) => s.tiff({ compression: "lzw" }),
  ".tiff": (s) => s.tiff({ compression: "lzw" }),
  ".gif": (s) => s.gif(),
};

/**
 * Whether a file that failed to decode stops before its format's end marker. libvips keeps one
 * error buffer per process, so when several images decode at once a failure can arrive as
 * "Unknown error"; the bytes themselves still say whether the file was cut short.
 */
function endsEarly(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return !Buffer.from(bytes.subarray(Math.max(0, n - 12))).includes("IEND");
  if (starts(0xff, 0xd8)) return !Buffer.from(bytes.subarray(Math.max(0, n - 64))).includes(Buffer.from([0xff, 0xd9]));
  if (starts(0x47, 0x49, 0x46)) return bytes[n - 1] !== 0x3b; // GIF trailer ';'
  if (starts(0x52, 0x49, 0x46, 0x46) && n >= 8) return Buffer.from(bytes).readUInt32LE(4) + 8 > n; // RIFF (WebP) size
  return false;
}

/** sharp's and libvips' messages span lines and name no file; this makes one line of them. */
function decodeProblem(err: unknown, bytes: Uint8Array): string {
  const text = oneLine(messageOf(err));
  if (/unsupported image format/i.test(text)) return "not an image (unrecognised format)";
  if (/premature end|end of stream|truncat|unexpected end|not enough data|read error/i.test(text)) {
    return `image file is truncated (${text.replace(/^\w+: /, "")})`;
  }
  if (endsEarly(bytes)) return "image file is truncated (it ends before its end marker)";
  return `cannot decode image (${text})`;
}

const fsProblem = (err: NodeJS.ErrnoException) => readProblem(err, "an image file");

export class Image {
  /** PIL's resampling filter codes, as `Image.Resampling.BILINEAR` in PIL. */
  static readonly Resampling = Resampling;

  readonly width: number;
  readonly height: number;
  readonly mode: Mode;
  /** Pixels, row-major HWC bytes: `data[(y * width + x) * channels + c]`. */
  readonly data: Uint8Array;
  /** The path it was opened from, if any (PIL's `filename`). */
  filename?: string;

  constructor(width: number, height: number, mode: Mode, data: Uint8Array) {
    if (!MODES.includes(mode)) throw new VisionError(`Image: unknown mode '${mode}' (choose one of ${MODES.join(", ")})`);
    const n = width * height * CHANNELS[mode];
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new VisionError(`Image: size must be positive integers, but got ${width}x${height}`);
    }
    if (data.length !== n) throw new VisionError(`Image: a ${width}x${height} ${mode} image needs ${n} bytes, but got ${data.length}`);
    this.width = width;
    this.height = height;
    this.mode = mode;
    this.data = data;
  }

  /**
   * Decodes a JPEG, PNG, WebP, GIF (first frame) or TIFF file or buffer.
   *
   * **Example**
   * ```ts
   * const img = await Image.open("horse.jpg");
   * img   // <Image mode=RGB size=1500x1220>
   * ```
   */
  static async open(source: string | Uint8Array): Promise<Image> {
    const file = typeof source === "string" ? source : "<buffer>";
    let bytes: Uint8Array;
    if (typeof source === "string") {
      try {
        bytes = await readBytes(source);
      } catch (err) {
        throw new ImageError(file, fsProblem(err as NodeJS.ErrnoException));
      }
    } else {
      bytes = source;
    }
    if (bytes.length === 0) throw new ImageError(file, "empty file, not an image");

    let img: Image;
    try {
      const { width, height, channels, data: raw, space } = await decodeImage(bytes);
      if (space === "cmyk") {
        img = new Image(width, height, "RGB", cmykToRgb(raw.length === width * height * 4 ? raw : convertCmykAlpha(raw)));
      } else {
        // sharp hands grey images over as sRGB; the channels are equal, keep one (and alpha).
        img = new Image(width, height, modeFor(channels), raw.slice());
        if (space === "grey") img = img.convert(channels % 2 === 0 ? "LA" : "L");
      }
    } catch (err) {
      if (err instanceof ImageError) throw err;
      throw new ImageError(file, decodeProblem(err, bytes));
    }
    if (typeof source === "string") img.filename = source;
    return img;
  }

  /** `[width, height]`, as PIL's `size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** Bands per pixel: 1 for L, 2 for LA, 3 for RGB, 4 for RGBA. */
  get channels(): number {
    return CHANNELS[this.mode];
  }

  /** Converts between L, LA, RGB and RGBA with PIL's formulas (L is ITU-R 601-2 luma). */
  convert(mode: Mode): Image {
    if (!MODES.includes(mode)) throw new VisionError(`Image.convert: cannot convert to mode '${mode}' (choose one of ${MODES.join(", ")})`);
    return new Image(this.width, this.height, mode, convertPixels(this.data, this.mode, mode));
  }

  copy(): Image {
    return new Image(this.width, this.height, this.mode, this.data.slice());
  }

  /**
   * Resizes to `[width, height]` exactly as PIL 9.4's `Image.resize` (default BICUBIC, as PIL's).
   * RGBA and LA are premultiplied by alpha around the resampling, except for NEAREST.
   */
  resize(size: [number, number], resample_: ResamplingCode = Resampling.BICUBIC): Image {
    const [w, h] = size;
    if (!(Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0)) {
      throw new VisionError(`Image.resize: height and width must be positive integers, but got [${size}]`);
    }
    if (w === this.width && h === this.height) return this.copy();
    const ch = this.channels;
    const alpha = (ch === 2 || ch === 4) && resample_ !== Resampling.NEAREST;
    const src = alpha ? premultiply(this.data, ch as 2 | 4) : this.data;
    let out = resample(src, this.width, this.height, ch, w, h, resample_);
    if (alpha) out = unpremultiply(out, ch as 2 | 4);
    return new Image(w, h, this.mode, out);
  }

  /** PIL's `crop([left, top, right, bottom])`; parts outside the image are zero. */
  crop(box: [number, number, number, number]): Image {
    const [l, t, r, b] = box;
    if (![l, t, r, b].every(Number.isInteger) || r < l || b < t) {
      throw new VisionError(`Image.crop: box must be integers with right >= left and bottom >= top, but got [${box}]`);
    }
    const w = r - l;
    const h = b - t;
    const ch = this.channels;
    const out = new Uint8Array(w * h * ch);
    const x0 = Math.max(l, 0);
    const x1 = Math.min(r, this.width);
    for (let y = Math.max(t, 0); y < Math.min(b, this.height); y++) {
      if (x1 <= x0) break;
      out.set(this.data.subarray((y * this.width + x0) * ch, (y * this.width + x1) * ch), ((y - t) * w + (x0 - l)) * ch);
    }
    return new Image(w, h, this.mode, out);
  }

  /**
   * Writes the image, in the format its extension names (.png, .jpg/.jpeg, .webp, .tif/.tiff,
   * .gif), to a temporary file beside `path` that is then renamed, so that `path` is never
   * half-written.
   */
  async save(path: string): Promise<void> {
    const ext = extname(path).toLowerCase();
    const format = FORMATS[ext];
    if (format === undefined) {
      throw new ImageError(path, `unsupported image format '${ext || "(no extension)"}' (use ${Object.keys(FORMATS).join(", ")})`);
    }
    // A kernel in a browser has no folder of its own to write to: the lesson goes on, and the
    // learner is told how to keep the picture.
    if (RUNTIME === "browser") {
      console.log(`${path}: not saved (the kernel runs in the browser and has no folder to write to); right-click the picture and choose "Save image as"`);
      return;
    }
    const dir = dirname(path);
    const where = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (where instanceof Error || !where.isDirectory()) {
      throw new ImageError(path, `cannot write: no such folder '${dir}'`);
    }
    const tmp = tempPathFor(path);
    let input = sharp(this.data, { raw: { width: this.width, height: this.height, channels: this.channels as 1 | 2 | 3 | 4 } });
    if (this.channels <= 2) input = input.toColourspace("b-w"); // else sharp writes grey as sRGB
    try {
      await format(input).toFile(tmp);
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new ImageError(path, `cannot write (${writeProblem(err, tmp)})`);
    }
  }

  /** The image as PNG bytes, synchronously (for notebook display). */
  _repr_png_(): Uint8Array {
    return encodePng(this.data, this.width, this.height, this.channels);
  }

  /**
   * How a notebook shows the image (Jupyter's display convention, Symbol.for("Jupyter.display")):
   * the picture, and the repr as text. The stripes kernel asks this of a cell's last value.
   */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "image/png": Buffer.from(this._repr_png_()).toString("base64"), "text/plain": this.toString() };
  }

  /** Shows the image as a cell output in a notebook; elsewhere prints its repr. */
  show(): void {
    if (display.inNotebook()) display(this);
    else console.log(`${this.toString()} (not in a notebook: use save(path) to look at it)`);
  }

  /** PIL-like repr: `<Image mode=RGB size=316x256>`. */
  toString(): string {
    return `<Image mode=${this.mode} size=${this.width}x${this.height}>`;
  }

  /** How `console.log` prints an image: its repr. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** CMYK with an extra alpha band (rare): drops the alpha, as PIL has no CMYKA mode. */
function convertCmykAlpha(raw: Uint8Array): Uint8Array {
  const n = raw.length / 5;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) out.set(raw.subarray(i * 5, i * 5 + 4), i * 4);
  return out;
}
