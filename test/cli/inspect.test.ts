import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { main } from "../../src/cli/main";
import { cli } from "../helpers/cli";
import { fixturePath } from "../helpers/fixtures";
import { manifest } from "../torch/expected";
import { test as countCheck } from "uvu";

/** Runs `stripes ...args` in this process, capturing what it writes. */
async function stripes(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(["node", "stripes", ...args]);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const close = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

const Inspect = suite("stripes inspect");

for (const name of Object.keys(manifest.checkpoints)) {
  Inspect(`--json ${name}: PyTorch's names, dtypes, shapes, min, max, sum and mean`, async () => {
    const { code, stdout, stderr } = await stripes("inspect", "--json", fixturePath("torch", name));
    assert.is(stderr, "");
    assert.is(code, 0);
    // Integers beyond 2^53 are exact literals: quote them before JSON.parse rounds them.
    const got = JSON.parse(stdout.replace(/(?<=[:\[,]\s*)(-?\d{17,})(?=\s*[,}\]])/g, '"$1"'));
    // A checkpoint that is one tensor lists it as "(root)".
    const expected = Object.fromEntries(Object.entries(manifest.checkpoints[name].tensors).map(([k, v]) => [k || "(root)", v]));
    assert.equal(Object.keys(got).sort(), Object.keys(expected).sort());
    for (const [key, e] of Object.entries(expected)) {
      const g = got[key];
      assert.is(g.dtype, e.dtype, key);
      assert.equal(g.shape, e.shape, key);
      if (e.values.length === 0) {
        assert.equal([g.min, g.max, g.mean, g.sum], [null, null, null, 0], key);
        continue;
      }
      if (e.dtype.startsWith("float") || e.dtype === "bfloat16") {
        assert.is(g.min, e.min, key); // exact: one of the stored values
        assert.is(g.max, e.max, key);
        assert.ok(close(g.sum, e.sum as number), `${key}: sum ${g.sum} vs PyTorch ${e.sum}`); // summation order differs
        assert.ok(close(g.mean, e.mean!), `${key}: mean ${g.mean} vs PyTorch ${e.mean}`);
      } else {
        assert.is(String(g.min), String(e.min), key); // integers: exact
        assert.is(String(g.max), String(e.max), key);
        assert.is(String(g.sum), String(e.sum), key);
        assert.ok(close(g.mean, e.mean!), key);
      }
    }
  });
}

Inspect("int64 beyond 2^53 is printed exactly", async () => {
  const { stdout } = await stripes("inspect", "--json", fixturePath("torch", "int64_big.legacy.pth"));
  assert.match(stdout, /"big": \{ "dtype": "int64", "shape": \[3\], "min": -4611686018427387904, "max": 1099511627776, /);
  assert.equal(manifest.checkpoints["int64_big.legacy.pth"].tensors.big.min, "-4611686018427387904");
});

Inspect("text output: one aligned line per tensor, in file order", async () => {
  const { code, stdout } = await stripes("inspect", fixturePath("torch", "state_dict.legacy.pth"));
  assert.is(code, 0);
  const lines = stdout.trimEnd().split("\n");
  const keys = (manifest.checkpoints["state_dict.legacy.pth"].value as { $dict: [string, unknown][] }).$dict.map(([k]) => k);
  assert.equal(lines.map((l) => l.split(/\s+/)[0]), keys);
  assert.match(lines[0], /^model\.1\.weight\s+float32\s+\[4, 3, 3, 3\]\s+min -?\d\.\d+\s+max \d\.\d+\s+mean -?\d/);
  assert.match(lines[6], /^model\.3\.num_batches_tracked\s+int64\s+\[\]\s+min 0\s+max 0\s+mean 0$/);
});

Inspect("a truncated file: one line on stderr naming it, exit 1, nothing on stdout", () => {
  const r = cli("inspect", fixturePath("torch", "bad", "truncated.legacy.pth"));
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
  assert.is(r.stderr, "stripes: truncated.legacy.pth: truncated: storage 140000000064 needs 8 bytes at byte 449, 3 left\n");
});

Inspect("a pickle calling os.system is refused and runs nothing", async () => {
  // One real process (each costs seconds to start), the other files in this process.
  for (const [i, file] of ["os-system.legacy.pth", "os-system.zip.pth", "eval-stack-global.zip.pth", "inst.legacy.pth"].entries()) {
    assert.ok(manifest.payload_runs[file], `plain pickle runs ${file}'s payload`);
    rmSync(manifest.marker, { force: true });
    const r = i === 0 ? cli("inspect", "--json", fixturePath("torch", "bad", file)) : await stripes("inspect", "--json", fixturePath("torch", "bad", file));
    assert.is("status" in r ? r.status : r.code, 1);
    assert.is(r.stdout, "");
    assert.match(r.stderr, new RegExp(`^stripes: ${file.replace(/\./g, "\\.")}: refusing global (posix|os|builtins)\\.(system|eval): not allowed in a checkpoint\n$`));
    assert.not.ok(existsSync(manifest.marker), `${file}'s payload did not run`);
  }
});

Inspect("a missing file and a missing argument are user errors", async () => {
  const missing = await stripes("inspect", "nope.pth");
  assert.is(missing.code, 1);
  assert.is(missing.stderr, "stripes: nope.pth: cannot read: no such file\n");
  const usage = await stripes("inspect");
  assert.is(usage.code, 1);
});

Inspect("a checkpoint naming one list 2^60 ways is refused, not walked forever", async () => {
  // x0 = [], x(n+1) = [xn, xn]: 61 objects, 2^60 paths.
  let pkl = "\x80\x02]";
  for (let i = 0; i < 60; i++) pkl += "q\x00](h\x00h\x00e";
  const dir = mkdtempSync(join(tmpdir(), "stripes-inspect-"));
  const file = join(dir, "dag.pth");
  writeFileSync(file, zipSync({ "archive/data.pkl": Buffer.from(pkl + ".", "latin1"), "archive/version": Buffer.from("3\n") }, { level: 0 }));
  const r = await stripes("inspect", file);
  rmSync(dir, { recursive: true, force: true });
  assert.is(r.code, 1);
  assert.is(r.stderr, "stripes: dag.pth: more than 1000000 objects to list\n");
});

Inspect.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 17 checkpoints", () => {
  assert.is(Object.keys(manifest.checkpoints).length, 17);
});
countCheck.run();
