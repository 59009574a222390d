/**
 * @file Finding a Python that has Jupyter, for what only Python can do: running notebooks under
 * nbconvert/nbclient and listing kernels as Jupyter itself sees them. Registering the kernel
 * needs none (install.ts writes the kernelspec itself).
 *
 * Candidates: the Python behind the `jupyter` command on PATH (read from its #! line), then
 * `python3`, `/usr/bin/python3` (Debian's `python3 -m jupyter`), `python`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { KernelError } from "./errors";
import { which } from "./paths";

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

/** Whether `python` can import `modules`; if not, why not, in a few words. */
export function pythonHas(python: string, modules: string[], env: NodeJS.ProcessEnv = process.env): { ok: boolean; why: string } {
  const r = spawnSync(python, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8", env, timeout: 20000 });
  if (r.error) return { ok: false, why: "not found" };
  if (r.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(r.stderr ?? "")?.[1];
    return { ok: false, why: missing ? `no ${missing}` : `cannot import ${modules.join(", ")}` };
  }
  return { ok: true, why: "" };
}

/** The first candidate Python that has Jupyter's client (jupyter_client and nbformat). */
export function findJupyterPython(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  for (const python of explicit ? [explicit] : pythonCandidates(env)) {
    const { ok, why } = pythonHas(python, ["jupyter_client", "nbformat"], env);
    if (ok) return python;
    tried.push(`${python}: ${why}`);
  }
  throw new KernelError(
    `no Python with Jupyter found (${tried.join("; ")}); install Jupyter ` +
      `(Debian: apt-get install jupyter-nbconvert python3-nbclient; elsewhere: pip install jupyterlab) or pass --python`,
  );
}
