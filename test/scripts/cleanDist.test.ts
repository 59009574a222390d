/**
 * scripts/clean-dist.js, run by `npm run build` before tsc: what tsc wrote for a source that is
 * gone leaves dist/, what exists or what other build steps wrote stays.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const SCRIPT = join(__dirname, "..", "..", "scripts", "clean-dist.js");

/** Runs `body` on a scratch package folder, with `put` writing a file (and its folders) in it. */
function inScratchRoot(body: (root: string, put: (rel: string) => void) => void): void {
  const root = mkdtempSync(join(tmpdir(), "stripes-clean-dist-"));
  try {
    body(root, (rel) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), "x");
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test("a moved source's .js, .d.ts and .js.map go; the folder that replaced it, other builds' files and JSON stay", () => {
  inScratchRoot((root, put) => {
    ["src/lessons/ganGame/index.ts", "src/engine/onnx-proto.json", "src/index.ts"].forEach(put);
    const kept = ["dist/index.js", "dist/index.d.ts", "dist/lessons/ganGame/index.js", "dist/engine/onnx-proto.json", "dist/browser/stripes.js", "dist/room/app/index.js", "dist/tfjs-core-registrations.js"];
    const gone = ["dist/lessons/ganGame.js", "dist/lessons/ganGame.d.ts", "dist/lessons/ganGame.js.map", "dist/backend.js", "dist/old/only.js"];
    [...kept, ...gone].forEach(put);
    const out = execFileSync(process.execPath, [SCRIPT, root], { encoding: "utf8" });
    assert.match(out, /removed 5 file/);
    for (const f of kept) assert.ok(existsSync(join(root, f)), `${f} kept`);
    for (const f of gone) assert.not.ok(existsSync(join(root, f)), `${f} removed`);
    assert.not.ok(existsSync(join(root, "dist/old")), "an emptied folder goes too");
  });
});

test("tsc's build info stays while every source's .js is there, and goes when one is missing (tsc --incremental would not write it again)", () => {
  inScratchRoot((root, put) => {
    ["src/index.ts", "src/nn/module.ts", "src/shims.d.ts", "dist/index.js", "dist/nn/module.js", "dist/.tsbuildinfo"].forEach(put);
    execFileSync(process.execPath, [SCRIPT, root]);
    assert.ok(existsSync(join(root, "dist/.tsbuildinfo")), "all built: the info is kept (a .d.ts source has no .js)");
    rmSync(join(root, "dist/nn/module.js"));
    execFileSync(process.execPath, [SCRIPT, root]);
    assert.not.ok(existsSync(join(root, "dist/.tsbuildinfo")), "a .js missing: the info goes");
  });
});

test.run();
