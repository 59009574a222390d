#!/usr/bin/env node
// Builds the room's kernel for a Web Worker into dist/room/kernel/ (not part of `npm run build`:
// it takes a while and only a room needs it; .ci/run and the browser test call it):
// - worker.js: src/room/worker/main.ts with tslab's converter and its TypeScript, one classic
//   script (esbuild; Node built-ins the core's files name are replaced by small shims);
// - types.json: path → text of every .d.ts the compiler reads in the worker: TypeScript's libs for
//   tslab's browser targets (es2022; the worker's types where it names dom, dom.iterable) and stripes' declarations with the package
//   declarations they reach (@tensorflow/tfjs-core…), at the node_modules paths the compiler
//   resolves "stripes" to.
// Prints the sizes. Run after `npm run build` (it reads dist/*.d.ts).
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const out = path.join(root, "dist", "room", "kernel");
const tslabDir = path.dirname(require.resolve("tslab/package.json"));
const tsDir = path.dirname(require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [tslabDir] }));
const ts = require(path.join(tsDir, "lib", "typescript.js"));
const TS_LIB_DIR = "/typescript/lib"; // src/room/worker/memorySys.ts
const version = require(path.join(root, "package.json")).version;

const WORKER_FOR_DOM = { dom: "webworker", "dom.iterable": "webworker.iterable" };

/** TypeScript's libs, following `/// <reference lib>` from tslab's browser targets. */
function libFiles(map) {
  const todo = ["es2022", "dom", "dom.iterable"];
  const seen = new Set();
  while (todo.length > 0) {
    const lib = todo.pop();
    if (seen.has(lib)) continue;
    seen.add(lib);
    const name = `lib.${lib}.d.ts`;
    // Cells run in a worker: where tslab's browser target asks for the DOM's types, it gets the
    // worker's (no `document`; a third of the size to parse).
    const real = WORKER_FOR_DOM[lib] ? `lib.${WORKER_FOR_DOM[lib]}.d.ts` : name;
    const text = fs.readFileSync(path.join(tsDir, "lib", real), "utf8");
    map[`${TS_LIB_DIR}/${name}`] = text;
    for (const r of ts.preProcessFile(text, true, true).libReferenceDirectives) todo.push(r.fileName.toLowerCase());
  }
}

/** Where a real file lives in the worker's file system (stripes itself under node_modules/stripes). */
function virtualPath(file) {
  const rel = path.relative(root, file).split(path.sep).join("/");
  const nm = rel.lastIndexOf("node_modules/");
  if (nm >= 0) return "/" + rel.slice(nm);
  return `/node_modules/stripes/${rel}`;
}

/** stripes' declarations and every .d.ts they reach, with the package.json files resolution reads. */
function typeFiles(map) {
  const options = { moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true };
  const todo = [path.join(root, "dist", "index.d.ts")];
  const seen = new Set();
  const packages = new Set();
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    map[virtualPath(file)] = text;
    const info = ts.preProcessFile(text, true, true);
    const names = [...info.importedFiles, ...info.referencedFiles.map((r) => ({ fileName: "./" + r.fileName.replace(/^\.\//, "") }))];
    for (const { fileName } of names) {
      const r = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
      if (!r || !/\.d\.ts$/.test(r.resolvedFileName)) continue;
      todo.push(r.resolvedFileName);
      if (r.packageId) packages.add(r.resolvedFileName.slice(0, r.resolvedFileName.lastIndexOf("node_modules/") + 13) + r.packageId.name);
    }
    for (const t of info.typeReferenceDirectives) {
      const r = ts.resolveTypeReferenceDirective(t.fileName, file, options, ts.sys).resolvedTypeReferenceDirective;
      // Node's own types are left out: in a worker, what names Buffer and the like is `any`.
      if (t.fileName === "node") continue;
      if (r?.resolvedFileName) todo.push(r.resolvedFileName);
      else console.warn(`types: ${path.relative(root, file)} references types ${t.fileName} (left out)`);
    }
  }
  for (const dir of packages) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const keep = { name: pkg.name, version: pkg.version, types: pkg.types, typings: pkg.typings, main: pkg.main };
    map[virtualPath(path.join(dir, "package.json"))] = JSON.stringify(keep);
  }
  map["/node_modules/stripes/package.json"] = JSON.stringify({ name: "stripes", version, types: "dist/index.d.ts" });
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const types = {};
  libFiles(types);
  typeFiles(types);
  fs.writeFileSync(path.join(out, "types.json"), JSON.stringify(types));
  const shims = path.join(__dirname, "room-shims");
  const pathShim = require.resolve("path-browserify");
  await esbuild.build({
    entryPoints: [path.join(root, "src", "room", "worker", "main.ts")],
    outfile: path.join(out, "worker.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    logLevel: "warning",
    alias: { path: pathShim, "node:path": pathShim, "node:crypto": path.join(shims, "crypto.js"), "node:util": path.join(shims, "util.js") },
    // TypeScript's Node system (never built in a worker: setSys comes first) names these.
    external: ["fs", "os", "crypto", "perf_hooks", "inspector", "source-map-support", "buffer", "child_process", "module", "@microsoft/typescript-etw"],
    inject: [path.join(shims, "process.js")],
    define: { STRIPES_VERSION: JSON.stringify(version), __dirname: '"/tslab/dist"' },
  });
  const kb = (f) => `${(fs.statSync(path.join(out, f)).size / 1024).toFixed(0)} KiB`;
  console.log(`room kernel: ${path.relative(root, out)}/worker.js ${kb("worker.js")}, types.json ${kb("types.json")} (${Object.keys(types).length} files)`);
}

main().catch((err) => {
  console.error(`build-room-kernel: ${err.message}`);
  process.exit(1);
});
