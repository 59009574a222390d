/**
 * @file A TypeScript `System` over files held in memory, for the compiler in a Web Worker, which
 * has no file system. tslab's converter builds its own System on top of `ts.sys` (it reads the
 * cells from memory and everything else through `ts.sys`), so installing this one as `ts.sys`
 * (TypeScript's `setSys`) before the converter loads lets the same converter run in the worker.
 *
 * What it holds: the compiler's lib .d.ts files, next to a pretend `typescript.js` (TypeScript
 * finds its libs beside its own file), and the type declarations of the packages cells may
 * import, at their node_modules paths — a map made at build time (scripts/build-room-kernel.js).
 */
import type * as TS from "typescript";

/** Where the compiler pretends to live; its lib files are read from this folder. */
export const TS_LIB_DIR = "/typescript/lib";
/** The cells' folder (the converter's cwd). */
export const CELL_DIR = "/room";

export interface MemorySysFiles {
  /** Absolute path → text. */
  readonly files: ReadonlyMap<string, string>;
}

const noWatch = { close(): void {} };

export function memorySys(files: ReadonlyMap<string, string>, write: (text: string) => void = () => {}): TS.System {
  const dirs = new Set<string>(["/"]);
  for (const f of files.keys()) {
    for (let d = f.slice(0, f.lastIndexOf("/")); d.length > 0; d = d.slice(0, d.lastIndexOf("/"))) dirs.add(d);
  }
  dirs.add(CELL_DIR);
  const strip = (p: string) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);
  const children = (dir: string) => {
    const prefix = strip(dir) === "/" ? "/" : strip(dir) + "/";
    const fileNames: string[] = [];
    const dirNames = new Set<string>();
    for (const f of files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) fileNames.push(rest);
      else dirNames.add(rest.slice(0, slash));
    }
    return { fileNames, dirNames: [...dirNames] };
  };
  return {
    args: [],
    newLine: "\n",
    useCaseSensitiveFileNames: true,
    write,
    readFile: (p) => files.get(p),
    writeFile: () => {
      throw new Error("the compiler in the worker writes no files");
    },
    fileExists: (p) => files.has(p),
    directoryExists: (p) => dirs.has(strip(p)),
    createDirectory: () => {},
    getDirectories: (p) => children(p).dirNames,
    readDirectory: (p, extensions) => {
      // Only the cell folder is ever listed (no tsconfig here); its files live in the converter.
      const base = strip(p);
      return [...files.keys()].filter((f) => f.startsWith(base + "/") && (!extensions || extensions.some((e) => f.endsWith(e))));
    },
    getExecutingFilePath: () => `${TS_LIB_DIR}/typescript.js`,
    getCurrentDirectory: () => CELL_DIR,
    resolvePath: (p) => p,
    realpath: (p) => p,
    exit: () => {},
    watchFile: () => noWatch,
    watchDirectory: () => noWatch,
    getModifiedTime: () => new Date(0),
    setTimeout: (cb: (...a: unknown[]) => void, ms: number, ...a: unknown[]) => setTimeout(cb, ms, ...a),
    clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}
