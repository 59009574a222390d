/**
 * The layout rule (BRIEF/charter): folders by layer, a file imports downward or within its own
 * layer, never upward or sideways into another layer, and never in a cycle. Imports are found
 * and resolved by TypeScript itself (ts.preProcessFile, ts.resolveModuleName), so `import type`,
 * `export … from` and `require("…")` all count, and a path resolves as tsc resolves it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, sep } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..");
const SRC = join(ROOT, "src");

/**
 * Low → high. A file's layer is the longest prefix its path (relative to src/, with /) starts
 * with; files may import their own layer or a lower one. notebook/ is the library a notebook
 * imports (display, comms, the current request, the shared slots); notebook/widgets/ sits above
 * the rest of it (widgets use comms and display, which do not know widgets). Both sit low, needing
 * only errors.ts, so vision/ can display and lessons/ can build widgets; kernel/, the Jupyter
 * kernel process, sits above them and imports them downward.
 */
const LAYERS: string[][] = [
  ["errors.ts"],
  ["atomicWrite.ts"],
  ["heap.ts"], // the wasm heap's size and limit: guarded by backend/'s wasm loaders, reported by notebook/memory.ts
  ["platform/"], // what differs between Node and a browser (file bytes, image decoding), each file with a .browser.ts twin
  ["notebook/"], // what a notebook imports: display, comms, the current request, the cross-copy slots
  ["notebook/widgets/"], // widget models, on notebook/'s comms and display
  ["torch/"],
  ["kernels/"], // tfjs op kernels, registered by backend/
  ["backend/"], // was backend.ts: the choice of backend, split from the Node and browser wasm loaders
  ["tensor.ts"],
  ["nn/"],
  ["models/"],
  ["vision/"],
  ["engine/"],
  ["fetch/"], // downloads
  ["protocol/"], // the Jupyter wire codec
  ["kernelCore/"], // the kernel's requests and cell semantics without a platform: above what cells import and the message types, below the Node process that wires it
  ["kernel/"], // the Jupyter kernel process: wire I/O, requests, the interpreter
  ["lessons/shared/"], // what more than one lesson uses (errors, random numbers, the exercises' judges), below the lessons
  ["lessons/article/", "lessons/ganGame/", "lessons/tinyCycleGan/"], // one folder per lesson: each may import shared/, never another lesson
  ["lessons/"], // the `lessons` namespace and check(), which looks an id up in every lesson's exercises
  ["jupyter/"], // out-of-process client, notebook runner, kernelspec installer, nbformat
  ["room/"], // the browser room: its error and what site/, page/ and worker/ share; above the kernel core and the lessons it packages
  ["room/worker/"], // the kernel in a browser Web Worker: kernelCore/ with tslab's compiler over memory and postMessage
  ["room/page/"], // the JupyterLite side of the room's kernel: starts and talks to room/worker/ (its message protocol)
  ["room/site/"], // building and serving the static site (Node): copies the lessons, bundles page/ and worker/
  ["cli/"],
  ["index.ts"], // the one public door
];
const RANK: Record<string, number> = {};
LAYERS.forEach((prefixes, i) => prefixes.forEach((p) => (RANK[p] = i)));

/**
 * Known exceptions, each with the reason and who removes it (none now).
 */
const ALLOWED: [string, string][] = [];

function layerOf(file: string): string | undefined {
  const prefixes = Object.keys(RANK).sort((a, b) => b.length - a.length);
  return prefixes.find((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

const rel = (file: string) => relative(SRC, file).split(sep).join("/");

/** src-relative path → the src files it imports (src-relative), by TypeScript's resolution. */
function importGraph(): Map<string, string[]> {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = relative(SRC, resolved.resolvedFileName);
      if (target.startsWith("..") || !/\.tsx?$/.test(target)) continue; // package.json and the like
      targets.add(target.split(sep).join("/"));
    }
    graph.set(rel(file), [...targets].sort());
  }
  return graph;
}

const graph = importGraph();

test("the import graph is read (TypeScript resolves the imports it should)", () => {
  assert.ok(graph.size > 50, `${graph.size} files`);
  // Spot checks that resolution works: a relative file, a folder's index.ts, an `export … from`.
  assert.ok(graph.get("cli/main.ts")!.includes("cli/commands.ts"), JSON.stringify(graph.get("cli/main.ts")));
  assert.ok(graph.get("index.ts")!.includes("torch/index.ts"), JSON.stringify(graph.get("index.ts")));
  assert.ok(graph.get("index.ts")!.includes("vision/image.ts"), JSON.stringify(graph.get("index.ts")));
});

test("every source file is in a layer (a new folder must be placed in LAYERS)", () => {
  const unplaced = [...graph.keys()].filter((f) => layerOf(f) === undefined);
  assert.equal(unplaced, []);
});

test("imports go downward or within a layer, never upward or sideways", () => {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a === undefined || b === undefined || a === b) continue;
      if (RANK[b] < RANK[a]) continue;
      if (ALLOWED.some(([f, t]) => f === from && t === to)) continue;
      bad.push(`${from} (${a}) imports ${to} (${b}), which is ${RANK[b] > RANK[a] ? "above" : "beside"} it`);
    }
  }
  assert.equal(bad, []);
});

test("the allow-list names only edges that exist (a fixed one is taken off)", () => {
  for (const [from, to] of ALLOWED) assert.ok(graph.get(from)?.includes(to), `${from} → ${to} no longer exists: remove it from ALLOWED`);
});

/** Node's built-in modules and the packages that only run on Node, which kernelCore/ may not import. */
const NODE_ONLY = new Set([...builtinModules, "zeromq", "tslab", "@tslab/typescript-for-tslab"]);
const isNodeOnly = (id: string) => id.startsWith("node:") || NODE_ONLY.has(id) || NODE_ONLY.has(id.split("/")[0]) || /^tslab\//.test(id);

/** The module ids a file names (imports, `import type`, `export … from`, `require`), unresolved. */
function importedIds(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(SRC, file), "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

test("files under kernelCore/ import no Node module (node:*, fs, worker_threads, zeromq, tslab…): a browser worker runs them", () => {
  const files = [...graph.keys()].filter((f) => layerOf(f) === "kernelCore/");
  assert.ok(files.length > 3, `${files.length} files in kernelCore/`);
  const bad = files.flatMap((f) => importedIds(f).filter(isNodeOnly).map((id) => `${f} imports ${id}`));
  assert.equal(bad, []);
  // The check itself tells Node's modules from others.
  assert.ok(isNodeOnly("node:vm") && isNodeOnly("fs") && isNodeOnly("worker_threads") && isNodeOnly("async_hooks") && isNodeOnly("zeromq") && isNodeOnly("tslab/dist/converter"));
  assert.not.ok(isNodeOnly("../notebook/comms") || isNodeOnly("@tensorflow/tfjs-core") || isNodeOnly("typescript"));
});

test("files under room/page/ and room/worker/ import no Node built-in module: they run in a browser (tslab's converter is bundled for it)", () => {
  const files = [...graph.keys()].filter((f) => f.startsWith("room/page/") || f.startsWith("room/worker/"));
  assert.ok(files.length >= 3, `${files.length} files in room/`);
  const builtin = (id: string) => id.startsWith("node:") || builtinModules.includes(id.split("/")[0]);
  const bad = files.flatMap((f) => importedIds(f).filter(builtin).map((id) => `${f} imports ${id}`));
  assert.equal(bad, []);
});

/** Every file `from` reaches through imports, itself left out. */
function reach(g: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(g.get(from) ?? [])];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(g.get(f) ?? []));
  }
  return seen;
}

test("what a notebook imports (index.ts, the lessons) reaches nothing of the kernel process (kernel/)", () => {
  const roots = ["index.ts", ...[...graph.keys()].filter((f) => f.startsWith("lessons/"))];
  const bad = roots.flatMap((root) => [...reach(graph, root)].filter((f) => layerOf(f) === "kernel/").map((f) => `${root} reaches ${f}`));
  assert.equal(bad, []);
  // The walk itself finds what it should: index.ts reaches the notebook layer it re-exports.
  assert.ok(reach(graph, "index.ts").has("notebook/slots.ts"));
});

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return found;
}

test("no import cycle", () => {
  assert.equal(cycles(graph), []);
});

test("the cycle finder finds cycles (on a made-up graph)", () => {
  const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]], ["e", ["e"]]]);
  assert.equal(cycles(g).sort(), [["a", "b", "c"], ["e"]]);
});

test.run();
