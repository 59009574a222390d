/**
 * The lessons model the habit of keeping memory: each lesson's code cells run twice in one
 * stripes kernel (a learner re-running a notebook), and no cell leaves tensors that no name holds
 * (the kernel's memory guard says nothing) but lesson 01's demonstration, which leaks ten
 * 256×256 tensors on purpose and gets the one line each time; the second pass ends with no more
 * unheld tensors than the first but those ten: what memory grew is held by the lesson's names.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeNotebook } from "../../src/jupyter/run";
import { joinLines, readNotebook, type Cell } from "../../src/jupyter/nbformat";
import { lessonEnv } from "../helpers/lessons";

const ROOT = path.join(__dirname, "..", "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
// npm test runs lesson 01 twice; lessons 02 and 03 pass too (STRIPES_LESSONS_TWICE=02,03; lesson 03:
// 0 unheld after each pass, 87 s on a loaded 2-core machine), but they would take npm test past its
// 5-minute budget, so .ci/run runs them beside the soak.
const lessons = (process.env.STRIPES_LESSONS_TWICE ?? "01").split(",").flatMap((n) => fs.readdirSync(NOTEBOOKS).filter((f) => f.startsWith(`${n}-`) && f.endsWith(".ipynb")));

const PROBE = 'console.log("MEMORY " + JSON.stringify((() => { const m = require("stripes").memory(); return { tensors: m.tensors, bytes: m.bytes, unheld: m.unnamed.tensors, heap: m.heap?.bytes ?? 0 }; })()));';
const probeCell = (id: string): Cell => ({ id, cell_type: "code", metadata: {}, source: PROBE, outputs: [], execution_count: null });

const twice = suite("lessons run twice: no cell leaks, memory held by names");

for (const lesson of lessons) {
  twice(`${lesson}`, async () => {
    fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-lesson-twice-"));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
    try {
      const nb = readNotebook(path.join(NOTEBOOKS, lesson));
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const onPurpose = code.filter((c) => /^\/\/ leaks on purpose/m.test(joinLines(c.source))).map((c) => c.id);
      const again = code.map((c) => ({ ...c, id: `${c.id}-again` }));
      nb.cells = [...code, probeCell("probe-1"), ...again, probeCell("probe-2")];
      const ran = await executeNotebook(nb, dir, { env: lessonEnv(cache), timeout: 120, name: lesson });
      const said = ran.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => `${c.id}: ${joinLines(o.text)}`));
      const guard = said.filter((l) => /memory: cell/.test(l));
      const expected = onPurpose.flatMap((id) => [id, `${id}-again`]);
      assert.equal(guard.map((l) => l.split(":")[0]), expected, `${lesson}: the memory guard spoke:\n${guard.join("\n")}`);
      for (const line of guard) assert.match(line, /: memory: cell \[\d+\] left 10 tensors \(2\.62 MB\) that no name holds; /);
      const probe = (id: string) => {
        const out = ran.cells.find((c) => c.id === id)!.outputs!.map((o) => (o.output_type === "stream" ? joinLines(o.text) : "")).join("");
        return JSON.parse(/MEMORY (.*)/.exec(out)![1]) as { tensors: number; bytes: number; unheld: number; heap: number };
      };
      const [first, second] = [probe("probe-1"), probe("probe-2")];
      console.log(`  ${lesson}: after pass 1 ${first.tensors} tensors (${first.unheld} unheld), ${(first.bytes / 1e6).toFixed(1)} MB, heap ${(first.heap / 1e6).toFixed(1)} MB; after pass 2 ${second.tensors} (${second.unheld} unheld), ${(second.bytes / 1e6).toFixed(1)} MB, heap ${(second.heap / 1e6).toFixed(1)} MB`);
      const leakedOnPurpose = 10 * onPurpose.length;
      assert.ok(second.unheld <= first.unheld + leakedOnPurpose, `${lesson}: unheld tensors grew from ${first.unheld} to ${second.unheld}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
}

twice.run();
