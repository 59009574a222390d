/**
 * @file `stripes-gan doctor`'s checks (doctor.ts registers the command and loads this file only
 * when it runs): each returns one result, ✓ fine, ! works but could be better, ✗ broken, with
 * what was found and how to fix it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs-core";
import { ready, backendSummary } from "../backend";
import { firstLine } from "../errors";
import { createEngine } from "../engine/engine";
import { ResNetGenerator, loadGenerator } from "../models";
import { ARTICLE_FILES, type ArticleFileKey, cacheDir, formatBytes, gitBlobSha1OfFile } from "../fetch/fetch";
import { findJupyterPython, pythonHas } from "../jupyter/python";
import { findKernelSpec, jupyterDataPath, which } from "../jupyter/paths";

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
    const detail = `${backendSummary()}: conv 3×3 64→64 at 64×64 in ${forward.toFixed(1)} ms`;
    const backend = name === "cpu"
      ? warn("backend", `${detail} (pure JavaScript: the lessons will be slow)`, "unset STRIPES_BACKEND, or reinstall so that the wasm backend loads")
      : ok("backend", detail);
    let training: CheckResult;
    try {
      const step = await timeIt(() => settle(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same").sum())([x, w])), 3);
      training = ok("training", `${name}: conv gradients (input and weight) in ${step.toFixed(1)} ms`);
    } catch (err) {
      training = fail("training", `${name}: conv gradients fail: ${firstLine(err)}`, "this stripes build lacks its wasm training kernels (src/kernels); reinstall stripes");
    }
    return [backend, training];
  } finally {
    x.dispose();
    w.dispose();
  }
}

/**
 * The engine `stripes-gan convert` and lesson 01 use for the generator's forward pass, and its speed
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
    return fail("inference engine", `the generator's forward pass fails: ${firstLine(err)}`, "reinstall stripes (npm ci); if it persists, report the message");
  } finally {
    netG.dispose();
  }
}

/** Jupyter's Python (what `jupyter nbconvert --execute` and nbclient need), and whether it has nbconvert. */
export function checkJupyter(python?: string, env: NodeJS.ProcessEnv = process.env): CheckResult[] {
  let py: string;
  try {
    py = findJupyterPython(python, env);
  } catch (err) {
    return [warn("Jupyter", (err as Error).message, "only for jupyter nbconvert --execute (stripes run needs none); Debian/Ubuntu: sudo apt-get install jupyter-nbconvert python3-nbclient; elsewhere: pip install jupyterlab")];
  }
  const nbconvert = pythonHas(py, ["nbconvert"], env);
  return [nbconvert.ok
    ? ok("Jupyter", `found with ${py}, with nbconvert`)
    : warn("Jupyter", `found with ${py}, but ${nbconvert.why}`, "only for jupyter nbconvert --execute: Debian: sudo apt-get install jupyter-nbconvert; elsewhere: pip install nbconvert")];
}

/** The first line of `program --version`, or undefined when it does not run. */
function versionOf(program: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(program, ["--version"], { env, encoding: "utf8", timeout: 30000 });
  if (r.status !== 0) return undefined;
  return (r.stdout || r.stderr).trim().split("\n").pop()?.trim() || undefined;
}

/** VS Code's Jupyter extensions (ms-toolsai.jupyter-<version>), newest name last, in the usual extension folders. */
function vscodeJupyterExtensions(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const found: string[] = [];
  for (const dir of [".vscode", ".vscode-server", ".vscode-insiders", ".vscode-oss"].map((d) => path.join(home, d, "extensions"))) {
    try {
      for (const name of fs.readdirSync(dir).sort()) if (/^ms-toolsai\.jupyter-\d/.test(name)) found.push(path.join(dir, name));
    } catch {
      // no such folder
    }
  }
  return found;
}

/**
 * A notebook front end to open the lessons in: JupyterLab (`jupyter-lab`), Notebook 7 or the
 * classic Notebook (`jupyter-notebook`, told apart by version; `jupyter-nbclassic`), each found on
 * PATH as `jupyter lab` / `jupyter notebook` find them, or VS Code (`code` on PATH) with its Jupyter
 * extension. nbconvert alone runs notebooks but does not let a learner edit them.
 */
export function checkFrontEnd(env: NodeJS.ProcessEnv = process.env): CheckResult {
  const found: string[] = [];
  const lab = which("jupyter-lab", env);
  const labVersion = lab && versionOf(lab, env);
  if (labVersion) found.push(`JupyterLab ${labVersion}`);
  const notebook = which("jupyter-notebook", env);
  const nbVersion = notebook && versionOf(notebook, env);
  if (nbVersion) found.push(Number(nbVersion.split(".")[0]) >= 7 ? `Notebook ${nbVersion}` : `classic Notebook ${nbVersion}`);
  const classic = which("jupyter-nbclassic", env);
  const classicVersion = classic && versionOf(classic, env);
  if (classicVersion) found.push(`classic Notebook (nbclassic) ${classicVersion}`);
  const code = which("code", env);
  const extensions = vscodeJupyterExtensions(env);
  if (code && extensions.length > 0) found.push(`VS Code with its Jupyter extension (${path.basename(extensions[extensions.length - 1])})`);
  const fix = "pip install jupyterlab ipywidgets (then: jupyter lab), or Debian: sudo apt-get install jupyter-notebook; or VS Code with the Jupyter extension (ms-toolsai.jupyter)";
  if (found.length > 0) return ok("notebook front end", found.join(", "));
  const half = code
    ? "VS Code is on PATH but has no Jupyter extension (ms-toolsai.jupyter)"
    : extensions.length > 0 ? `VS Code's Jupyter extension is installed (${path.basename(extensions[extensions.length - 1])}) but \`code\` is not on PATH` : "";
  return warn("notebook front end", `none found (no jupyter-lab or jupyter-notebook on PATH${half ? `; ${half}` : ", no VS Code"}): stripes run and nbconvert still run the lessons, but not interactively`, fix);
}

/** One kernel's registration: found on Jupyter's data path, and its program and entry exist. */
function checkKernel(name: "stripes" | "tslab", dirs: string[], missing: Status): CheckResult {
  const label = `${name} kernel`;
  const dir = findKernelSpec(name, dirs);
  if (dir === undefined) {
    const why = name === "stripes" ? "lessons open on it" : "notebooks that name tslab need it";
    return { name: label, status: missing, detail: `not registered (${why})`, fix: "npx stripes-gan kernel install" };
  }
  let argv: string[];
  try {
    argv = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")).argv;
    if (!Array.isArray(argv) || argv.length === 0) throw new Error("no argv");
  } catch (err) {
    return fail(label, `${path.join(dir, "kernel.json")}: unreadable (${firstLine(err)})`, "npx stripes-gan kernel install");
  }
  const gone = argv.slice(0, 2).find((a) => path.isAbsolute(a) && !fs.existsSync(a));
  if (gone) return fail(label, `registered in ${dir}, but ${gone} is missing`, "npx stripes-gan kernel install (registers this install's files)");
  return ok(label, `registered in ${dir}: ${argv.slice(0, 2).join(" ")} …`);
}

/** The stripes kernel (and tslab's) as Jupyter would find them: on `jupyter --paths`' data path, or the computed one. */
export function checkKernels(options: { python?: string; env?: NodeJS.ProcessEnv } = {}): CheckResult[] {
  const { dirs } = jupyterDataPath({ env: options.env ?? process.env, python: options.python });
  return [checkKernel("stripes", dirs, "fail"), checkKernel("tslab", dirs, "warn")];
}

/** The variables that point the lessons (and `convert`, `npm start`) at a learner's own files. */
const OWN_FILE_ENV: Record<ArticleFileKey, string> = { weights: "STRIPES_WEIGHTS", image: "STRIPES_IMAGE" };

/** Why a file a variable names cannot stand in for the article's, or undefined when it can. */
async function ownFileProblem(key: ArticleFileKey, file: string): Promise<string | undefined> {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    return "no such file";
  }
  if (!stats.isFile()) return "not a file";
  try {
    // Loaded as convert and export load it, so a file that passes here works there.
    if (key === "weights") (await loadGenerator(file)).module.dispose();
    else await sharp(file).metadata();
  } catch (err) {
    // The loaders' messages already name the file; keep only what is wrong with it.
    return firstLine(err).replace(`${file}: `, "");
  }
  return undefined;
}

/**
 * The files the lessons read: the learner's own where STRIPES_WEIGHTS / STRIPES_IMAGE name them
 * (they must exist and read as a generator checkpoint / an image), else the article's in the
 * cache, verified by hash. Only the cached ones can be "not downloaded yet".
 */
export async function checkCache(options: { offline?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CheckResult> {
  const env = options.env ?? process.env;
  const dir = cacheDir(env);
  const missing: string[] = [];
  const corrupt: string[] = [];
  const own: string[] = [];
  const bad: string[] = [];
  const cached: string[] = [];
  for (const [key, file] of Object.entries(ARTICLE_FILES) as [ArticleFileKey, (typeof ARTICLE_FILES)[ArticleFileKey]][]) {
    const ownFile = env[OWN_FILE_ENV[key]];
    if (ownFile) {
      const problem = await ownFileProblem(key, ownFile);
      if (problem === undefined) own.push(`${OWN_FILE_ENV[key]}=${ownFile}`);
      else bad.push(`${OWN_FILE_ENV[key]}=${ownFile}: ${problem}`);
      continue;
    }
    const p = path.join(dir, file.name);
    if (!fs.existsSync(p)) missing.push(file.name);
    else if ((await gitBlobSha1OfFile(p)) !== file.blobSha1) corrupt.push(file.name);
    else cached.push(file.name);
  }
  const name = "lesson files";
  if (bad.length > 0) return fail(name, bad.join("; "), "point the variable at a readable file, or unset it to use the article's");
  if (corrupt.length > 0) return fail(name, `${dir}: ${corrupt.join(", ")} corrupt (wrong SHA-1)`, `delete ${corrupt.join(", ")} and run npx stripes-gan fetch`);
  const found = [...own, ...(cached.length > 0 ? [`${dir}: ${cached.join(", ")} verified`] : [])].join("; ");
  if (missing.length === 0) return ok(name, found);
  const detail = `${found ? `${found}; ` : ""}${dir}: ${missing.join(", ")} not downloaded yet`;
  const fix = "npx stripes-gan fetch (online), copy a prepared cache folder here or to STRIPES_CACHE (docs/workshop.md), or set STRIPES_WEIGHTS / STRIPES_IMAGE to your own files";
  return options.offline ? fail(name, detail, fix) : warn(name, `${detail} (fetched on first use)`, fix);
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
    checkFrontEnd(options.env),
    ...checkKernels(options),
    ...checkJupyter(options.python, options.env),
    await checkCache(options),
    checkDisk(cacheDir(options.env)),
  ];
}

const MARK: Record<Status, string> = { ok: "✓", warn: "!", fail: "✗" };

export function formatResult(r: CheckResult): string {
  return `${MARK[r.status]} ${r.name}: ${r.detail}${r.fix ? `\n    fix: ${r.fix}` : ""}`;
}
