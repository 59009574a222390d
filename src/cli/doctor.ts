/**
 * @file `stripes doctor`: checks that this machine can run the lessons, and says how to fix
 * what it cannot. One line per check: ✓ fine, ! works but could be better, ✗ broken.
 * Exit code 0 when nothing is broken, 1 otherwise.
 *
 *   --offline          missing cached weights are a failure, not a warning (a workshop machine)
 *   --python <python>  the Python that runs Jupyter (default: found from `jupyter` on PATH)
 *   --json             the results as JSON on stdout
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../backend";
import { createEngine } from "../engine/engine";
import { ResNetGenerator } from "../models";
import { ARTICLE_FILES, cacheDir, formatBytes, gitBlobSha1OfFile } from "../fetch/fetch";
import { findJupyterPython } from "../jupyter/python";

export type Status = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: Status;
  /** What was found. */
  detail: string;
  /** How to fix it (empty when ok). */
  fix: string;
}

export interface DoctorOptions {
  offline?: boolean;
  python?: string;
  env?: NodeJS.ProcessEnv;
}

const MIN_NODE_MAJOR = 20;
const MIN_FREE_BYTES = 2 * 1024 ** 3; // node_modules, the cache, a few notebooks' outputs

const ok = (name: string, detail: string): CheckResult => ({ name, status: "ok", detail, fix: "" });
const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "warn", detail, fix });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "fail", detail, fix });

export function checkNode(version = process.versions.node): CheckResult {
  const major = Number(version.split(".")[0]);
  return major >= MIN_NODE_MAJOR
    ? ok("Node.js", `${version} (need ≥ ${MIN_NODE_MAJOR})`)
    : fail("Node.js", `${version} is too old (need ≥ ${MIN_NODE_MAJOR})`, `install Node.js ${MIN_NODE_MAJOR} or later (nodejs.org, or nvm install ${MIN_NODE_MAJOR})`);
}

/** Milliseconds per run of `f`, after one warm-up run. */
async function timeIt(f: () => Promise<unknown>, runs: number): Promise<number> {
  await f();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await f();
  return (performance.now() - t0) / runs;
}

/** Waits for an op's outputs to be computed (tfjs may run lazily), then frees them. */
async function settle(out: tf.Tensor | tf.Tensor[]): Promise<void> {
  for (const t of Array.isArray(out) ? out : [out]) {
    await t.data();
    t.dispose();
  }
}

/** The backend, one conv forward (a residual block's, 64 channels at 64×64) and one training step's gradients. */
export async function checkBackend(): Promise<CheckResult[]> {
  let name: string;
  try {
    name = await ready();
  } catch (err) {
    return [fail("backend", (err as Error).message, "reinstall stripes (npm install) so that @tensorflow/tfjs-backend-wasm is present, or set STRIPES_BACKEND=cpu")];
  }
  const x = tf.randomNormal([1, 64, 64, 64]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 64, 64], 0, 0.05) as tf.Tensor4D;
  try {
    const forward = await timeIt(() => settle(tf.conv2d(x, w, 1, "same")), 5);
    const detail = `${name}: conv 3×3 64→64 at 64×64 in ${forward.toFixed(1)} ms`;
    const backend = name === "cpu"
      ? warn("backend", `${detail} (pure JavaScript: the lessons will be slow)`, "unset STRIPES_BACKEND, or reinstall so that the wasm backend loads")
      : ok("backend", detail);
    let training: CheckResult;
    try {
      const step = await timeIt(() => settle(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same").sum())([x, w])), 3);
      training = ok("training", `${name}: conv gradients (input and weight) in ${step.toFixed(1)} ms`);
    } catch (err) {
      training = fail("training", `${name}: conv gradients fail: ${(err as Error).message.split("\n")[0]}`, "this stripes build lacks its wasm training kernels (src/kernels); reinstall stripes");
    }
    return [backend, training];
  } finally {
    x.dispose();
    w.dispose();
  }
}

/**
 * The engine `stripes convert` and lesson 01 use for the generator's forward pass, and its speed
 * on a small generator (ResNetGenerator(3, 3, 16, 2), one 128×128 image), next to tfjs's.
 */
export async function checkEngine(): Promise<CheckResult> {
  const netG = new ResNetGenerator(3, 3, 16, 2);
  const input = new Float32Array(3 * 128 * 128).map((_, i) => Math.sin(i));
  const timeEngine = async (choice: "auto" | "tfjs") => {
    const engine = await createEngine(netG, { engine: choice, channels: 3 });
    try {
      // the warm-up run is also onnx's session's first (slow) run
      return { engine, ms: await timeIt(() => engine.run(input, [1, 3, 128, 128]), 3) };
    } finally {
      await engine.dispose();
    }
  };
  try {
    const auto = await timeEngine("auto");
    const speed = `generator forward at 128×128 in ${auto.ms.toFixed(0)} ms`;
    if (auto.engine.name === "tfjs") {
      return warn("inference engine", `tfjs (${auto.engine.description}): ${speed}`, "optional: npm install onnxruntime-node (stripes convert and lesson 01 then run several times faster)");
    }
    const tfjs = await timeEngine("tfjs");
    return ok("inference engine", `onnx (${auto.engine.description}): ${speed}; tfjs ${tfjs.ms.toFixed(0)} ms`);
  } catch (err) {
    return fail("inference engine", `the generator's forward pass fails: ${(err as Error).message.split("\n")[0]}`, "reinstall stripes (npm ci); if it persists, report the message");
  } finally {
    netG.dispose();
  }
}

/** Jupyter's Python, and whether it knows the tslab kernel (and the kernel's program exists). */
export function checkJupyter(python?: string): CheckResult[] {
  let py: string;
  try {
    py = findJupyterPython(python);
  } catch (err) {
    return [fail("Jupyter", (err as Error).message, "Debian/Ubuntu: sudo apt-get install jupyter-nbconvert python3-nbclient python3-ipython; elsewhere: pip install jupyter")];
  }
  const jupyter = ok("Jupyter", `found with ${py}`);
  const list = spawnSync(py, ["-c", "import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps({n: s['spec']['argv'] for n, s in K().get_all_specs().items()}))"], { encoding: "utf8" });
  if (list.status !== 0) {
    return [jupyter, fail("tslab kernel", `cannot list kernels: ${(list.stderr ?? "").trim().split("\n").pop()}`, "check the Jupyter install (python3 -m jupyter kernelspec list)")];
  }
  const specs = JSON.parse(list.stdout) as Record<string, string[]>;
  const argv = specs.tslab;
  if (argv === undefined) {
    return [jupyter, fail("tslab kernel", `not registered (kernels: ${Object.keys(specs).join(", ") || "none"})`, "stripes kernel install")];
  }
  const program = argv[0];
  if (path.isAbsolute(program) && !fs.existsSync(program)) {
    return [jupyter, fail("tslab kernel", `registered, but its program ${program} is missing`, "stripes kernel install (registers this install's tslab)")];
  }
  return [jupyter, ok("tslab kernel", `registered: ${argv.slice(0, 2).join(" ")} …`)];
}

/** The article's files in the cache, verified by hash. */
export async function checkCache(options: { offline?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CheckResult> {
  const dir = cacheDir(options.env);
  const missing: string[] = [];
  const corrupt: string[] = [];
  for (const file of Object.values(ARTICLE_FILES)) {
    const p = path.join(dir, file.name);
    if (!fs.existsSync(p)) missing.push(file.name);
    else if ((await gitBlobSha1OfFile(p)) !== file.blobSha1) corrupt.push(file.name);
  }
  if (corrupt.length > 0) return fail("cached weights", `${dir}: ${corrupt.join(", ")} corrupt (wrong SHA-1)`, `delete ${corrupt.join(", ")} and run stripes fetch`);
  if (missing.length === 0) return ok("cached weights", `${dir}: ${Object.values(ARTICLE_FILES).map((f) => f.name).join(", ")} verified`);
  const detail = `${dir}: ${missing.join(", ")} not downloaded yet`;
  const fix = "stripes fetch (online), or copy a prepared cache folder here or to STRIPES_CACHE (docs/workshop.md)";
  return options.offline ? fail("cached weights", detail, fix) : warn("cached weights", `${detail} (fetched on first use)`, fix);
}

export function checkDisk(dir: string): CheckResult {
  let at = dir;
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  const s = fs.statfsSync(at);
  const free = s.bavail * s.bsize;
  return free >= MIN_FREE_BYTES
    ? ok("free disk", `${formatBytes(free)} free at ${at}`)
    : warn("free disk", `only ${formatBytes(free)} free at ${at}`, `free at least ${formatBytes(MIN_FREE_BYTES)}, or point STRIPES_CACHE to a roomier disk`);
}

export async function runChecks(options: DoctorOptions = {}): Promise<CheckResult[]> {
  return [
    checkNode(),
    ...(await checkBackend()),
    await checkEngine(),
    ...checkJupyter(options.python),
    await checkCache(options),
    checkDisk(cacheDir(options.env)),
  ];
}

const MARK: Record<Status, string> = { ok: "✓", warn: "!", fail: "✗" };

export function formatResult(r: CheckResult): string {
  return `${MARK[r.status]} ${r.name}: ${r.detail}${r.fix ? `\n    fix: ${r.fix}` : ""}`;
}

export function register(program: Command): void {
  program
    .command("doctor")
    .description("check that this machine can run the lessons, and say how to fix what it cannot")
    .option("--offline", "treat missing cached weights as a failure (for a room without internet)", false)
    .option("--python <python>", "the Python that runs Jupyter (default: found from `jupyter` on PATH)")
    .option("--json", "print the results as JSON", false)
    .action(async (opts: { offline: boolean; python?: string; json: boolean }) => {
      const results = await runChecks({ offline: opts.offline, python: opts.python });
      if (opts.json) process.stdout.write(JSON.stringify(results, null, 1) + "\n");
      else process.stdout.write(results.map(formatResult).join("\n") + "\n");
      const failed = results.filter((r) => r.status === "fail").length;
      if (!opts.json) process.stdout.write(failed === 0 ? "the set-up works\n" : `${failed} problem${failed > 1 ? "s" : ""} to fix\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}
