/**
 * @file Registering tslab's kernels (`tslab` for TypeScript, `jslab` for JavaScript) with the
 * Jupyter on this machine, so Jupyter, JupyterLab and VS Code offer them for our notebooks.
 *
 * It runs tslab's own installer (`tslab install --python=… --binary=…`, which calls Jupyter's
 * `KernelSpecManager.install_kernel_spec`), then points each kernel.json's argv at this node
 * and this package's tslab by absolute path, so that neither `node` nor `tslab` needs to be on
 * the PATH Jupyter starts kernels with. Installing again replaces the same files (idempotent).
 *
 * Which Jupyter: the Python behind the `jupyter` command on PATH (read from its #! line), else
 * `python3`, `/usr/bin/python3` (Debian's `python3 -m jupyter`), `python`; the first one that can
 * import jupyter_client and IPython (tslab's installer needs both) wins.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../atomicWrite";
import { KernelError } from "./errors";
import { tslabArgv, tslabBinary } from "./client";

export interface KernelInstallOptions {
  /** The Python whose Jupyter should know the kernels (default: found as described above). */
  python?: string;
  /** Per-user kernels folder (Jupyter's default when not root). */
  user?: boolean;
  /** The Python environment's prefix (a virtualenv or conda env). */
  sysPrefix?: boolean;
  /** `<prefix>/share/jupyter/kernels`. */
  prefix?: string;
  /** Lines worth showing the user (default: none). */
  onLine?: (line: string) => void;
}

export interface InstalledKernel {
  name: "tslab" | "jslab";
  dir: string;
  argv: string[];
  /** Whether this Jupyter would pick this copy when asked for `name` (false: shadowed or off its path). */
  found: boolean;
}

/** `jupyter`'s Python, then the usual names; duplicates removed. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  const jupyter = which("jupyter", env);
  if (jupyter) {
    const first = fs.readFileSync(jupyter, "utf8").slice(0, 200).split("\n")[0];
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (shebang) candidates.push(path.basename(shebang[1]) === "env" && shebang[2] ? shebang[2] : shebang[1]);
  }
  candidates.push("python3", "/usr/bin/python3", "python");
  return [...new Set(candidates)];
}

function which(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function canInstall(python: string): { ok: boolean; why: string } {
  const r = spawnSync(python, ["-c", "import jupyter_client, IPython"], { encoding: "utf8" });
  if (r.error) return { ok: false, why: "not found" };
  if (r.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(r.stderr ?? "")?.[1];
    return { ok: false, why: missing ? `no ${missing}` : "cannot import jupyter_client and IPython" };
  }
  return { ok: true, why: "" };
}

/** The first candidate Python that has Jupyter (jupyter_client and IPython). */
export function findJupyterPython(explicit?: string): string {
  const tried: string[] = [];
  for (const python of explicit ? [explicit] : pythonCandidates()) {
    const { ok, why } = canInstall(python);
    if (ok) return python;
    tried.push(`${python}: ${why}`);
  }
  throw new KernelError(
    `no Python with Jupyter found (${tried.join("; ")}); install Jupyter ` +
      `(Debian: apt-get install jupyter-nbconvert python3-nbclient python3-ipython; elsewhere: pip install jupyter) or pass --python`,
  );
}

// Mirrors tslab's python/install.py and jupyter_client's KernelSpecManager._get_destination_dir:
// where each spec lands, and which copy this Jupyter would pick.
const WHERE = `
import json, os, sys
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.paths import jupyter_data_dir, SYSTEM_JUPYTER_PATH
user, sys_prefix, prefix = json.loads(sys.argv[1])
if sys_prefix:
    prefix = sys.prefix
if not prefix and os.geteuid() != 0:
    user = True
if user:
    base = os.path.join(jupyter_data_dir(), "kernels")
elif prefix:
    base = os.path.join(os.path.abspath(prefix), "share", "jupyter", "kernels")
else:
    base = os.path.join(SYSTEM_JUPYTER_PATH[0], "kernels")
found = KernelSpecManager().find_kernel_specs()
print(json.dumps({n: {"dir": os.path.join(base, n), "found": found.get(n)} for n in ("tslab", "jslab")}))
`;

/** Registers the tslab and jslab kernels; returns where they went and what they run. */
export function installKernels(options: KernelInstallOptions = {}): InstalledKernel[] {
  const say = options.onLine ?? (() => {});
  const modes = [options.user, options.sysPrefix, options.prefix !== undefined].filter(Boolean).length;
  if (modes > 1) throw new KernelError("choose one of --user, --sys-prefix and --prefix");
  const python = findJupyterPython(options.python);
  const binary = tslabBinary();
  const args = [binary, "install", `--python=${python}`, `--binary=${binary}`];
  if (options.user) args.push("--user");
  if (options.sysPrefix) args.push("--sys-prefix");
  if (options.prefix !== undefined) args.push(`--prefix=${path.resolve(options.prefix)}`);
  say(`running tslab's installer with ${python}`);
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) {
    const said = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-2).join(" | ");
    throw new KernelError(`tslab install failed with ${python}${r.error ? ` (${r.error.message})` : ""}: ${said}`);
  }
  const w = spawnSync(python, ["-c", WHERE, JSON.stringify([!!options.user, !!options.sysPrefix, options.prefix ? path.resolve(options.prefix) : null])], { encoding: "utf8" });
  if (w.status !== 0) throw new KernelError(`cannot ask ${python} where the kernels went: ${(w.stderr ?? "").trim().split("\n").pop()}`);
  const where = JSON.parse(w.stdout) as Record<"tslab" | "jslab", { dir: string; found: string | null }>;
  const installed: InstalledKernel[] = [];
  for (const name of ["tslab", "jslab"] as const) {
    const { dir, found } = where[name];
    const specFile = path.join(dir, "kernel.json");
    if (!fs.existsSync(specFile)) throw new KernelError(`${specFile}: tslab's installer did not write it`);
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
    // Absolute node + tslab: Jupyter may start kernels with a PATH that has neither.
    spec.argv = tslabArgv(name === "jslab");
    writeFileAtomic(specFile, JSON.stringify(spec, null, 1) + "\n");
    const isFound = found !== null && path.resolve(found) === path.resolve(dir);
    installed.push({ name, dir, argv: spec.argv, found: isFound });
    say(`${name} (${spec.display_name}) registered in ${dir}: ${spec.argv.join(" ")}`);
    if (!isFound) {
      const jupyterPath = path.dirname(path.dirname(dir)); // <prefix>/share/jupyter
      say(
        found
          ? `note: as things stand this Jupyter picks another ${name} kernel first, in ${found}; ` +
              (options.prefix !== undefined ? `put ${jupyterPath} first in JUPYTER_PATH, or remove that one` : "remove that one, or install with the option it used")
          : `note: this Jupyter does not look in ${path.dirname(dir)}; add ${jupyterPath} to JUPYTER_PATH`,
      );
    }
  }
  return installed;
}
