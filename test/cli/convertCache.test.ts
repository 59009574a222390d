import { suite } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripesInProcess } from "../helpers/cli";
import { cacheKey, readEntry } from "../../src/cli/convertCache";
import { withOrt } from "../helpers/optional";
import { fixturePath } from "../helpers/fixtures";

const F = (...p: string[]) => fixturePath("convert", ...p);

const stripes = stripesInProcess;

let tmp = "";
let savedCache: string | undefined;
const Cache = suite("stripes convert's model cache");
Cache.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-convert-cache-"));
  savedCache = process.env.STRIPES_CACHE;
  process.env.STRIPES_CACHE = join(tmp, "cache");
});
Cache.after.each(() => {
  if (savedCache === undefined) delete process.env.STRIPES_CACHE;
  else process.env.STRIPES_CACHE = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

const entries = () => readdirSync(join(tmp, "cache", "onnx")).filter((f) => f.endsWith(".ortmodel"));
const convert = (weights: string, out: string) =>
  stripes("convert", "--weights", weights, F("photos/a.png"), "--size", "24", "--engine", "onnx", "-j", "1", "-q", "-o", join(tmp, out));

withOrt(Cache, "a miss writes one entry in STRIPES_CACHE; a hit gives the same output bytes", async () => {
  const miss = await convert(F("gen-rgb-zip.pth"), "miss.png");
  assert.is(miss.code, 0, miss.stderr);
  assert.is(miss.stderr, "");
  assert.is(entries().length, 1);
  const entry = join(tmp, "cache", "onnx", entries()[0]);
  assert.ok(readEntry(entry) !== null, "the entry checks out");
  const before = readFileSync(entry);
  const hit = await convert(F("gen-rgb-zip.pth"), "hit.png");
  assert.is(hit.code, 0, hit.stderr);
  assert.is(hit.stderr, "");
  assert.ok(readFileSync(entry).equals(before), "a hit does not rewrite the entry");
  assert.ok(readFileSync(join(tmp, "hit.png")).equals(readFileSync(join(tmp, "miss.png"))));
});

withOrt(Cache, "a changed checkpoint (other bytes, same path) is a new key, not the stale model", async () => {
  const weights = join(tmp, "g.pth");
  copyFileSync(F("gen-rgb-zip.pth"), weights);
  assert.is((await convert(weights, "a.png")).code, 0);
  copyFileSync(F("gen-gray-zip.pth"), weights); // a 1-channel generator under the same name
  const r = await convert(weights, "b.png");
  assert.is(r.code, 0, r.stderr);
  assert.is(entries().length, 2);
  // A fresh run on the gray checkpoint, without the cache, gives the same picture.
  process.env.STRIPES_CACHE = join(tmp, "cache2");
  assert.is((await convert(F("gen-gray-zip.pth"), "c.png")).code, 0);
  assert.ok(readFileSync(join(tmp, "b.png")).equals(readFileSync(join(tmp, "c.png"))));
  assert.not.ok(readFileSync(join(tmp, "b.png")).equals(readFileSync(join(tmp, "a.png"))));
});

withOrt(Cache, "the key follows the checkpoint's bytes and the thread count", () => {
  const a = readFileSync(F("gen-rgb-zip.pth"));
  const b = Buffer.from(a);
  b[b.length - 100] ^= 1;
  assert.is(cacheKey(a, 1), cacheKey(Buffer.from(a), 1));
  assert.is.not(cacheKey(a, 1), cacheKey(b, 1));
  assert.is.not(cacheKey(a, 1), cacheKey(a, 2));
});

withOrt(Cache, "a truncated or garbage entry is ignored and rewritten", async () => {
  assert.is((await convert(F("gen-rgb-zip.pth"), "miss.png")).code, 0);
  const entry = join(tmp, "cache", "onnx", entries()[0]);
  const good = readFileSync(entry);
  for (const spoil of [() => truncateSync(entry, Math.floor(good.length / 2)), () => writeFileSync(entry, "not a model\n")]) {
    spoil();
    assert.is(readEntry(entry), null);
    const r = await convert(F("gen-rgb-zip.pth"), "again.png");
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, "");
    assert.ok(readFileSync(join(tmp, "again.png")).equals(readFileSync(join(tmp, "miss.png"))));
    // onnxruntime's saved model is not byte-stable from run to run, so: whole again, and served.
    assert.ok(readEntry(entry) !== null, "rewritten whole");
    const rewritten = readFileSync(entry);
    assert.is((await convert(F("gen-rgb-zip.pth"), "hit.png")).code, 0);
    assert.ok(readFileSync(entry).equals(rewritten), "the rewritten entry is a hit");
    assert.ok(readFileSync(join(tmp, "hit.png")).equals(readFileSync(join(tmp, "miss.png"))));
    rmSync(join(tmp, "hit.png"));
    rmSync(join(tmp, "again.png"));
  }
  assert.equal(readdirSync(join(tmp, "cache", "onnx")), [entries()[0]], "no temporary files left");
});

withOrt(Cache, "no writable cache folder: the job still runs, with one warning line", async () => {
  writeFileSync(join(tmp, "file"), "");
  process.env.STRIPES_CACHE = join(tmp, "file", "cache"); // under a file: cannot be made
  const r = await convert(F("gen-rgb-zip.pth"), "out.png");
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^stripes: cache folder .*file.cache.onnx is not writable \(ENOTDIR\)/);
  rmSync(join(tmp, "file"));
  process.env.STRIPES_CACHE = join(tmp, "cache");
  assert.is((await convert(F("gen-rgb-zip.pth"), "ref.png")).code, 0);
  assert.ok(readFileSync(join(tmp, "out.png")).equals(readFileSync(join(tmp, "ref.png"))));
});

Cache.run();
