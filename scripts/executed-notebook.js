// What the lesson reports (lesson02-report.js, lesson03-report.js) read from an executed
// notebook: its cells' printed text, its prose, its error outputs, and the check of the numbers
// the prose cites against what the run printed.
const fs = require("node:fs");

const joined = (t) => (Array.isArray(t) ? t.join("") : t ?? "");

/** The notebook at `file`, or exit 2 with one line (a usage line when no file is given). */
function readExecuted(file, usage) {
  if (!file) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`${file}: cannot read the executed notebook: ${err.message}`);
    process.exit(2);
  }
}

/** The stdout/stderr text a cell (by id) printed. */
const outputOf = (nb, id) => (nb.cells.find((c) => c.id === id)?.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => joined(o.text)).join("");

/** Prints each error output as one line; true when there was one. */
function reportErrors(nb, label) {
  let any = false;
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type !== "error") continue;
      any = true;
      console.log(`${label}: error in cell ${cell.id}: ${o.ename}: ${o.evalue}`);
    }
  }
  return any;
}

/**
 * Checks `[the prose's words, what this run printed, what the words say it printed]` claims: the
 * words must still be in the notebook's prose (whitespace folded), and the printed value must be
 * what they say. One line each; true when any failed.
 */
function checkClaims(nb, label, claims) {
  const prose = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => joined(c.source)).join("\n").replace(/\s+/g, " ");
  let failed = false;
  for (const [words, printed, said] of claims) {
    const inProse = prose.includes(words);
    const ok = inProse && printed === said;
    if (!ok) failed = true;
    console.log(`${label}: ${ok ? "✓" : "✗"} prose "${words}": ${inProse ? `printed ${printed ?? "nothing"}${printed === said ? "" : `, the prose says ${said}`}` : "these words are not in the lesson any more"}`);
  }
  return failed;
}

module.exports = { joined, readExecuted, outputOf, reportErrors, checkClaims };
