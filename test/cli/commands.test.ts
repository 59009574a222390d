/**
 * Registering the commands is cheap: each action loads its implementation when it runs. Checked
 * in a fresh process (this file shares its module cache with the other tests) by listing the
 * modules in require.cache once the command has finished: the built CLI when it is fresh (npm
 * test builds first), else the sources through ts-node.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, distIsFresh } from "../helpers/cli";
import { fixturePath } from "../helpers/fixtures";
import { withOrt } from "../helpers/optional";

let tmp = "";
const Lazy = suite("the CLI loads a command's implementation only when it runs");
Lazy.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-lazy-"));
});
Lazy.after.each(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs `stripes ARGS` in a child process; its exit code and the packages it had loaded by the end. */
function loadedBy(...args: string[]): { code: number; stderr: string; packages: string[] } {
  const main = distIsFresh() ? "./dist/cli/main" : "./src/cli/main";
  const out = join(tmp, "loaded.json");
  const script =
    `require(${JSON.stringify(main)}).main(["node", "stripes", ...process.argv.slice(1)]).then((code) => ` +
    `require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({ code, loaded: Object.keys(require.cache) })));`;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script, "--", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, STRIPES_CACHE: join(tmp, "cache") },
  });
  assert.is(r.status, 0, r.stderr);
  const { code, loaded } = JSON.parse(readFileSync(out, "utf8")) as { code: number; loaded: string[] };
  // node_modules/@scope/name/… or node_modules/name/… → the package's name
  const packages = loaded.flatMap((file) => {
    const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    return m ? [m[1].replace(/\\/g, "/")] : [];
  });
  return { code, stderr: r.stderr, packages: [...new Set(packages)].sort() };
}

const tensorflow = (packages: string[]) => packages.filter((p) => p.startsWith("@tensorflow/"));

Lazy("stripes --help loads no TensorFlow.js, sharp, onnxruntime or ZeroMQ", () => {
  const { code, packages } = loadedBy("--help");
  assert.is(code, 0);
  assert.ok(packages.includes("commander"), `the probe sees the packages loaded: ${packages}`);
  assert.equal(packages.filter((p) => /^(@tensorflow\/|sharp$|onnxruntime-node$|zeromq$)/.test(p)), []);
});

withOrt(Lazy, "stripes convert served from the model cache loads no TensorFlow.js (a miss does)", () => {
  const convert = (out: string) =>
    loadedBy("convert", "--weights", fixturePath("convert", "gen-rgb-zip.pth"), fixturePath("convert", "photos", "a.png"),
      "--size", "24", "--engine", "onnx", "-j", "1", "-q", "-o", join(tmp, out));
  const miss = convert("miss.png");
  assert.is(miss.code, 0, miss.stderr);
  assert.ok(tensorflow(miss.packages).length > 0, "a miss reads the checkpoint into tfjs to export it");
  const hit = convert("hit.png");
  assert.is(hit.code, 0, hit.stderr);
  assert.equal(tensorflow(hit.packages), []);
  assert.ok(hit.packages.includes("onnxruntime-node"), `${hit.packages}`);
  assert.ok(readFileSync(join(tmp, "hit.png")).equals(readFileSync(join(tmp, "miss.png"))));
});

Lazy.run();
