#!/usr/bin/env node
// Removes what tsc wrote into dist/ for a source that no longer exists (a moved or deleted
// src/*.ts), before tsc writes the rest. tsc never deletes: a stale dist/lessons/ganGame.js would
// otherwise shadow the folder dist/lessons/ganGame/ that replaced it, for `require` and for npm pack.
// Only tsc's own outputs are judged (.js, .d.ts, .js.map of a src/ path); what the other build
// scripts write (the browser bundle, the room's app and kernel, tfjs' registrations) is left alone.
//   node scripts/clean-dist.js [ROOT]   (ROOT: the package folder; default this one)
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(process.argv[2] ?? path.join(__dirname, ".."));
const dist = path.join(root, "dist");
const src = path.join(root, "src");
const OTHERS = new Set(["browser", "room/app", "room/kernel", "tfjs-core-registrations.js"]);

function walk(dir, rel) {
  let removed = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (OTHERS.has(r)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += walk(full, r);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    const m = r.match(/^(.*)\.(js|d\.ts|js\.map)$/);
    if (!m) continue;
    const base = path.join(src, m[1]);
    if (fs.existsSync(`${base}.ts`) || fs.existsSync(`${base}.json`)) continue;
    fs.rmSync(full);
    removed++;
  }
  return removed;
}

/** Whether a source under src/ has no .js in dist/ (dist/ deleted in part, by hand or by a tool). */
function anyUnbuilt(dir, rel) {
  return fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return anyUnbuilt(path.join(dir, entry.name), r);
    const m = r.match(/^(.*)\.ts$/);
    return m !== null && !r.endsWith(".d.ts") && !fs.existsSync(path.join(dist, `${m[1]}.js`));
  });
}

if (fs.existsSync(dist)) {
  const removed = walk(dist, "");
  if (removed > 0) console.log(`clean-dist: removed ${removed} file(s) of sources that are gone`);
  // tsc --incremental (the build's) skips what its build info says is written, without looking:
  // with an output missing, the info goes and tsc writes everything.
  const info = path.join(dist, ".tsbuildinfo");
  if (fs.existsSync(info) && anyUnbuilt(src, "")) fs.rmSync(info);
}
