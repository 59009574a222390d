import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Image } from "../../src/vision/image";
import { cli, stripesInProcess } from "../helpers/cli";
import { useDefaultBackend } from "../helpers/backend";
import { HAS_ORT, withOrt } from "../helpers/optional";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { test as countCheck } from "uvu";

const F = (...p: string[]) => fixturePath("convert", ...p);
const manifest = readManifest("convert");

const stripes = stripesInProcess;

/** Every file under dir, relative, sorted (temp files would show up here). */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function maxLevelDiff(a: string, b: string): Promise<number> {
  const [x, y] = [await Image.open(a), await Image.open(b)];
  assert.equal([x.mode, ...x.size], [y.mode, ...y.size], `${a} vs ${b}`);
  let m = 0;
  for (let i = 0; i < x.data.length; i++) m = Math.max(m, Math.abs(x.data[i] - y.data[i]));
  return m;
}

let tmp = "";
const Convert = suite("stripes convert");
Convert.before(async () => {
  await useDefaultBackend(); // in-process: not whatever backend the file before left
});
Convert.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-convert-"));
});
Convert.after.each(() => rmSync(tmp, { recursive: true, force: true }));

for (const c of manifest.cases) {
  for (const engine of ["onnx", "tfjs"]) {
    (engine === "onnx" ? (name: string, fn: () => Promise<void>) => withOrt(Convert, name, fn) : Convert)(`${c.weights} on ${c.image}, --size ${c.size ?? "none"}, --engine ${engine}: PyTorch's image within 1 level`, async () => {
      const out = join(tmp, "out.png");
      const r = await stripes("convert", "--weights", F(c.weights), F(c.image), "--size", String(c.size ?? "none"),
        "--engine", engine, "-o", out, "-q");
      assert.is(r.code, 0, r.stderr);
      assert.is(r.stderr, "");
      const diff = await maxLevelDiff(out, F(c.expected));
      assert.ok(diff <= 1, `max level difference ${diff}`);
    });
  }
}

Convert("a folder is converted recursively into a mirrored folder of PNGs, with a summary naming the engine", async () => {
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos"), "--size", "24", "-j", "2", "-o", join(tmp, "zebras"));
  assert.is(r.code, 0, r.stderr);
  assert.equal(files(join(tmp, "zebras")), ["a.png", "sub/b.png"]);
  // auto: onnx where onnxruntime-node loads, else tfjs (npm ci --omit=optional)
  assert.match(r.stderr, HAS_ORT ? /^engine: onnxruntime-node \S+, 2 threads$/m : /^engine: TensorFlow\.js \S+ on \w+; onnxruntime-node is not available/m);
  assert.match(r.stderr, /^\[[12]\/2\] .*b\.png → .*sub\/b\.png/m, r.stderr);
  assert.match(r.stderr, new RegExp(`^converted 2 images in [\\d.]+ s \\([\\d.]+ images/s, ${HAS_ORT ? "onnx" : "tfjs"}\\)$`, "m"));
  assert.ok((await maxLevelDiff(join(tmp, "zebras", "sub", "b.png"), F("expected/gen-rgb-zip--b--24.png"))) <= 1);
});

Convert("--quiet prints nothing; --jobs 1 gives the same image", async () => {
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos/a.png"), "--size", "24", "-j", "1", "-q", "-o", join(tmp, "a.png"));
  assert.is(r.code, 0);
  assert.is(r.stderr, "");
  assert.ok((await maxLevelDiff(join(tmp, "a.png"), F("expected/gen-rgb-zip--a--24.png"))) <= 1);
});

Convert("a batch with bad inputs converts the good ones, lists the bad ones and exits 2", async () => {
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos"), F("bad/truncated.png"),
    F("bad/not-an-image.png"), join(tmp, "missing.jpg"), "--size", "24", "-o", join(tmp, "out"));
  assert.is(r.code, 2, r.stderr);
  assert.equal(files(join(tmp, "out")), ["a.png", "sub/b.png"]);
  assert.match(r.stderr, /^stripes: .*missing\.jpg: no such file or folder$/m);
  assert.match(r.stderr, /^stripes: .*truncated\.png: image file is truncated/m, r.stderr);
  assert.match(r.stderr, /^stripes: .*not-an-image\.png: not an image/m);
  assert.match(r.stderr, /^converted 2 images .*; 3 failed: /m);
});

// Bad input of every kind: one line naming the file, exit ≠ 0, nothing written.
const badRuns: [string, string[], RegExp][] = [
  ["missing image", [F("gen-rgb-zip.pth"), "NOPE.png"], /NOPE\.png: no such file or folder/],
  ["not an image", [F("gen-rgb-zip.pth"), F("bad/not-an-image.png")], /not-an-image\.png: not an image/],
  ["truncated image", [F("gen-rgb-zip.pth"), F("bad/truncated.png")], /truncated\.png: image file is truncated/],
  ["missing checkpoint", [join("nowhere", "x.pth"), F("gray.png")], /x\.pth: cannot read: no such file/],
  ["not a checkpoint", [F("bad/not-a-checkpoint.pth"), F("gray.png")], /not-a-checkpoint\.pth: not a PyTorch checkpoint/],
  ["malicious checkpoint", [F("bad/malicious.pth"), F("gray.png")], /malicious\.pth: refusing global posix\.system/],
  ["truncated zip checkpoint", [F("bad/truncated-zip.pth"), F("gray.png")], /truncated-zip\.pth: truncated/],
  ["truncated legacy checkpoint", [F("bad/truncated-legacy.pth"), F("gray.png")], /truncated-legacy\.pth: truncated/],
  ["non-generator checkpoint", [F("bad/discriminator.pth"), F("gray.png")],
    /discriminator\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight .*; it has model\.0\.weight/],
  // Judged from keys and shapes before values, so not reported as its int64 beyond int32.
  ["non-generator checkpoint holding an int64 beyond int32", [fixturePath("torch", "int64_big.zip.pth"), F("gray.png")],
    /int64_big\.zip\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight/],
  // Once a stack trace and exit 70 ("no 8-bit mode has 5 channels"); a user's file: one line, exit 1.
  ["generator with 5 input channels", [fixturePath("errors", "gen-5ch.pth"), F("gray.png")],
    /gen-5ch\.pth: a generator with 5 input channels; stripes convert reads and writes images, which have 1 to 4 \(L, LA, RGB, RGBA\)$/m],
];

for (const [name, [weights, input], message] of badRuns) {
  Convert(`${name}: one line naming the file, exit 1, no output`, async () => {
    const out = join(tmp, "out", "zebra.png");
    const r = await stripes("convert", "--weights", weights, input, "-o", out);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("stripes:"));
    assert.is(errors.length, 1, r.stderr);
    assert.not.match(r.stderr, /\n\s+at /); // no stack trace
    assert.equal(files(tmp), []);
  });
}

Convert("an unwritable output is one line, exit 1, and leaves no temporary file", async () => {
  writeFileSync(join(tmp, "file"), "a file where a folder should be");
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos/a.png"), "--size", "24", "-o", join(tmp, "file", "z.png"));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /file: is not a folder, so .*z\.png cannot be written inside it$/m);
  assert.equal(files(tmp), ["file"]);
});

Convert("-o /dev/null/g.png: /dev/null is not a folder (not mkdir's EEXIST), exit 1, before any work", async () => {
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos/a.png"), "-o", "/dev/null/g.png");
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, "stripes: /dev/null: is not a folder, so /dev/null/g.png cannot be written inside it\n");
});

Convert("an existing output is an error unless --force", async () => {
  const out = join(tmp, "z.png");
  writeFileSync(out, "old");
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos/a.png"), "--size", "24", "-o", out);
  assert.is(r.code, 1);
  assert.match(r.stderr, /z\.png: already exists \(use --force to overwrite\)/);
  assert.is(readFileSync(out, "utf8"), "old");
  const forced = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos/a.png"), "--size", "24", "-o", out, "--force", "-q");
  assert.is(forced.code, 0, forced.stderr);
  assert.ok((await maxLevelDiff(out, F("expected/gen-rgb-zip--a--24.png"))) <= 1);
});

Convert("several inputs with an existing file as -o: one line, exit 1, the file untouched", async () => {
  const out = join(tmp, "z.png");
  writeFileSync(out, "old");
  const r = await stripes("convert", "--weights", F("gen-rgb-zip.pth"), F("photos"), "--size", "24", "-o", out);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /z\.png: is a file, but several inputs need an output folder/);
  assert.equal(files(tmp), ["z.png"]);
  assert.is(readFileSync(out, "utf8"), "old");
});

Convert("one photo into an existing folder keeps its name, as PNG", async () => {
  mkdirSync(join(tmp, "out"));
  const r = await stripes("convert", "--weights", F("gen-gray-zip.pth"), F("gray.png"), "--size", "20", "-q", "-o", join(tmp, "out"));
  assert.is(r.code, 0, r.stderr);
  assert.equal(files(tmp), ["out/gray.png"]);
  assert.ok((await maxLevelDiff(join(tmp, "out", "gray.png"), F("expected/gen-gray-zip--gray--20.png"))) <= 1);
});

Convert("a single output's format comes from its extension; an unknown one is refused", async () => {
  const r = await stripes("convert", "--weights", F("gen-gray-zip.pth"), F("gray.png"), "--size", "20", "-q", "-o", join(tmp, "g.jpg"));
  assert.is(r.code, 0, r.stderr);
  assert.equal([...readFileSync(join(tmp, "g.jpg")).subarray(0, 2)], [0xff, 0xd8]); // JPEG SOI
  const bad = await stripes("convert", "--weights", F("gen-gray-zip.pth"), F("gray.png"), "-o", join(tmp, "g.xyz"));
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /g\.xyz: unknown output format '\.xyz'/);
});

Convert("bad option values are usage errors", async () => {
  for (const args of [["--size", "0"], ["--size", "big"], ["--jobs", "0"], ["--engine", "gpu"]]) {
    const r = await stripes("convert", ...args, F("gray.png"), "-o", join(tmp, "x.png"));
    assert.is(r.code, 1, args.join(" "));
  }
  assert.equal(files(tmp), []);
});

Convert("the real CLI: --help lists convert and export, --version prints the version", () => {
  const help = cli("--help");
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, /convert \[options\] \[inputs\.\.\.\]/);
  assert.match(help.stdout, /export \[options\]/);
  const convertHelp = cli("convert", "--help").stdout;
  for (const opt of ["--weights", "--output", "--size", "--engine", "--jobs", "--force", "--quiet"]) assert.ok(convertHelp.includes(opt), opt);
  assert.is(cli("--version").stdout.trim(), require("../../package.json").version);
});

Convert.run();

// `stripes export`
const Export = suite("stripes export");
Export.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-export-"));
});
Export.after.each(() => rmSync(tmp, { recursive: true, force: true }));

withOrt(Export, "writes an ONNX model that onnxruntime runs on any size, giving PyTorch's output", async () => {
  const out = join(tmp, "g.onnx");
  const r = await stripes("export", "--weights", F("gen-gray-zip.pth"), "-o", out);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote .*g\.onnx .*ResNetGenerator\(input_nc=1, output_nc=1, ngf=2, n_blocks=1\)/);
  const ort = require("onnxruntime-node");
  const session = await ort.InferenceSession.create(readFileSync(out));
  for (const [h, w] of [[20, 20], [13, 31]]) {
    const y = await session.run({ input: new ort.Tensor("float32", new Float32Array(h * w).fill(0.5), [1, 1, h, w]) });
    assert.is(y.output.dims[1], 1);
  }
  // Two sizes PyTorch ran (20×20 and 20×26, whose output is 20×28): its numbers within 1e-4.
  for (const name of ["gen-gray-zip--gray--20", "gen-gray-zip--a--20"]) {
    const x = readArray("convert", `${name}.input`);
    const expected = readArray("convert", `${name}.output`);
    const y = await session.run({ input: new ort.Tensor("float32", x.data, x.shape) });
    assert.equal([...y.output.dims], expected.shape, name);
    const diff = maxAbsDiff(y.output.data, expected.data);
    assert.ok(diff < 1e-4, `${name}: max |onnx - torch| = ${diff}`);
  }
  await session.release();
});

Export("a non-generator checkpoint is one line and writes nothing", async () => {
  const r = await stripes("export", "--weights", F("bad/discriminator.pth"), "-o", join(tmp, "d.onnx"));
  assert.is(r.code, 1);
  assert.match(r.stderr, /discriminator\.pth: not a ResNet CycleGAN generator checkpoint/);
  assert.equal(files(tmp), []);
});

Export.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 6 convert cases (each on onnx and tfjs)", () => {
  assert.is(manifest.cases.length, 6);
});
countCheck.run();
