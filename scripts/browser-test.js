#!/usr/bin/env node
// Runs the real-browser tests (test/browser/*.browser.ts: JupyterLab 4 + ipywidgets 8 in their own
// virtualenv, Debian's Chromium through playwright-core) one after another, outside npm test (they
// need Python packages and take minutes). Each test prints its checks and a "browser: N passed,
// N failed" line; this adds them up into "browser tests: N passed, N failed" for .ci/run. A test
// that cannot have what it needs prints "ci: SKIPPED … (missing: …)" and counts nothing.
// Exit code: 1 when a check failed, else 0 (skips included). Arguments: test files to run instead.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dir = path.join(root, "test", "browser");
const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : fs.readdirSync(dir).filter((f) => f.endsWith(".browser.ts")).sort().map((f) => path.join(dir, f));

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  console.log(`browser test: ${path.relative(root, file)}`);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", timeout: 20 * 60 * 1000 });
  process.stdout.write(r.stdout ?? "");
  const m = /^browser: (\d+) passed, (\d+) failed(, skipped)?$/m.exec(r.stdout ?? "");
  if (!m) {
    console.log(`  ✗ ${path.basename(file)} ended without its summary line (${r.error ? r.error.message : `exit ${r.status}`})`);
    failed++;
    continue;
  }
  passed += Number(m[1]);
  failed += Number(m[2]);
  if (m[3]) skipped++;
}
console.log(`browser tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} file(s) skipped` : ""}`);
process.exitCode = failed > 0 ? 1 : 0;
