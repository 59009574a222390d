#!/usr/bin/env node
// Lesson 03's results from an executed notebook (.ci/run's full run): prints the measures and the
// check's lines, and writes the final sample grid and the live-vs-fallback grid as PNGs.
//   node scripts/lesson03-report.js EXECUTED.ipynb OUT_PREFIX
// Exits 1 when the notebook has an error output (the lesson's check raises on a missed threshold),
// or when a number the prose cites from a full run is not what this run printed.
const fs = require("node:fs");
const { joined, readExecuted, outputOf, reportErrors, checkClaims } = require("./executed-notebook");
const [file, prefix] = process.argv.slice(2);
const nb = readExecuted(file && prefix ? file : undefined, "lesson03-report.js EXECUTED.ipynb OUT_PREFIX");
let failed = reportErrors(nb, "lesson 03");
for (const cell of nb.cells) {
  if (!["measures", "check-measures", "much-longer", "train"].includes(cell.id)) continue;
  for (const o of cell.outputs ?? []) if (o.output_type === "stream") process.stdout.write(joined(o.text));
}
const pngs = (id) => (nb.cells.find((c) => c.id === id)?.outputs ?? []).filter((o) => o.data?.["image/png"]).map((o) => o.data["image/png"]);
const save = (id, suffix) => {
  const all = pngs(id);
  if (all.length === 0) return;
  const out = `${prefix}-${suffix}.png`;
  fs.writeFileSync(out, Buffer.from(all[all.length - 1], "base64"));
  console.log(`lesson 03: ${suffix} → ${out}`);
};

// The numbers the lesson's prose cites from a full run ("Reading the pictures and the numbers",
// "The check", the longer run's paragraph), each read back from what this run printed. The
// prose's own words are searched for first, so an edit of the text without its check (or the
// reverse) fails here too. Training is deterministic on one machine kind, so a change in any of
// them means the lesson's text no longer tells this run's truth.
const outputText = (id) => outputOf(nb, id);
/** The measures table's rows in order, each `[label, ...columns]`; labels repeat per direction, so rows are found by order. */
function tableRows(out) {
  const lines = out.split("\n");
  const start = lines.findIndex((l) => /^\s{10,}\S/.test(l) && l.includes("real images"));
  if (start < 0) return undefined;
  const rows = [];
  for (const line of lines.slice(start + 1)) {
    const m = line.match(/^(.*?\S)\s{2,}(\S+(?:\s+\S+)*)$/);
    if (!m || !/^[\d.∞ -]+$/.test(m[2])) break;
    rows.push([m[1].trim(), ...m[2].trim().split(/\s+/)]);
  }
  return rows;
}
const measures = tableRows(outputText("measures"));
const longer = tableRows(outputText("much-longer"));
const cell = (rows, index, column) => (rows && rows[index] ? rows[index][column] : undefined);
const ROW = { abStriped: 0, abContrast: 2, abColourError: 3, abColourKept: 4, abIoU: 5, baStriped: 6, baContrast: 7, baColourError: 8, baIoU: 10, cycleA: 11, cycleB: 12 };
const loss = outputText("measures").match(/cycle\s+loss: first \d+ steps ([\d.]+) → last \d+ ([\d.]+)/);
const round = (v, digits) => (v === undefined ? undefined : Number(v).toFixed(digits));
const dB = (v) => (v === undefined ? undefined : String(Math.round(Number(v))));
/** [the prose's words, what this run printed, what the words say it printed] */
const claims = [
  ["14 of 16 count as striped (0.88 in the table)", cell(measures, ROW.abStriped, 1), "0.88"],
  ["contrast 0.38 where real ones have 0.51", `${cell(measures, ROW.abContrast, 1)}/${cell(measures, ROW.abContrast, 2)}`, "0.38/0.51"],
  ["colour kept 1.00; colour error 0.21", `${cell(measures, ROW.abColourKept, 1)}/${round(cell(measures, ROW.abColourError, 1), 2)}`, "1.00/0.21"],
  ["the outlines overlap the inputs' at IoU 0.87", cell(measures, ROW.abIoU, 1), "0.87"],
  ["in their colour (error 0.13)", round(cell(measures, ROW.baColourError, 1), 2), "0.13"],
  ["(contrast 0.10, where 0.3 counts as striped)", cell(measures, ROW.baContrast, 1), "0.10"],
  ["The round trips give the images back** at 24–25 dB", `${dB(cell(measures, ROW.cycleA, 1))}–${dB(cell(measures, ROW.cycleB, 1))}`, "24–25"],
  ["the cycle loss falls from 2.7 to about 1.0", loss ? `${round(loss[1], 1)}→${Math.abs(Number(loss[2]) - 1) <= 0.1 ? "about 1.0" : loss[2]}` : undefined, "2.7→about 1.0"],
  ["the run above on wasm (striped 0.88, colour error 0.21 and 0.13, IoU 0.87 and 0.90, 24–25 dB)",
    `${cell(measures, ROW.abStriped, 1)}/${round(cell(measures, ROW.abColourError, 1), 2)}/${round(cell(measures, ROW.baColourError, 1), 2)}/${cell(measures, ROW.abIoU, 1)}/${cell(measures, ROW.baIoU, 1)}`,
    "0.88/0.21/0.13/0.87/0.90"],
  ["on this lesson's 16 test pairs it stripes 14, keeps every colour and gives the images back at 26 dB",
    `${cell(longer, ROW.abStriped, 2)}/${cell(longer, ROW.abColourKept, 2)}/${dB(cell(longer, ROW.cycleA, 2))}/${dB(cell(longer, ROW.cycleB, 2))}`,
    "0.88/1.00/26/26"],
];
if (!nb.cells.some((c) => c.id === "train" && (c.outputs ?? []).some((o) => o.output_type === "stream" && /\d+ steps of/.test(joined(o.text))))) {
  console.log("lesson 03: not a full run (no training line): the prose's numbers are not checked");
} else {
  if (checkClaims(nb, "lesson 03", claims)) failed = true;
}

save("train", "final-grid");
save("much-longer", "live-vs-fallback");
process.exit(failed ? 1 : 0);
