#!/usr/bin/env node
// Builds dist/browser/stripes.js: the library as one ES module for a browser page or worker, with
// tfjs-backend-wasm's three .wasm binaries copied beside it (wasm.browser.ts fetches them from there).
//
// Platform code is chosen here, not by run-time checks: a source file `X.ts` with an `X.browser.ts`
// beside it is replaced by that file (the Node file system, sharp, the Emscripten loader for Node).
// What is left of Node's built-ins (in code a page never calls, such as saving to a path) resolves
// to a module whose every function throws one line, and `Buffer` is the `buffer` package.
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const out = path.join(root, "dist", "browser");
const entry = process.argv[2] ?? path.join(root, "src", "index.ts");

const browserSiblings = {
  name: "browser-siblings",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(path.join(root, "src"))) return undefined;
      const base = path.resolve(args.resolveDir, args.path);
      for (const candidate of [`${base}.browser.ts`, path.join(base, "index.browser.ts")]) {
        if (fs.existsSync(candidate)) return { path: candidate };
      }
      return undefined;
    });
  },
};

const NODE_ONLY = /^(node:.*|fs|os|url|util|zlib|crypto|stream|events|child_process|worker_threads|sharp|zeromq|tslab|onnxruntime-node|cli-progress|commander)(\/.*)?$/;
const nodeOnly = {
  name: "node-only",
  setup(build) {
    // path is pure string work (the lessons join their data folders' names at import): the real thing
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: require.resolve("path-browserify") }));
    build.onResolve({ filter: NODE_ONLY }, (args) => ({ path: args.path, namespace: "node-only" }));
    build.onLoad({ filter: /.*/, namespace: "node-only" }, (args) => {
      // Named exports as Node has them, so that `import { inspect } from "node:util"` binds.
      let names = [];
      try {
        names = Object.keys(require(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
      } catch {
        // not loadable in this Node: a default export only
      }
      const stub = JSON.stringify(path.join(__dirname, "browser-node-only.js"));
      return {
        contents: `import make from ${stub};\nconst m = make(${JSON.stringify(args.path)});\nexport default m;\n` +
          names.map((n) => `export const ${n} = m.${n};`).join("\n"),
        resolveDir: root,
        loader: "js",
      };
    });
  },
};

(async () => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outfile: path.join(out, "stripes.js"),
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
    plugins: [browserSiblings, nodeOnly],
    inject: [path.join(__dirname, "browser-globals.js")],
    // Node's module globals, read at import by code a page does not call (file paths of caches, fixtures)
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis", __dirname: '"/"', __filename: '"/stripes.js"' },
    banner: { js: "const __stripesBundleUrl = import.meta.url;" },
  });
  const wasmDir = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  for (const file of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    fs.copyFileSync(path.join(wasmDir, file), path.join(out, file));
  }
  const bytes = fs.statSync(path.join(out, "stripes.js")).size;
  console.log(`dist/browser/stripes.js: ${(bytes / 1e6).toFixed(2)} MB, ${Object.keys(result.metafile.inputs).length} inputs`);
})().catch((err) => {
  console.error(`build-browser: ${err.message.split("\n")[0]}`);
  process.exit(1);
});
