/**
 * Every lesson under notebooks/ runs on the stripes kernel with `stripes run`, offline, on
 * small PyTorch-written fixtures (scripts/fixtures/notebook.py): a legacy-format generator
 * (ngf 8, 2 blocks) and a synthetic photo. Lesson 01 must print PyTorch's module tree (in the
 * article's PyTorch 0.4 style) and show PyTorch's output picture within 1 grey level.
 * Also: each committed notebook is what scripts/build-notebooks.ts makes from its source.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { runNotebook } from "../../src/jupyter/run";
import { joinLines, readNotebook, writeNotebook, type Notebook, type Output } from "../../src/jupyter/nbformat";
import { exerciseNotebook } from "../../src/jupyter/exerciseVersion";
import { buildAll } from "../../scripts/build-notebooks";
import { hasFallback } from "../../src/lessons/fallback";
import { fixturePath, readManifest } from "../helpers/fixtures";
import { lessonEnv } from "../helpers/lessons";

const ROOT = path.join(__dirname, "..", "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const lessons = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function cellById(nb: Notebook, id: string) {
  const cell = nb.cells.find((c) => c.id === id);
  assert.ok(cell, `cell '${id}' exists`);
  return cell!;
}

/** What a cell printed: its stdout, and its value's text as a line (execute_result). */
function stdout(outputs: Output[] = []): string {
  return outputs
    .map((o) => {
      if (o.output_type === "stream" && o.name === "stdout") return joinLines(o.text);
      if (o.output_type === "execute_result") return joinLines(o.data["text/plain"] as string) + "\n";
      return "";
    })
    .join("");
}

const built = suite("notebooks/ from notebooks/src/");

built("every notebook with a source in notebooks/src/ is that source, built", () => {
  const all = buildAll();
  assert.ok(all.some((b) => path.basename(b.file) === "01-horse-to-zebra.ipynb"));
  for (const { file, text } of all) {
    assert.ok(fs.existsSync(file), `${file} exists`);
    assert.is(fs.readFileSync(file, "utf8"), text, `${path.basename(file)} is stale: run npx ts-node scripts/build-notebooks.ts`);
  }
});

built("nbformat 4.5 with the stripes kernel, no outputs committed", () => {
  for (const lesson of lessons) {
    const nb = readNotebook(path.join(NOTEBOOKS, lesson));
    assert.is(nb.nbformat_minor, 5);
    assert.equal(nb.metadata.kernelspec, { name: "stripes", display_name: "TypeScript (stripes)", language: "typescript" });
    for (const cell of nb.cells) {
      assert.match(cell.id ?? "", /^[a-zA-Z0-9-_]+$/);
      if (cell.cell_type === "code") assert.equal(cell.outputs, []);
    }
  }
});

built.run();

const run = suite("lessons on the stripes kernel (stripes run)");

for (const lesson of lessons) {
  run(`${lesson} runs to the end`, async () => {
    // A scratch copy under the repository: `stripes` resolves as it does for notebooks/, and the
    // files a lesson saves (zebra.png) stay out of the tree.
    fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-lesson-"));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
    try {
      fs.copyFileSync(path.join(NOTEBOOKS, lesson), path.join(dir, lesson));
      const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache), timeout: 120 });
      // check() no longer throws on a wrong answer, so a solution that went wrong shows here.
      const printed = nb.cells.map((c) => stdout(c.outputs)).join("");
      assert.not.match(printed, /^(✗|…) /m, `${lesson}: a solution is not accepted:\n${printed.match(/^(✗|…) .*$/m)?.[0]}`);
      assert.not.match(printed, /is not solved yet/);
      if (lesson.startsWith("01-")) await checkLesson01(nb, dir);
      if (lesson.startsWith("03-")) checkLesson03(nb, dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
}

// The learners' copies (answers blank) of the lessons whose later cells use the answers: every
// exercise says "not answered yet", the built-in answers stand in, and the run reaches the end
// (lesson 01's zebra is still PyTorch's). Lesson 03's copy runs in .ci/run (it takes minutes).
for (const lesson of lessons.filter((l) => /^0[12]-/.test(l))) {
  run(`${lesson}, the exercise version (blank answers), runs to the end`, async () => {
    fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-exercise-"));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
    try {
      writeNotebook(path.join(dir, lesson), exerciseNotebook(readNotebook(path.join(NOTEBOOKS, lesson))));
      const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache), timeout: 120 });
      const printed = nb.cells.map((c) => stdout(c.outputs)).join("");
      const blanks = printed.match(/^… \d\d-[a-z-]+: not answered yet\. /gm) ?? [];
      const checks = nb.cells.filter((c) => c.cell_type === "code" && /check\("\d\d-/.test(joinLines(c.source))).length;
      assert.is(blanks.length, checks, `every exercise is "not answered yet":\n${printed}`);
      assert.not.match(printed, /^✗ /m);
      assert.match(printed, /is not solved yet, so the cells below use the built-in one/);
      if (lesson.startsWith("01-")) await checkLesson01(nb, dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
}

async function checkLesson01(nb: Notebook, dir: string): Promise<void> {
  const manifest = readManifest("notebook");
  // The module tree, character for character (PyTorch 1.13's repr in 0.4 style, as the article).
  assert.is(stdout(cellById(nb, "eval").outputs), manifest.generator.repr04 + "\n");
  // The shape array as util.inspect shows it (the cell's value); PyTorch's batch_t.shape from the fixture.
  assert.is(stdout(cellById(nb, "batch").outputs), `[ ${manifest.batch.shape.join(", ")} ]\n`);

  // The zebra: shown inline as PNG, and saved; both equal PyTorch's within 1 level.
  const expected = await rgb(fs.readFileSync(fixturePath("notebook", "expected.png")));
  assert.equal([expected.width, expected.height], manifest.expected.size);
  // The cell's value is the image: an execute_result with its picture (Symbol.for("Jupyter.display")).
  const shown = cellById(nb, "zebra").outputs!.find((o) => (o.output_type === "display_data" || o.output_type === "execute_result") && "image/png" in o.data);
  assert.ok(shown, "the zebra cell shows a picture");
  const pngs = [
    Buffer.from(joinLines((shown as { data: Record<string, string> }).data["image/png"]), "base64"),
    fs.readFileSync(path.join(dir, "zebra.png")),
  ];
  for (const png of pngs) {
    const got = await rgb(png);
    assert.equal([got.width, got.height], [expected.width, expected.height]);
    let maxDiff = 0;
    for (let i = 0; i < got.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - expected.data[i]));
    assert.ok(maxDiff <= 1, `the zebra differs from PyTorch's by up to ${maxDiff} levels`);
  }
}

/** Lesson 03 in fast mode: its measures are printed beside the real images', D_B's views shown, both generators saved. */
function checkLesson03(nb: Notebook, dir: string): void {
  const measures = stdout(cellById(nb, "measures").outputs);
  assert.match(measures, /real images/);
  assert.match(measures, /G_AB\(a\) striped \(share\) +\d\.\d\d +1\.00/); // the real striped images are all striped
  assert.match(stdout(cellById(nb, "check-measures").outputs), /✓ fast mode: the cycle loss fell/);
  const pngs = (id: string) => (cellById(nb, id).outputs ?? []).filter((o) => o.output_type === "display_data").length;
  // the live and fallback generators side by side, or, while data/lesson03/ has none, a line saying so
  if (hasFallback()) assert.ok(pngs("much-longer") >= 1, "the live and fallback generators are shown side by side");
  else assert.match(stdout(cellById(nb, "much-longer").outputs), /no fallback generators in this copy of stripes yet/);
  for (const f of ["tiny_plain2striped.pth", "tiny_striped2plain.pth"]) assert.ok(fs.existsSync(path.join(dir, f)), `${f} saved`);
}

run.run();
