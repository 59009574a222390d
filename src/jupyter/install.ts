/**
 * @file Registering stripes' Jupyter kernel (`stripes`, "TypeScript (stripes)") with Jupyter, so
 * JupyterLab, Notebook, VS Code and nbconvert offer it. It writes the kernelspec itself
 * (`<data dir>/kernels/<name>/kernel.json`, as jupyter_client's KernelSpecManager lays it out), so
 * it needs Node alone: no Python, IPython or tslab installer.
 *
 * The kernel's argv is this node (process.execPath) and this package's kernel entry by absolute
 * path, so nothing needs to be on the PATH Jupyter starts kernels with. Installing again rewrites
 * the same files (idempotent). tslab's `tslab` and `jslab` kernels are registered beside it unless
 * asked not to: writing them costs two small files, and notebooks that still name tslab (and
 * `stripes run --kernel tslab`) keep working.
 *
 * Where, as jupyter_client decides: `--user` the per-user data folder (`$JUPYTER_DATA_DIR`, else
 * `~/.local/share/jupyter`); `--sys-prefix` the Python environment's `<prefix>/share/jupyter`;
 * `--prefix DIR` `DIR/share/jupyter`; none of them: the user's folder, or the system's
 * (`/usr/local/share/jupyter`) when run as root. Afterwards it checks which copy Jupyter would pick
 * (data path from `jupyter --paths --json`, or computed from JUPYTER_PATH and the defaults) and
 * says when another copy shadows it or the folder is off Jupyter's path.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic, writeProblem } from "../atomicWrite";
import { KernelError } from "./errors";
import { tslabArgv } from "./client";
import { activeEnvPrefix, findKernelSpec, jupyterDataPath, systemDataDirs, userDataDir, which } from "./paths";
import { pythonCandidates } from "./python";

export type KernelName = "stripes" | "tslab" | "jslab";

/** kernel.json, as Jupyter reads it. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  metadata?: Record<string, unknown>;
}

export interface KernelInstallOptions {
  /** The per-user data folder. */
  user?: boolean;
  /** The Python environment's prefix (a virtualenv or conda env). */
  sysPrefix?: boolean;
  /** `<prefix>/share/jupyter/kernels`. */
  prefix?: string;
  /** The Python whose Jupyter should find the kernels (its sys.prefix for --sys-prefix, its paths for the check). */
  python?: string;
  /** Also register tslab's `tslab` and `jslab` kernels (default true). */
  tslab?: boolean;
  /** The environment Jupyter will see (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Whether the default destination is the system's (default: running as root, as Jupyter decides). */
  asRoot?: boolean;
  /** Lines worth showing the user (default: none). */
  onLine?: (line: string) => void;
}

export interface InstalledKernel {
  name: KernelName;
  dir: string;
  spec: KernelSpec;
  /** Whether Jupyter would pick this copy when asked for `name` (false: shadowed or off its path). */
  found: boolean;
  /** The copy Jupyter would pick instead, when another one shadows this. */
  shadowedBy?: string;
}

/** This package's folder (dist/jupyter/ and src/jupyter/ are both two levels down). */
export function packageRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The stripes kernel's entry point, built by `npm run build`. */
export function stripesKernelEntry(): string {
  return path.join(packageRoot(), "dist", "kernel", "main.js");
}

/** The stripes kernel's command: this node, its entry by absolute path, and the connection file. */
export function stripesKernelArgv(): string[] {
  return [process.execPath, stripesKernelEntry(), "{connection_file}"];
}

/** The kernelspecs `stripes kernel install` writes. */
export function kernelSpecs({ tslab = true }: { tslab?: boolean } = {}): Partial<Record<KernelName, KernelSpec>> {
  const specs: Partial<Record<KernelName, KernelSpec>> = {
    // Stop as a control message: the kernel's socket thread gets it even while a cell blocks the
    // main thread, and sets the flag the cell's loops check (then sends itself SIGINT as well).
    // A signal could not reach a loop that runs after an `await` (docs/kernel.md).
    stripes: { argv: stripesKernelArgv(), display_name: "TypeScript (stripes)", language: "typescript", interrupt_mode: "message", metadata: {} },
  };
  if (tslab) {
    // tslab's own names and argv (its python/install.py), with this node and tslab by absolute path.
    specs.tslab = { argv: tslabArgv(false), display_name: "TypeScript", language: "typescript" };
    specs.jslab = { argv: tslabArgv(true), display_name: "JavaScript", language: "javascript" };
  }
  return specs;
}

/** The Python's sys.prefix. */
function pythonPrefix(python: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8", env, timeout: 20000 });
  if (r.status !== 0 || !r.stdout.trim()) {
    throw new KernelError(`--sys-prefix: cannot ask ${python} for its prefix (${r.error ? "not found" : (r.stderr ?? "").trim().split("\n").pop()})`);
  }
  return r.stdout.trim();
}

/** `<data dir>/kernels` for the options, and in a few words why there. */
export function kernelsDestination(options: KernelInstallOptions = {}): { dir: string; why: string } {
  const env = options.env ?? process.env;
  const modes = [options.user, options.sysPrefix, options.prefix !== undefined].filter(Boolean).length;
  if (modes > 1) throw new KernelError("choose one of --user, --sys-prefix and --prefix");
  if (options.prefix !== undefined) {
    if (options.prefix.trim() === "") throw new KernelError("--prefix: empty folder name");
    return { dir: path.join(path.resolve(options.prefix), "share", "jupyter", "kernels"), why: "--prefix" };
  }
  if (options.sysPrefix) {
    let prefix: string | undefined;
    let why: string;
    if (options.python) {
      prefix = pythonPrefix(options.python, env);
      why = `${options.python}'s sys.prefix`;
    } else if ((prefix = activeEnvPrefix({ env }))) {
      why = env.VIRTUAL_ENV ? "$VIRTUAL_ENV" : "$CONDA_PREFIX";
    } else if (which("jupyter", env)) {
      const python = pythonCandidates(env)[0];
      prefix = pythonPrefix(python, env);
      why = `the sys.prefix of jupyter's Python (${python})`;
    } else {
      throw new KernelError("--sys-prefix: no Python environment found (VIRTUAL_ENV and CONDA_PREFIX are unset and no jupyter is on PATH); activate one, or use --prefix <folder>");
    }
    return { dir: path.join(prefix, "share", "jupyter", "kernels"), why };
  }
  const asRoot = options.asRoot ?? (typeof process.geteuid === "function" && process.geteuid() === 0);
  if (options.user || !asRoot) return { dir: path.join(userDataDir({ env }), "kernels"), why: env.JUPYTER_DATA_DIR ? "$JUPYTER_DATA_DIR" : "the user's data folder" };
  return { dir: path.join(systemDataDirs({ env })[0], "kernels"), why: "the system's data folder (running as root)" };
}

/** Writes one kernelspec folder; a kernel.json already holding the same spec is left untouched. */
function writeSpec(dir: string, spec: KernelSpec): void {
  const text = JSON.stringify(spec, null, 1) + "\n";
  const file = path.join(dir, "kernel.json");
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
    writeFileAtomic(file, text);
  } catch (err) {
    const problem = writeProblem(err);
    const why = problem === "permission denied" ? `${problem} (use --user, or --prefix <folder>)` : problem;
    throw new KernelError(`${file}: cannot write the kernelspec: ${why}`);
  }
}

/** Registers the stripes kernel (and tslab's two unless `tslab: false`); returns where each went. */
export function installKernels(options: KernelInstallOptions = {}): InstalledKernel[] {
  const say = options.onLine ?? (() => {});
  const env = options.env ?? process.env;
  const { dir: kernels, why } = kernelsDestination(options);
  const specs = kernelSpecs({ tslab: options.tslab });
  const entry = stripesKernelEntry();
  if (!fs.existsSync(entry)) say(`note: ${entry} is not built yet (npm run build); the stripes kernel starts once it is`);
  for (const [name, spec] of Object.entries(specs)) writeSpec(path.join(kernels, name), spec!);
  const { dirs, source } = jupyterDataPath({ env, python: options.python });
  const installed: InstalledKernel[] = [];
  for (const [name, spec] of Object.entries(specs) as [KernelName, KernelSpec][]) {
    const dir = path.join(kernels, name);
    const picked = findKernelSpec(name, dirs);
    const found = picked !== undefined && path.resolve(picked) === path.resolve(dir);
    installed.push({ name, dir, spec, found, ...(picked && !found ? { shadowedBy: picked } : {}) });
    say(`${name} ("${spec.display_name}") registered in ${dir} (${why}): ${spec.argv.join(" ")}`);
  }
  const dataDir = path.dirname(kernels);
  const shadowed = installed.filter((k) => k.shadowedBy);
  if (installed.every((k) => !k.found && !k.shadowedBy)) {
    say(`note: Jupyter (${source}) does not look in ${dataDir}; add it to JUPYTER_PATH (export JUPYTER_PATH=${dataDir})`);
  }
  for (const k of shadowed) {
    say(`note: Jupyter (${source}) picks another ${k.name} kernel first, in ${k.shadowedBy}; remove that one, or put ${dataDir} first in JUPYTER_PATH`);
  }
  return installed;
}
