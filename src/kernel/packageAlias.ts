/**
 * @file `import … from "stripes"` in a notebook: the article's short name for this package, which
 * npm knows as `stripes-gan` (the name `stripes` belongs to an unrelated package there).
 *
 * The kernel resolves "stripes" itself, to the package whose kernel is running (the one
 * `stripes-gan kernel install` registered), never through the notebook's node_modules: a folder
 * with a learner's own install, or with no node_modules at all, reads the same, and a stranger's
 * `stripes` package there is never loaded. Both halves are needed: the cells' `require` (run time)
 * and TypeScript's view of `<notebook folder>/node_modules/stripes` (type-checking), which is
 * forwarded to this package's folder the way tslab forwards `tslab` itself.
 */
import * as path from "node:path";

/** The name notebooks import stripes by. */
export const NOTEBOOK_NAME = "stripes";

/** This package's folder (src/kernel/ and dist/kernel/ are both two levels down). */
export function aliasRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The file `require("stripes")` loads in a cell: this package's entry (package.json "main"). */
export function aliasEntry(): string {
  return require.resolve(aliasRoot());
}

/** Whether a cell's module id is the alias (exactly "stripes": the package exports no subpaths). */
export function isAlias(id: string): boolean {
  return id === NOTEBOOK_NAME;
}

type FileSystemHost = Record<string, unknown>;

/**
 * Makes TypeScript (tslab's copy, whose `sys` its converter reads through) see this package at
 * `<cwd>/node_modules/stripes`: every path under that folder is read from aliasRoot() instead, and
 * realpath answers the real file, so the package's own imports resolve from where it is installed.
 * Call once, before the converter is made.
 */
export function forwardAliasInTypeScript(sys: FileSystemHost, cwd: string): void {
  const fake = path.join(cwd, "node_modules", NOTEBOOK_NAME);
  const real = aliasRoot();
  const forward = (p: unknown): unknown => {
    if (typeof p !== "string") return p;
    const rel = path.relative(fake, p);
    return rel.startsWith("..") || path.isAbsolute(rel) ? p : path.join(real, rel);
  };
  for (const name of ["fileExists", "directoryExists", "readFile", "realpath", "readDirectory", "getDirectories", "getModifiedTime", "watchFile", "watchDirectory"]) {
    const original = sys[name];
    if (typeof original !== "function") continue;
    sys[name] = function (this: unknown, p: unknown, ...rest: unknown[]) {
      return original.call(this, forward(p), ...rest);
    };
  }
}
