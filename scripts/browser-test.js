#!/usr/bin/env node
// Runs the real-browser tests (test/browser/*.browser.ts: JupyterLab 4 + ipywidgets 8 in their own
// virtualenv, Debian's Chromium through playwright-core) one after another, outside npm test (they
// need Python packages and take minutes). Each test prints its checks and a "browser: N passed,
// N failed" line; this adds them up into "browser tests: N passed, N failed" for .ci/run. A test
// that cannot have what it needs prints "ci: SKIPPED … (missing: …)" and counts nothing.
// Each file's time is printed, and at the end every failed check again under its file's name, so
// the end of a long CI log says what failed without a search through it.
// Exit code: 1 when a check failed, else 0 (skips included). Arguments: test files to run instead.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dir = path.join(root, "test", "browser");
const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : fs.readdirSync(dir).filter((f) => f.endsWith(".browser.ts")).sort().map((f) => path.join(dir, f));
const LIMIT_MIN = 20;

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of files) {
  const name = path.relative(root, file);
  console.log(`browser test: ${name}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", timeout: LIMIT_MIN * 60 * 1000 });
  const out = r.stdout ?? "";
  process.stdout.write(out);
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  const crosses = out.split("\n").filter((l) => /^\s*✗/.test(l)).map((l) => l.trim().slice(0, 400));
  const m = /^browser: (\d+) passed, (\d+) failed(, skipped)?$/m.exec(out);
  if (!m) {
    const why = r.error?.code === "ETIMEDOUT" ? `stopped after its ${LIMIT_MIN} minutes` : r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    const line = `✗ ${path.basename(file)} ended without its summary line (${why})`;
    console.log(`  ${line}`);
    console.log(`browser test: ${name} took ${secs} s`);
    failures.push({ name, lines: [...crosses, line] });
    failed++;
    continue;
  }
  console.log(`browser test: ${name} took ${secs} s`);
  passed += Number(m[1]);
  failed += Number(m[2]);
  if (m[3]) skipped++;
  if (Number(m[2]) > 0) failures.push({ name, lines: crosses.length ? crosses : [`${m[2]} check(s) failed`] });
}
for (const f of failures) {
  console.log(`browser tests: failed in ${f.name}:`);
  for (const l of f.lines) console.log(`  ${l}`);
}
console.log(`browser tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} file(s) skipped` : ""}`);
process.exitCode = failed > 0 ? 1 : 0;
