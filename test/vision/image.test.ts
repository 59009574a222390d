/**
 * Image: decoding (modes and pixels as PIL gives them), PIL's mode conversions, crop, saving
 * atomically, and the one-line errors for bad files. Expected pixels come from
 * scripts/fixtures/vision.py (PIL 9.4).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import sharp from "sharp";
import { Image } from "../../src/vision/image";
import { ImageError } from "../../src/vision/errors";
import { StripesError } from "../../src/errors";
import { fixturePath } from "../helpers/fixtures";
import { AREA, expected, levelDiff, manifest, source } from "./helpers";
import { test as countCheck } from "uvu";

const tmp = mkdtempSync(join(tmpdir(), "stripes-image-"));
const jpeg = readFileSync(fixturePath(AREA, "photo_96x72.jpg"));

const Open = suite("Image.open");

for (const [file, mode, w, h] of [
  ["rgb_120x90.png", "RGB", 120, 90],
  ["rgb_61x97.png", "RGB", 61, 97],
  ["l_75x50.png", "L", 75, 50],
  ["rgba_48x71.png", "RGBA", 48, 71],
  ["la_33x21.png", "LA", 33, 21],
] as const) {
  Open(`${file} opens as ${mode} ${w}x${h}, as PIL reports it`, async () => {
    const img = await source(file);
    assert.is(img.mode, mode);
    assert.equal(img.size, [w, h]);
    assert.is(img.data.length, w * h * img.channels);
    assert.is(img.filename, fixturePath(AREA, file));
  });
}

Open("a JPEG decodes to PIL's pixels (libjpeg-turbo in both)", async () => {
  const img = await source("photo_96x72.jpg");
  const want = expected("decode_photo_96x72_jpg");
  assert.is(img.mode, "RGB");
  const { differing, maxLevels } = levelDiff(img.data, want.data);
  assert.ok(maxLevels <= 1, `max |Δ| ${maxLevels} levels`);
  assert.is(differing, 0, `${differing} bytes differ from PIL's decode`);
});

for (const [name, e] of Object.entries(manifest).filter(([k]) => k.startsWith("open_")) as [string, any][]) {
  Open(`${e.source} (PIL mode ${e.pil_mode}) opens as ${e.mode} with PIL's convert("${e.mode}") pixels`, async () => {
    const img = await source(e.source);
    assert.is(img.mode, e.mode);
    assert.equal(levelDiff(img.data, expected(name).data), { differing: 0, maxLevels: 0 });
  });
}

Open("a JPEG missing only its end marker opens, as in PIL", async () => {
  const img = await Image.open(jpeg.subarray(0, jpeg.length - 2));
  assert.equal(img.data, (await source("photo_96x72.jpg")).data);
});

Open("opens a Buffer as well as a path", async () => {
  const img = await Image.open(readFileSync(fixturePath(AREA, "rgb_23x17.png")));
  assert.equal(img.data, (await source("rgb_23x17.png")).data);
  assert.is(img.filename, undefined);
});

// Formats sharp writes losslessly round-trip to the same pixels; palette and GIF come back as RGB.
for (const [ext, write, mode, lossless] of [
  [".webp", (s: sharp.Sharp) => s.webp({ lossless: true }), "RGB", true],
  [".tiff", (s: sharp.Sharp) => s.tiff({ compression: "lzw" }), "RGB", true],
  [".gif", (s: sharp.Sharp) => s.gif(), "RGB", false],
  [".palette.png", (s: sharp.Sharp) => s.png({ palette: true }), "RGB", false],
] as const) {
  Open(`${ext} opens as ${mode}${lossless ? " with the same pixels" : ""}`, async () => {
    const src = await source("rgb_23x17.png");
    const path = join(tmp, `src${ext}`);
    await write(sharp(src.data, { raw: { width: 23, height: 17, channels: 3 } })).toFile(path);
    const img = await Image.open(path);
    assert.is(img.mode, mode);
    assert.equal(img.size, [23, 17]);
    if (lossless) assert.equal(img.data, src.data);
  });
}

Open("EXIF orientation is ignored, as PIL does", async () => {
  const src = await source("rgb_23x17.png");
  const path = join(tmp, "rotated.jpg");
  await sharp(src.data, { raw: { width: 23, height: 17, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg().toFile(path);
  assert.is((await sharp(path).metadata()).orientation, 6);
  assert.equal((await Image.open(path)).size, [23, 17]);
});

const Errors = suite("Image.open errors");
const png = readFileSync(fixturePath(AREA, "rgb_61x97.png"));
writeFileSync(join(tmp, "truncated.jpg"), jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
writeFileSync(join(tmp, "truncated97.jpg"), jpeg.subarray(0, Math.floor(jpeg.length * 0.97)));
writeFileSync(join(tmp, "truncated.png"), png.subarray(0, Math.floor(png.length * 0.6)));
writeFileSync(join(tmp, "notes.png"), "not an image\n");
writeFileSync(join(tmp, "empty.jpg"), "");
mkdirSync(join(tmp, "folder.png"));

// Each bad file and the one-line message it must give (netron-style corpus).
const BAD: [string, RegExp][] = [
  ["missing.jpg", /^.*missing\.jpg: no such file$/],
  ["notes.png", /^.*notes\.png: not an image \(unrecognised format\)$/],
  ["empty.jpg", /^.*empty\.jpg: empty file, not an image$/],
  ["folder.png", /^.*folder\.png: is a folder, not an image file$/],
  ["truncated.jpg", /^.*truncated\.jpg: image file is truncated \(.*\)$/],
  ["truncated.png", /^.*truncated\.png: image file is truncated \(.*\)$/],
  ["truncated97.jpg", /^.*truncated97\.jpg: image file is truncated \(premature end of JPEG image\)$/],
];
for (const [file, message] of BAD) {
  Errors(`${file} → ${message.source}`, async () => {
    const path = join(tmp, file);
    const err = await Image.open(path).then(() => undefined, (e) => e);
    assert.instance(err, ImageError);
    assert.instance(err, StripesError);
    assert.is(err.file, path);
    assert.ok(err.message.startsWith(`${path}: `), err.message);
    assert.not.match(err.message, /\n/);
    assert.match(err.message, message);
  });
}

Errors("truncated files opened all at once each say so (libvips' error buffer is shared)", async () => {
  const files = Array.from({ length: 24 }, (_, i) => join(tmp, i % 2 ? "truncated.png" : "truncated.jpg"));
  const errs = await Promise.all(files.map((f) => Image.open(f).then(() => undefined, (e) => e)));
  for (const [i, err] of errs.entries()) assert.match(err?.message ?? "", /: image file is truncated \(/, `open #${i}: ${err?.message}`);
});

Errors("a bad buffer is named <buffer>", async () => {
  const err = await Image.open(Buffer.from("nope")).then(() => undefined, (e) => e);
  assert.is(err.message, "<buffer>: not an image (unrecognised format)");
});

const Convert = suite("Image.convert vs PIL 9.4");

for (const [name, entry] of Object.entries(manifest).filter(([k]) => k.startsWith("convert_"))) {
  Convert(`${entry.first} → ${entry.to} equals PIL`, async () => {
    const img = (await source(entry.source)).convert(entry.first).convert(entry.to);
    assert.is(img.mode, entry.to);
    assert.equal(levelDiff(img.data, expected(name).data), { differing: 0, maxLevels: 0 });
  });
}

Convert("L is ITU-R 601-2 luma rounded as PIL: (299, 587, 114) / 1000", () => {
  // pure red 255 → 255 * 0.299 = 76.2 → 76; pure green → 149.7 → 150; pure blue → 29.07 → 29
  const img = new Image(3, 1, "RGB", new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]));
  assert.equal([...img.convert("L").data], [76, 150, 29]);
});

Convert("an unknown mode is an error", async () => {
  assert.throws(() => (new Image(1, 1, "L", new Uint8Array(1)) as any).convert("P"), /cannot convert to mode 'P'/);
});

const Misc = suite("Image crop, repr, constructor");

Misc("crop outside the image fills zeros, as PIL", () => {
  // 2x2 L [[1, 2], [3, 4]] cropped to [-1, 0, 2, 3] → rows [0, 1, 2], [0, 3, 4], [0, 0, 0]
  const img = new Image(2, 2, "L", new Uint8Array([1, 2, 3, 4]));
  assert.equal([...img.crop([-1, 0, 2, 3]).data], [0, 1, 2, 0, 3, 4, 0, 0, 0]);
});

Misc("repr is PIL-like and inspect gives it outside a notebook", () => {
  const img = new Image(316, 256, "RGB", new Uint8Array(316 * 256 * 3));
  assert.is(String(img), "<Image mode=RGB size=316x256>");
  assert.is(inspect(img), "<Image mode=RGB size=316x256>");
});

Misc("the constructor checks the byte count", () => {
  assert.throws(() => new Image(2, 2, "RGB", new Uint8Array(11)), /a 2x2 RGB image needs 12 bytes, but got 11/);
});

const Save = suite("Image.save");

for (const ext of [".png", ".webp", ".tiff"]) {
  Save(`${ext} keeps the mode${ext === ".webp" ? "" : " and the pixels"}`, async () => {
    for (const file of ["rgb_23x17.png", "l_75x50.png", "rgba_19x13.png", "la_33x21.png"]) {
      const img = await source(file);
      const path = join(tmp, `saved-${file}${ext}`);
      if (ext === ".webp" && img.channels < 3) continue; // WebP has no grey mode
      await img.save(path);
      const back = await Image.open(path);
      assert.is(back.mode, img.mode, `${file}${ext}`);
      if (ext !== ".webp") assert.equal(back.data, img.data, `${file}${ext}`);
    }
  });
}

Save("JPEG is written at PIL's quality 75 and reopens close to the original", async () => {
  const img = await source("rgb_120x90.png");
  const path = join(tmp, "saved.jpg");
  await img.save(path);
  const back = await Image.open(path);
  assert.equal(back.size, img.size);
  assert.ok(levelDiff(back.data, img.data).maxLevels < 128);
  // Quality 75 is in the file as its quantisation tables: libjpeg's (PIL's) scaling of the
  // JPEG spec's Annex K tables, by 200 - 2·75 = 50 %.
  assert.equal(quantisationTables(readFileSync(path)), [ANNEX_K_LUMA, ANNEX_K_CHROMA].map((t) => t.map((q) => Math.floor((q * 50 + 50) / 100))));
});

/** ITU T.81 Annex K, tables K.1 (luminance) and K.2 (chrominance), in natural (row) order. */
const ANNEX_K_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const ANNEX_K_CHROMA_TOP_LEFT = [17, 18, 24, 47, 18, 21, 26, 66, 24, 26, 56, 99, 47, 66, 99, 99]; // 4×4; the rest is 99
const ANNEX_K_CHROMA = Array.from({ length: 64 }, (_, i) => ((i >> 3) < 4 && (i & 7) < 4 ? ANNEX_K_CHROMA_TOP_LEFT[(i >> 3) * 4 + (i & 7)] : 99));

/** A baseline JPEG's 8-bit quantisation tables (DQT segments, stored in zigzag order) in natural order. */
function quantisationTables(jpg: Buffer): number[][] {
  const natural: number[] = []; // zigzag position → natural index: anti-diagonals, alternating direction
  for (let s = 0; s < 15; s++) {
    const diagonal = Array.from({ length: 8 }, (_, y) => [y, s - y]).filter(([, x]) => x >= 0 && x < 8);
    for (const [y, x] of s % 2 ? diagonal : diagonal.reverse()) natural.push(y * 8 + x);
  }
  const tables: number[][] = [];
  for (let at = 2; at + 4 <= jpg.length && jpg[at] === 0xff && jpg[at + 1] !== 0xda; at += 2 + jpg.readUInt16BE(at + 2)) {
    if (jpg[at + 1] !== 0xdb) continue;
    const end = at + 2 + jpg.readUInt16BE(at + 2);
    for (let t = at + 4; t < end; t += 65) {
      const table = new Array<number>(64);
      for (let i = 0; i < 64; i++) table[natural[i]] = jpg[t + 1 + i];
      tables[jpg[t] & 0x0f] = table;
    }
  }
  return tables;
}

Save("leaves no temporary file behind, on success or failure", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stripes-save-"));
  const img = await source("rgb_23x17.png");
  await img.save(join(dir, "a.png"));
  await img.save(join(dir, "a.png")); // overwrite
  await img.save(join(dir, "b.bmp")).catch(() => undefined);
  assert.equal(readdirSync(dir), ["a.png"]);
});

Save("a missing folder is one line naming the file", async () => {
  const path = join(tmp, "no", "such", "dir", "out.png");
  const err = await (await source("rgb_23x17.png")).save(path).then(() => undefined, (e) => e);
  assert.instance(err, ImageError);
  assert.is(err.message, `${path}: cannot write: no such folder '${join(tmp, "no", "such", "dir")}'`);
  assert.not.match(err.message, /\n|\.tmp/);
  assert.not.ok(existsSync(path));
});

Save("a failed rename (the target is a folder) removes the temporary file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stripes-save-"));
  mkdirSync(join(dir, "taken.png"));
  const err = await (await source("rgb_23x17.png")).save(join(dir, "taken.png")).then(() => undefined, (e) => e);
  assert.instance(err, ImageError);
  assert.match(err.message, /taken\.png: cannot write \(a folder has that name\)$/);
  assert.not.match(err.message, /\n|\.tmp/);
  assert.equal(readdirSync(dir), ["taken.png"]);
});

Save("an unknown extension is refused before writing", async () => {
  const path = join(tmp, "out.bmp");
  const err = await (await source("rgb_23x17.png")).save(path).then(() => undefined, (e) => e);
  assert.match(err.message, /out\.bmp: unsupported image format '\.bmp' \(use \.png, \.jpg/);
  assert.not.ok(existsSync(path));
});

Open.run();
Errors.run();
Convert.run();
Misc.run();
Save.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 6 open_ cases", () => {
  assert.is(Object.keys(manifest).filter((k) => k.startsWith("open_")).length, 6);
});
countCheck("the manifest holds all 12 convert_ cases", () => {
  assert.is(Object.keys(manifest).filter((k) => k.startsWith("convert_")).length, 12);
});
countCheck.run();
