/**
 * PIL's Image.resize, every filter, against scripts/fixtures/vision.py: L, LA, RGB and RGBA
 * sources, down by odd factors, up, and one axis up with the other down. The tolerance the issue
 * sets is 1 grey level; the resampler is meant to be exact, so these expect 0 differing bytes.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Resampling, resample, precomputeCoeffs } from "../../src/vision/resample";
import { expected, levelDiff, manifest, source } from "./helpers";

const Resize = suite("Image.resize vs PIL 9.4");

const cases = Object.entries(manifest).filter(([k, e]) => k.startsWith("resize_") && typeof e.filter === "string");

Resize("the fixture covers 6 filters x 4 modes", () => {
  assert.is(new Set(cases.map(([, e]) => e.filter)).size, 6);
  assert.is(new Set(cases.map(([, e]) => e.mode)).size, 4);
});

for (const [name, entry] of cases) {
  Resize(`${entry.filter} ${entry.mode} ${entry.source} → ${entry.size.join("x")} equals PIL`, async () => {
    const img = await source(entry.source);
    const out = img.resize(entry.size, entry.pil_code);
    const want = expected(name);
    assert.equal([out.height, out.width, out.channels], [want.shape[0], want.shape[1], want.shape[2] ?? 1]);
    const { differing, maxLevels } = levelDiff(out.data, want.data);
    assert.ok(maxLevels <= 1, `max |Δ| ${maxLevels} levels (> 1)`);
    assert.is(differing, 0, `${differing} of ${want.data.length} bytes differ from PIL`);
  });
}

Resize("same size returns an equal copy", async () => {
  const img = await source("rgb_23x17.png");
  const out = img.resize([23, 17], Resampling.BILINEAR);
  assert.is.not(out.data, img.data);
  assert.equal(out.data, img.data);
});

Resize("a 1x1 bilinear downscale of a 2x2 averages it, rounding half up", () => {
  // [[0, 1], [2, 4]] → (0 + 1 + 2 + 4) / 4 = 1.75 → 2
  const out = resample(new Uint8Array([0, 1, 2, 4]), 2, 2, 1, 1, 1, Resampling.BILINEAR);
  assert.equal([...out], [2]);
});

Resize("bilinear 4 → 2 taps are 3/7, 3/7, 1/7 in 22-bit fixed point", () => {
  // scale 2 widens the triangle to support 2; output 0 centres on 1.0, so taps x = 0, 1, 2 weigh
  // tri((x - 1 + 0.5) / 2) = 0.75, 0.75, 0.25, normalised by 1.75; output 1 is the mirror image.
  const c = precomputeCoeffs(4, 2, { support: 1, f: (x) => Math.max(0, 1 - Math.abs(x)) });
  const q = (w: number) => Math.trunc(0.5 + w * 2 ** 22);
  assert.is(c.ksize, 5);
  assert.equal([...c.bounds], [0, 3, 1, 3]);
  assert.equal([...c.kk.slice(0, 3), ...c.kk.slice(5, 8)], [q(3 / 7), q(3 / 7), q(1 / 7), q(1 / 7), q(3 / 7), q(3 / 7)]);
});

Resize("an unknown filter code is an error", () => {
  assert.throws(() => resample(new Uint8Array(4), 2, 2, 1, 3, 3, 9 as any), /unknown filter code 9/);
});

Resize.run();
