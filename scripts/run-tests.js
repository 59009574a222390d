#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (through ts-node) and ends with the plain line
// "N passed, N failed[, N skipped]" that CI reads (skipped: tests that need an optional package
// that is not installed, test/helpers/optional.ts); the exit code is 1 when any test failed.
//
// The files run in groups (a folder, or one slow file), each its own uvu process, several at a
// time: most tests are single-threaded CPU work, so on 2 cores two groups at once take about half
// the time. Each group's output is printed whole when it ends, so groups never interleave, and
// its wall time is kept in .cache/test-times.json to start the slowest groups first next time.
//
//   node scripts/run-tests.js                 every test, STRIPES_TEST_JOBS (default: the cores, at most 4) at a time
//   node scripts/run-tests.js cli/doctor      only the files whose path under test/ contains this text
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
const testDir = path.join(root, "test");
const uvu = path.join(root, "node_modules", "uvu", "bin.js");

// The tests' own cache folder, emptied first: no test reads or writes the user's (convert caches
// optimised models there, fetch keeps downloads), and no earlier run's entries are reused.
const cache = path.join(root, ".cache", "test-cache");
fs.rmSync(cache, { recursive: true, force: true });
// And its own home and Jupyter folders: no test sees this machine's kernels (a system-wide
// `stripes kernel install` as root included: jupyter_core's platformdirs mode reads the system's
// folders from XDG_DATA_DIRS), its Jupyter config, or anything the user keeps under HOME.
const home = path.join(root, ".cache", "test-home");
fs.rmSync(home, { recursive: true, force: true });
fs.mkdirSync(home, { recursive: true });
const env = {
  ...process.env,
  STRIPES_CACHE: cache,
  HOME: home,
  XDG_CACHE_HOME: path.join(home, ".cache"),
  XDG_CONFIG_HOME: path.join(home, ".config"),
  XDG_DATA_HOME: path.join(home, ".local", "share"),
  XDG_DATA_DIRS: path.join(home, "system"),
  JUPYTER_PLATFORM_DIRS: "1",
  JUPYTER_PATH: "",
  JUPYTER_CONFIG_DIR: path.join(home, ".jupyter"),
  JUPYTER_DATA_DIR: path.join(home, ".local", "share", "jupyter"),
  JUPYTER_RUNTIME_DIR: path.join(home, ".local", "share", "jupyter", "runtime"),
};

/** Every test file, as its path under test/ with forward slashes. */
function testFiles(dir = testDir, prefix = "") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === "fixtures" || e.name === "helpers" ? [] : testFiles(path.join(dir, e.name), `${prefix}${e.name}/`);
    return e.name.endsWith(".test.ts") ? [`${prefix}${e.name}`] : [];
  });
}

// Files that take tens of seconds each (lessons run on a kernel, long training runs) run as groups
// of their own, so they spread over the workers; the rest run one group per folder, which pays
// ts-node's and tfjs's start-up once per folder.
const ALONE = /^(jupyter\/|kernel\/|lessons\/ganGame\/ganGame|lessons\/tinyCycleGan\/fallback|cli\/commands|cli\/convert)/;

const filter = process.argv[2];
const files = testFiles().filter((f) => !filter || f.includes(filter)).sort();
const groups = new Map();
for (const f of files) {
  const key = ALONE.test(f) ? f : f.includes("/") ? f.slice(0, f.indexOf("/") + 1) : "(top level)";
  groups.set(key, [...(groups.get(key) ?? []), f]);
}

const timesFile = path.join(root, ".cache", "test-times.json");
let times = {};
try {
  times = JSON.parse(fs.readFileSync(timesFile, "utf8"));
} catch {
  // first run: start the groups with the most bytes of tests first
}
const estimate = (key) => times[key] ?? groups.get(key).reduce((n, f) => n + fs.statSync(path.join(testDir, f)).size, 0) / 1000;
const queue = [...groups.keys()].sort((a, b) => estimate(b) - estimate(a));

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const jobs = Math.max(1, Number(process.env.STRIPES_TEST_JOBS) || Math.min(4, os.availableParallelism?.() ?? os.cpus().length));

let passed = 0;
let total = 0;
let skipped = 0;
let brokenGroups = 0;
const started = Date.now();

/** Runs one group's files in one uvu process; resolves when it has ended and been printed. */
function runGroup(key) {
  const pattern = `^(${groups.get(key).map(escape).join("|")})$`;
  const t0 = Date.now();
  return new Promise((resolve) => {
    // Each group its own cache folder: groups that run at once never see each other's entries.
    const groupEnv = { ...env, STRIPES_CACHE: path.join(cache, key.replace(/[^a-zA-Z0-9]+/g, "-")) };
    const child = spawn(process.execPath, [uvu, "test", pattern, "-r", "ts-node/register"], { cwd: root, env: groupEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("close", (code) => {
      const seconds = (Date.now() - t0) / 1000;
      times[key] = Math.round(seconds * 10) / 10;
      const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
      const t = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const p = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      // uvu's Total leaves out skipped tests (never registered as run), so they are not subtracted.
      const s = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      total += t;
      passed += p;
      skipped += s;
      // A group that crashed before its summary, or ran no test at all, counts as one failure.
      if ((code !== 0 && t === p) || t + s === 0) brokenGroups++;
      process.stdout.write(`${out}\n── ${key}: ${seconds.toFixed(1)} s${code === 0 ? "" : `, exit ${code}`}\n`);
      resolve();
    });
  });
}

async function worker() {
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) await runGroup(key);
}

Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker)).then(() => {
  if (!filter) {
    try {
      fs.writeFileSync(timesFile, JSON.stringify(times, null, 1) + "\n");
    } catch {
      // only an ordering hint for the next run
    }
  }
  const failed = total - passed + brokenGroups;
  process.stdout.write(`\n${groups.size} groups of ${files.length} files, ${jobs} at a time, in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
});
