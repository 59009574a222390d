#!/usr/bin/env node
// Lesson 03's results from an executed notebook (.ci/run's full run): prints the measures and the
// check's lines, and writes the final sample grid and the live-vs-fallback grid as PNGs.
//   node scripts/lesson03-report.js EXECUTED.ipynb OUT_PREFIX
// Exits 1 when the notebook has an error output (the lesson's check raises on a missed threshold).
const fs = require("node:fs");
const [file, prefix] = process.argv.slice(2);
if (!file || !prefix) {
  console.error("usage: lesson03-report.js EXECUTED.ipynb OUT_PREFIX");
  process.exit(2);
}
let nb;
try {
  nb = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (err) {
  console.error(`${file}: cannot read the executed notebook: ${err.message}`);
  process.exit(2);
}
const text = (o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "");
let failed = false;
for (const cell of nb.cells) {
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "error") {
      failed = true;
      console.log(`lesson 03: error in cell ${cell.id}: ${o.ename}: ${o.evalue}`);
    }
    if (["measures", "check-measures", "much-longer", "train"].includes(cell.id) && o.output_type === "stream") process.stdout.write(text(o));
  }
}
const pngs = (id) => (nb.cells.find((c) => c.id === id)?.outputs ?? []).filter((o) => o.data?.["image/png"]).map((o) => o.data["image/png"]);
const save = (id, suffix) => {
  const all = pngs(id);
  if (all.length === 0) return;
  const out = `${prefix}-${suffix}.png`;
  fs.writeFileSync(out, Buffer.from(all[all.length - 1], "base64"));
  console.log(`lesson 03: ${suffix} → ${out}`);
};
save("train", "final-grid");
save("much-longer", "live-vs-fallback");
process.exit(failed ? 1 : 0);
