#!/usr/bin/env node
// Builds JupyterLite's JupyterLab app for `stripes-gan room build` into dist/room/app/, from npm
// packages alone: the packages are those of scripts/room-app/package.json (its own lockfile, so
// the library's install never pulls them), bundled with rspack through @jupyter/builder's rules.
// The list of JupyterLab plugins and the ones switched off are in that package.json's "room".
//
// Cached: a stamp of the lockfile, the room-app files and src/room/page/ is kept beside the app,
// and a build with the same stamp is skipped (--force rebuilds). Takes minutes on 2 cores.
//
// Output: dist/room/app/{index.html, jupyter-lite.json, lab/index.html,
// build/ (bundles, schemas/all.json, themes/)}.
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const appSrc = path.join(__dirname, "room-app");
const out = path.join(root, "dist", "room", "app");
const pageDir = path.join(root, "src", "room", "page");
const force = process.argv.includes("--force");

function stamp() {
  const hash = crypto.createHash("sha256");
  const files = [
    ...["package.json", "package-lock.json", "lab.html", "root.html", "jupyter-lite.json"].map((f) => path.join(appSrc, f)),
    __filename,
    ...(fs.existsSync(pageDir) ? fs.readdirSync(pageDir).sort().map((f) => path.join(pageDir, f)) : []),
  ];
  for (const f of files) if (fs.existsSync(f) && fs.statSync(f).isFile()) hash.update(f.slice(root.length)).update(fs.readFileSync(f));
  return hash.digest("hex");
}

const want = stamp();
const stampFile = path.join(out, ".stamp");
if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === want) {
  console.log(`room app: ${path.relative(root, out)} is up to date (cached)`);
  process.exit(0);
}

if (!fs.existsSync(path.join(appSrc, "node_modules", "@rspack", "core"))) {
  console.log("room app: installing its build packages (scripts/room-app, npm ci)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // Run from npm's own lifecycle (prepack of `npm pack --dry-run`, `npm publish --dry-run`), the
  // outer command's settings arrive as npm_config_* variables: a dry run would install nothing.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(dry_run|global|prefix|production|omit|only)$/i.test(k)));
  const r = spawnSync(npm, ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: appSrc, stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`room app: npm ci in scripts/room-app failed (exit ${r.status})`);
    process.exit(1);
  }
}

const appRequire = (id) => require(require.resolve(id, { paths: [appSrc] }));
const rspack = appRequire("@rspack/core");
const { merge } = appRequire("webpack-merge");
const { Build } = appRequire("@jupyter/builder");
const baseConfig = appRequire("@jupyter/builder/lib/webpack.config.base");
const meta = require(path.join(appSrc, "package.json"));
const pkgJson = (name) => require(require.resolve(`${name}/package.json`, { paths: [appSrc] }));

// The entry: every plugin and mime renderer of the listed packages, their styles, then the app.
function entrySource() {
  const lines = [
    "// Written by scripts/build-room-app.js; not edited by hand.",
    "const { PageConfig } = require('@jupyterlab/coreutils');",
    "const { PluginRegistry } = require('@lumino/coreutils');",
    "const { JupyterLab } = require('@jupyterlab/application');",
    "const { IServiceManager } = require('@jupyterlab/services');",
  ];
  const plugins = [];
  const mimes = [];
  for (const name of meta.room.extensions) {
    const p = pkgJson(name);
    const lab = p.jupyterlab || {};
    const sub = (v) => (v === true ? name : `${name}/${v}`);
    if (lab.extension) plugins.push(sub(lab.extension));
    if (lab.mimeExtension) mimes.push(sub(lab.mimeExtension));
    if (p.styleModule) lines.push(`require('${name}/${p.styleModule}');`);
    else if (p.style) lines.push(`require('${name}/${p.style}');`);
  }
  lines.push(
    `const disabled = new Set(${JSON.stringify(meta.room.disabledPlugins)});`,
    // A module's export is one plugin or a list; ES modules keep it under default.
    "const pluginsOf = (mod) => { const e = mod && mod.__esModule ? mod.default : mod; return (Array.isArray(e) ? e : [e]).filter((p) => p && p.id && !disabled.has(p.id) && !PageConfig.Extension.isDisabled(p.id)); };",
    `const pluginModules = [${plugins.map((m) => `require('${m}')`).join(", ")}];`,
    `const mimeModules = [${mimes.map((m) => `require('${m}')`).join(", ")}];`,
    // The stripes kernel's front-end plugin (src/room/page/plugin.ts, owned by the worker side of the room).
    "pluginModules.push(require('../../../src/room/page/plugin'));",
    // The room's offline plugin (src/room/page/offline.ts): registers the precaching service worker.
    "pluginModules.push(require('../../../src/room/page/offline'));",
    // Saved widgets shown when the kernel connects after the notebook opened (src/room/page/widgetRestore.ts);
    // the widgets package is the app's, so its manager class is handed in here.
    "pluginModules.push(require('../../../src/room/page/widgetRestore').savedWidgetsPlugin(require('@jupyter-widgets/jupyterlab-manager').WidgetManager));",
    "async function main() {",
    "  const plugins = pluginModules.flatMap(pluginsOf);",
    "  const mimeExtensions = mimeModules.flatMap(pluginsOf);",
    "  const pluginRegistry = new PluginRegistry();",
    "  pluginRegistry.registerPlugins(plugins);",
    "  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);",
    "  const app = new JupyterLab({ pluginRegistry, mimeExtensions, serviceManager, availablePlugins: plugins });",
    "  app.name = PageConfig.getOption('appName') || 'stripes room';",
    "  if (String(PageConfig.getOption('exposeAppInBrowser')).toLowerCase() === 'true') window.jupyterapp = app;",
    "  await app.start({ bubblingKeydown: true });",
    "  await app.restored;",
    "}",
    "main().catch((err) => { console.error('stripes room: the app did not start', err); });",
  );
  return lines.join("\n") + "\n";
}

const gen = path.join(appSrc, ".gen");
fs.mkdirSync(gen, { recursive: true });
fs.writeFileSync(path.join(gen, "index.js"), entrySource());

const staging = `${out}.building`;
fs.rmSync(staging, { recursive: true, force: true });
const buildDir = path.join(staging, "build");
const mode = process.env.STRIPES_ROOM_APP_MODE === "development" ? "development" : "production";

// Loaders (style-, css-) are the build's packages, not the library's: found from scripts/room-app.
const resolveLoader = { modules: [path.join(appSrc, "node_modules")] };

const main = merge(baseConfig, {
  mode,
  devtool: false,
  context: appSrc,
  entry: { lab: path.join(gen, "index.js") },
  resolve: {
    modules: [path.join(appSrc, "node_modules"), "node_modules"],
    extensions: [".ts", ".js", ".json"],
    fallback: { util: false },
  },
  resolveLoader,
  output: {
    path: buildDir,
    filename: "[name].js",
    chunkFilename: "[name].[contenthash:8].js",
    assetModuleFilename: "[name].[contenthash:8][ext]",
    publicPath: "auto",
  },
  module: {
    rules: [
      { test: /\.ts$/, exclude: /node_modules/, loader: "builtin:swc-loader", options: { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }, type: "javascript/auto" },
      { resourceQuery: /raw/, type: "asset/source" },
      { resourceQuery: /text/, type: "asset/resource", generator: { filename: "[name][ext]" } },
    ],
  },
  performance: { hints: false },
  ignoreWarnings: [{ module: /mathjax/, message: /__dirname/ }],
  optimization: { moduleIds: "deterministic" },
});

const assets = Build.ensureAssets({ packageNames: meta.room.extensions, output: buildDir, schemaOutput: buildDir, themeOutput: buildDir })
  .map((config) => merge(config, { mode, resolveLoader }));

const started = Date.now();
console.log(`room app: bundling ${meta.room.extensions.length} JupyterLab/JupyterLite packages with rspack (${mode})…`);
rspack([main, ...assets], (err, stats) => {
  if (err || stats.hasErrors()) {
    console.error(err ? String(err) : stats.toString({ all: false, errors: true }));
    process.exit(1);
  }
  // Every plugin's settings schema in one file: what @jupyterlite/services' settings read.
  const schemas = path.join(buildDir, "schemas");
  const all = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith(".json") && !(dir === schemas && e.name.startsWith("all"))) {
        const rel = path.relative(schemas, f).split(path.sep);
        const plugin = path.basename(rel.pop(), ".json");
        const pkg = rel.join("/");
        const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json.orig"), "utf8")).version;
        all.push({ id: `${pkg}:${plugin}`, raw: "{}", schema: JSON.parse(fs.readFileSync(f, "utf8")), settings: {}, version });
      }
    }
  };
  walk(schemas);
  fs.writeFileSync(path.join(schemas, "all.json"), JSON.stringify(all));

  fs.mkdirSync(path.join(staging, "lab"), { recursive: true });
  fs.writeFileSync(path.join(staging, "lab", "index.html"), fs.readFileSync(path.join(appSrc, "lab.html"), "utf8").replace("__BUNDLE__", "lab.js"));
  fs.copyFileSync(path.join(appSrc, "root.html"), path.join(staging, "index.html"));
  fs.copyFileSync(path.join(appSrc, "jupyter-lite.json"), path.join(staging, "jupyter-lite.json"));
  // JupyterLite's own service-worker.js stays unused in build/: its manager is switched off ("room"
  // above) and `room build` writes the room's precaching worker (src/room/site/offline.ts) instead.
  fs.writeFileSync(path.join(staging, ".stamp"), want);
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(staging, out);
  console.log(`room app: ${path.relative(root, out)} built in ${((Date.now() - started) / 1000).toFixed(0)} s (${all.length} settings schemas)`);
});
