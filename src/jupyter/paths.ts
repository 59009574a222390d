/**
 * @file Jupyter's data folders (where kernelspecs live, in `<dir>/kernels/<name>/kernel.json`),
 * found the way jupyter_core finds them, without needing Python: `$JUPYTER_PATH`, then the
 * user's folder (`$JUPYTER_DATA_DIR`, else the platform's default), then the environment's
 * (`<prefix>/share/jupyter`), then the system's. The environment's comes before the user's when
 * `JUPYTER_PREFER_ENV_PATH` is set, as in jupyter_core. When a `jupyter` is on PATH, its own
 * answer (`jupyter --paths --json`) is used instead, since it knows its own prefix.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface PathsContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** jupyter_core's truthy environment values. */
function envFlag(value: string | undefined): boolean {
  return value !== undefined && !["", "0", "false", "no", "off", "n", "f"].includes(value.toLowerCase());
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

/** The per-user data folder: `$JUPYTER_DATA_DIR`, else `~/.local/share/jupyter` (or `$XDG_DATA_HOME/jupyter`) on Linux. */
export function userDataDir({ env = process.env, platform = process.platform }: PathsContext = {}): string {
  if (env.JUPYTER_DATA_DIR) return path.resolve(env.JUPYTER_DATA_DIR);
  if (platform === "darwin") return path.join(home(env), "Library", "Jupyter");
  if (platform === "win32") return path.join(env.APPDATA || path.join(home(env), "AppData", "Roaming"), "jupyter");
  return path.join(env.XDG_DATA_HOME || path.join(home(env), ".local", "share"), "jupyter");
}

/**
 * The system-wide data folders, most specific first (the first is where a root install goes).
 * With `JUPYTER_PLATFORM_DIRS` set, jupyter_core asks platformdirs, which on Linux reads them from
 * `$XDG_DATA_DIRS` (default `/usr/local/share:/usr/share`); that is also how the tests keep this
 * machine's own system-wide kernels out of what they see.
 */
export function systemDataDirs({ env = process.env, platform = process.platform }: PathsContext = {}): string[] {
  if (platform === "win32") return env.PROGRAMDATA ? [path.join(env.PROGRAMDATA, "jupyter")] : [];
  if (envFlag(env.JUPYTER_PLATFORM_DIRS) && platform !== "darwin") {
    const xdg = (env.XDG_DATA_DIRS ?? "").trim() || "/usr/local/share:/usr/share";
    return xdg.split(":").filter(Boolean).map((d) => path.join(d, "jupyter"));
  }
  return ["/usr/local/share/jupyter", "/usr/share/jupyter"];
}

/** The active Python environment's prefix (a virtualenv or conda env), if one is activated. */
export function activeEnvPrefix({ env = process.env }: PathsContext = {}): string | undefined {
  return env.VIRTUAL_ENV || env.CONDA_PREFIX || undefined;
}

/** `$JUPYTER_PATH`'s entries, in order, empty ones dropped. */
export function jupyterPathDirs({ env = process.env }: PathsContext = {}): string[] {
  return (env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.resolve(d));
}

/** The data path computed here (no Python asked). */
export function computedDataPath(ctx: PathsContext = {}): string[] {
  const env = ctx.env ?? process.env;
  const prefix = activeEnvPrefix(ctx);
  const envDirs = prefix ? [path.join(prefix, "share", "jupyter")] : [];
  const user = [userDataDir(ctx)];
  const middle = envFlag(env.JUPYTER_PREFER_ENV_PATH) ? [...envDirs, ...user] : [...user, ...envDirs];
  return [...new Set([...jupyterPathDirs(ctx), ...middle, ...systemDataDirs(ctx)])];
}

/** An executable named `command` on env.PATH. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
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

export interface DataPath {
  dirs: string[];
  /** Who said so: "jupyter --paths" (with the command run), or "computed". */
  source: string;
}

/**
 * The data path Jupyter searches: asked of `<python> -m jupyter` when `python` is given, else of
 * the `jupyter` on PATH, else computed here. The environment given is the one Jupyter sees.
 */
export function jupyterDataPath(ctx: PathsContext & { python?: string } = {}): DataPath {
  const env = ctx.env ?? process.env;
  const command = ctx.python ? [ctx.python, "-m", "jupyter"] : which("jupyter", env) ? [which("jupyter", env)!] : undefined;
  if (command) {
    const r = spawnSync(command[0], [...command.slice(1), "--paths", "--json"], { env, encoding: "utf8", timeout: 20000 });
    try {
      const data = JSON.parse(r.stdout).data;
      if (r.status === 0 && Array.isArray(data)) return { dirs: data.map((d: string) => path.resolve(d)), source: `${command.join(" ")} --paths` };
    } catch {
      // not a Jupyter we can ask: fall back to the computed path
    }
  }
  return { dirs: computedDataPath(ctx), source: "computed" };
}

/** The folder of the kernelspec Jupyter would pick for `name` on this data path (first match wins). */
export function findKernelSpec(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const spec = path.join(dir, "kernels", name);
    if (fs.existsSync(path.join(spec, "kernel.json"))) return spec;
  }
  return undefined;
}

/** Every kernelspec on the data path, name → folder (the first of each name). */
export function listKernelSpecs(dirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(dir, "kernels"));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const spec = path.join(dir, "kernels", name);
      if (!found.has(name.toLowerCase()) && fs.existsSync(path.join(spec, "kernel.json"))) found.set(name.toLowerCase(), spec);
    }
  }
  return found;
}
