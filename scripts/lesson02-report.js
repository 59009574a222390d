#!/usr/bin/env node
// Lesson 02's full run (.ci/run), read back from the executed notebook: the check cell's line
// (pack 1 collapses, pack 2 covers), and every number the prose cites from a full run, each
// compared with what this run printed.
//   node scripts/lesson02-report.js EXECUTED.ipynb
// Exits 1 when the notebook has an error output, the check line is missing, or a cited number is
// not what this run printed (or its words are gone from the prose).
const fs = require("node:fs");
const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: lesson02-report.js EXECUTED.ipynb");
  process.exit(2);
}
let nb;
try {
  nb = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (err) {
  console.error(`${file}: cannot read the executed notebook: ${err.message}`);
  process.exit(2);
}
const join = (t) => (Array.isArray(t) ? t.join("") : t ?? "");
let failed = false;
for (const cell of nb.cells) {
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "error") {
      failed = true;
      console.log(`lesson 02: error in cell ${cell.id}: ${o.ename}: ${o.evalue}`);
    }
  }
}
const output = (id) => (nb.cells.find((c) => c.id === id)?.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => join(o.text)).join("");
const checkLine = output("check").split("\n").find((l) => l.startsWith("✓ pack 1 collapsed"));
if (!checkLine) failed = true;
console.log(`lesson 02: ${checkLine ?? "NO CHECK LINE"}`);

// The experiment "G stalls with the minimax loss": its cell prints the distances and gradient lengths.
const prose = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => join(c.source)).join("\n").replace(/\s+/g, " ");
const stall = output("stall");
const distance = stall.match(/nearest mode: ([\d.]+) untrained → ([\d.]+) minimax, ([\d.]+) non-saturating/);
const push = stall.match(/per point: ([\d.e+-]+) minimax, ([\d.e+-]+) non-saturating/);
const two = (v) => (v === undefined ? undefined : Number(v).toFixed(2));
const ratio = push ? Number(push[2]) / Number(push[1]) : NaN;
/** [the prose's words, what this run printed, what the words say it printed] */
const claims = [
  ["mean distance 1.06 untrained, 0.99 after", distance ? `${two(distance[1])}/${two(distance[2])}` : undefined, "1.06/0.99"],
  // "about 10 times": within a factor 1.5 of ten
  ["with gradients about 10 times smaller than the non-saturating G's", Number.isFinite(ratio) ? (ratio >= 10 / 1.5 && ratio <= 15 ? "about 10" : ratio.toFixed(1)) : undefined, "about 10"],
  ["whose points reach the ring (0.13)", distance ? two(distance[3]) : undefined, "0.13"],
];
if (!/full run/.test(output(nb.cells.find((c) => /backend:/.test(output(c.id)))?.id))) {
  console.log("lesson 02: not a full run: the prose's numbers are not checked");
} else {
  for (const [words, printed, said] of claims) {
    const inProse = prose.includes(words);
    const ok = inProse && printed === said;
    if (!ok) failed = true;
    console.log(`lesson 02: ${ok ? "✓" : "✗"} prose "${words}": ${inProse ? `printed ${printed ?? "nothing"}${printed === said ? "" : `, the prose says ${said}`}` : "these words are not in the lesson any more"}`);
  }
}
process.exit(failed ? 1 : 0);
