#!/usr/bin/env node
// Lesson 02's full run (.ci/run), read back from the executed notebook: the check cell's line
// (pack 1 collapses, pack 2 covers), and every number the prose cites from a full run, each
// compared with what this run printed.
//   node scripts/lesson02-report.js EXECUTED.ipynb
// Exits 1 when the notebook has an error output, the check line is missing, or a cited number is
// not what this run printed (or its words are gone from the prose).
const { readExecuted, outputOf, reportErrors, checkClaims } = require("./executed-notebook");
const nb = readExecuted(process.argv[2], "lesson02-report.js EXECUTED.ipynb");
let failed = reportErrors(nb, "lesson 02");
const output = (id) => outputOf(nb, id);
const checkLine = output("check").split("\n").find((l) => l.startsWith("✓ pack 1 collapsed"));
if (!checkLine) failed = true;
console.log(`lesson 02: ${checkLine ?? "NO CHECK LINE"}`);

// The experiment "G stalls with the minimax loss": its cell prints the distances and gradient lengths.
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
  if (checkClaims(nb, "lesson 02", claims)) failed = true;
}
process.exit(failed ? 1 : 0);
