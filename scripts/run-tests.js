#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (through ts-node), passes its output through, and ends
// with the plain line "N passed, N failed[, N skipped]" that CI reads (skipped: tests that need an
// optional package that is not installed, test/helpers/optional.ts); the exit code is uvu's.
const { spawn } = require("node:child_process");
const path = require("node:path");

const uvu = path.join(__dirname, "..", "node_modules", "uvu", "bin.js");
const args = [uvu, "test", "\\.test\\.ts$", "-r", "ts-node/register", ...process.argv.slice(2)];
const root = path.join(__dirname, "..");
// The tests' own cache folder, emptied first: no test reads or writes the user's (convert caches
// optimised models there, fetch keeps downloads), and no earlier run's entries are reused.
const cache = path.join(root, ".cache", "test-cache");
require("node:fs").rmSync(cache, { recursive: true, force: true });
// And its own home and Jupyter folders: no test sees this machine's kernels (a system-wide
// `stripes kernel install` as root included: jupyter_core's platformdirs mode reads the system's
// folders from XDG_DATA_DIRS), its Jupyter config, or anything the user keeps under HOME.
const home = path.join(root, ".cache", "test-home");
require("node:fs").rmSync(home, { recursive: true, force: true });
require("node:fs").mkdirSync(home, { recursive: true });
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
const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });

let out = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on("close", (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  // uvu's Total leaves out skipped tests (never registered as run), so they are not subtracted.
  const failed = code === 0 ? total - passed : Math.max(1, total - passed);
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  process.exitCode = code ?? 1;
});
