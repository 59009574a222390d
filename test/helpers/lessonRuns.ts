/**
 * The lesson runs, shared by test/jupyter/lesson0N.test.ts (one file per lesson, so that npm test's
 * parallel groups can spread them) and test/jupyter/notebooks.test.ts.
 *
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
import { WIDGET_STATE_MIME } from "../../src/jupyter/widgetState";
import { buildAll } from "../../scripts/build-notebooks";
import { hasFallback } from "../../src/lessons/tinyCycleGan/fallback";
import { fixturePath, readManifest } from "./fixtures";
import { HAS_ORT } from "./optional";
import { useDefaultBackend } from "./backend";
import { ResNetGenerator } from "../../src/models";
import * as torch from "../../src/torch";
import { lessonEnv } from "./lessons";

const ROOT = path.join(__dirname, "..", "..");
const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const NOTEBOOKS = path.join(ROOT, "notebooks");
const lessons = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

/** Cells whose value is a bare boolean: a beginner reads `[n]: false` under a check as an error. */
function bareBooleans(nb: Notebook): string[] {
  return nb.cells.filter((c) => (c.outputs ?? []).some((o) => o.output_type === "execute_result" && /^(true|false)$/.test(joinLines(o.data["text/plain"] as string).trim()))).map((c) => c.id ?? "?");
}

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

/** The committed notebooks are their sources, built, with no outputs. */
export function notebookTests(): void {
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
  // A lesson runs unchanged in the Node kernel and in the room's Web Worker, where there is no
  // process: what it is told from outside comes through lessonSettings(), its timing through stopwatch().
  built("no lesson's code cell asks the process where it runs (no `process.`)", () => {
    const asking: string[] = [];
    for (const lesson of lessons) {
      for (const cell of readNotebook(path.join(NOTEBOOKS, lesson)).cells) {
        if (cell.cell_type !== "code") continue;
        joinLines(cell.source).split("\n").forEach((line, i) => {
          if (/(^|[^\w.$])process\s*\./.test(line)) asking.push(`${lesson} cell ${cell.id} line ${i + 1}: ${line.trim()}`);
        });
      }
    }
    assert.equal(asking, []);
  });
    built.run();
}

/** The runs of the lessons whose file names match `only`, as one uvu suite. */
async function checkLesson01(nb: Notebook, dir: string): Promise<void> {
  const manifest = readManifest("notebook");
  // The module tree, character for character (PyTorch 1.13's repr in 0.4 style, as the article).
  assert.is(stdout(cellById(nb, "eval").outputs), manifest.generator.repr04 + "\n");
  // The count the learner reads: PyTorch's sum(p.numel() for p in netG.parameters()).
  assert.match(stdout(cellById(nb, "count").outputs), new RegExp(`^${manifest.generator.parameters.toLocaleString("en")} parameters$`, "m"));
  checkCompileCell(nb);
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

/**
 * Lesson 02 as the learner reads it (fast mode here; .ci/run runs it in full, where its check cell
 * asserts at most 5 and at least 6 of 8): the original GAN's points crowd into a few of the
 * ring's modes and the packed GAN covers more. And after Run All the playground at the top still
 * holds the ring: the last cell's listed points are a playground of their own.
 */
function checkLesson02(nb: Notebook): void {
  const covered = (id: string, pack: number): number => {
    const printed = stdout(cellById(nb, id).outputs);
    const m = printed.match(new RegExp(`^pack ${pack}: modes covered (\\d) of 8; points per mode: [\\d, ]+$`, "m"));
    assert.ok(m, `cell '${id}' prints the mode count:\n${printed}`);
    return Number(m![1]);
  };
  const [one, two] = [covered("collapse", 1), covered("packed", 2)];
  assert.ok(one >= 1 && one <= 5, `pack 1 covers ${one} of 8: the prose says its points crowd into a few of the blobs`);
  assert.ok(two >= 6 && two > one, `pack 2 covers ${two} of 8 (pack 1: ${one}): the prose says packing covers more`);
  assert.match(stdout(cellById(nb, "check").outputs), /^✓ pack 1 collapsed to \d of 8 modes; pack 2 covers \d of 8/m);

  // The widgets as saved with the notebook (what a front end shows after Run All).
  const state = (nb.metadata.widgets as any)?.[WIDGET_STATE_MIME]?.state as Record<string, { model_name: string; state: any }>;
  assert.ok(state, "the run saved the widgets' state");
  const shown = (id: string): { data: string; plot: string } => {
    const view = cellById(nb, id).outputs!.find((o) => (o.output_type === "execute_result" || o.output_type === "display_data") && WIDGET_VIEW_MIME in o.data);
    assert.ok(view, `cell '${id}' shows a widget`);
    const models: any[] = [];
    const walk = (ref: string) => {
      const model = state[ref.replace(/^IPY_MODEL_/, "")];
      models.push(model);
      for (const child of model?.state.children ?? []) walk(child);
    };
    walk((view as any).data[WIDGET_VIEW_MIME].model_id);
    const data = models.find((m) => m?.model_name === "DropdownModel" && m.state.description === "data");
    const plot = models.find((m) => m?.model_name === "HTMLModel" && String(m.state.value).startsWith("<svg"));
    assert.ok(data && plot, `cell '${id}': the playground's data control and plot`);
    return { data: data.state._options_labels[data.state.index], plot: plot.state.value };
  };
  const top = shown("playground");
  assert.is(top.data, "ring", "the playground at the top still plays the ring");
  assert.match(top.plot, /modes covered: \d of 8/);
  const mine = shown("own-data");
  assert.is(mine.data, "points");
  assert.match(mine.plot, /modes covered: \d of 4/);
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

/**
 * Lesson 01's compile cell on the learner's own class: with onnxruntime-node it exports and runs
 * it, and says how much faster and how far apart the two outputs are (≤ 1e-4); without, it says
 * onnxruntime-node is missing, which is then true.
 */
function checkCompileCell(nb: Notebook): void {
  const out = stdout(cellById(nb, "compile").outputs);
  if (!HAS_ORT) {
    assert.match(out, /^No compiled engine here \(.*onnxruntime-node is not available/m, out);
    return;
  }
  assert.match(out, /^TensorFlow\.js \(\w+, \d+ thread\(s\)\): \d+ ms$/m, out);
  assert.match(out, /^onnxruntime-node [\d.]+, \d+ threads?: \d+ ms, \d+\.\d× as fast \(compiling took \d+ ms\)$/m, out);
  const diff = Number(/^largest difference between the two outputs: (\S+)$/m.exec(out)?.[1]);
  assert.ok(diff <= 1e-4, `the compiled and TensorFlow.js outputs differ by ${diff}:\n${out}`);
}

/** The runs of the lessons whose file names match `only`, as one uvu suite. */
export function lessonTests(only: RegExp): void {
  const run = suite("lessons on the stripes kernel (stripes run)");

  for (const lesson of lessons.filter((l) => only.test(l))) {
    run(`${lesson} runs to the end`, async () => {
      // A scratch copy under the repository: `stripes` resolves as it does for notebooks/, and the
      // files a lesson saves (zebra.png) stay out of the tree.
      fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
      const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-lesson-"));
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
      try {
        fs.copyFileSync(path.join(NOTEBOOKS, lesson), path.join(dir, lesson));
        const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache), timeout: 300 });
        // check() no longer throws on a wrong answer, so a solution that went wrong shows here.
        const printed = nb.cells.map((c) => stdout(c.outputs)).join("");
        assert.not.match(printed, /^(✗|…) /m, `${lesson}: a solution is not accepted:\n${printed.match(/^(✗|…) .*$/m)?.[0]}`);
        assert.not.match(printed, /is not solved yet/);
        assert.equal(bareBooleans(nb), [], `${lesson}: cells showing a bare true/false`);
        if (lesson.startsWith("01-")) await checkLesson01(nb, dir);
        if (lesson.startsWith("02-")) checkLesson02(nb);
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
  for (const lesson of lessons.filter((l) => /^0[12]-/.test(l) && only.test(l))) {
    run(`${lesson}, the exercise version (blank answers), runs to the end`, async () => {
      fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
      const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-exercise-"));
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
      try {
        writeNotebook(path.join(dir, lesson), exerciseNotebook(readNotebook(path.join(NOTEBOOKS, lesson))));
        const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache), timeout: 300 });
        const printed = nb.cells.map((c) => stdout(c.outputs)).join("");
        const blanks = printed.match(/^… \d\d-[a-z-]+: not answered yet\. /gm) ?? [];
        const checks = nb.cells.filter((c) => c.cell_type === "code" && /check\("\d\d-/.test(joinLines(c.source))).length;
        assert.is(blanks.length, checks, `every exercise is "not answered yet":\n${printed}`);
        assert.not.match(printed, /^✗ /m);
        assert.match(printed, /is not solved yet, so the cells below use the built-in one/);
        assert.equal(bareBooleans(nb), [], `${lesson}: cells showing a bare true/false`);
        if (lesson.startsWith("01-")) await checkLesson01(nb, dir);
        if (lesson.startsWith("02-")) checkLesson02(nb);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(cache, { recursive: true, force: true });
      }
    });
  }


  // The learner's copy on a generator of the article's size: the lesson prints PyTorch's parameter
  // count for it (the number a workshop talks about) and compiles the learner's own class. The
  // weights are random, written here by stripes' torch.save (45 MB is not for committing); the keys
  // and count come from PyTorch (scripts/fixtures/models.py, gen_default).
  if (only.test("01-horse-to-zebra.ipynb")) run("01-horse-to-zebra.ipynb, the exercise version, on a full-size generator: PyTorch's parameter count, and the compile cell", async () => {
    await useDefaultBackend();
    const pytorch = readManifest("models").gen_default as { keys: string[]; parameters: number };
    fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-fullsize-"));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
    try {
      const sd = new ResNetGenerator().stateDict();
      assert.equal([...sd.keys()], pytorch.keys);
      torch.save(sd, path.join(dir, "full.pth"));
      const lesson = "01-horse-to-zebra.ipynb";
      writeNotebook(path.join(dir, lesson), exerciseNotebook(readNotebook(path.join(NOTEBOOKS, lesson))));
      const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache, { STRIPES_WEIGHTS: path.join(dir, "full.pth") }), timeout: 300 });
      assert.is(stdout(cellById(nb, "count").outputs), `(01-count-parameters is not solved yet, so the cells below use the built-in one)\n${pytorch.parameters.toLocaleString("en")} parameters\n`);
      assert.is(pytorch.parameters.toLocaleString("en"), "11,378,179"); // the number the lesson and the workshop plan quote
      checkCompileCell(nb);
      // what the learner reads at full size, for the record (CI's log keeps it)
      console.log(`  full-size generator, compile cell: ${stdout(cellById(nb, "compile").outputs).trim().replace(/\n/g, " | ")}`);
      assert.equal(bareBooleans(nb), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  // Lesson 03 with the shipped pair instead of training: the much-longer section does not set the
  // pair beside itself, and the measures show it once.
  if (only.test("03-tiny-cyclegan.ipynb")) run("03-tiny-cyclegan.ipynb with STRIPES_PRETRAINED=1 shows the shipped pair once, not beside itself", async () => {
    if (!hasFallback()) return;
    fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-pretrained-"));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-empty-cache-"));
    try {
      const lesson = "03-tiny-cyclegan.ipynb";
      fs.copyFileSync(path.join(NOTEBOOKS, lesson), path.join(dir, lesson));
      const nb = await runNotebook(path.join(dir, lesson), { env: lessonEnv(cache, { STRIPES_PRETRAINED: "1", STRIPES_FAST: "" }), timeout: 300 });
      const measures = stdout(cellById(nb, "measures").outputs);
      assert.match(measures, /fallback/);
      assert.not.match(measures, /much longer/);
      const longer = cellById(nb, "much-longer").outputs ?? [];
      assert.is(longer.filter((o) => o.output_type === "display_data").length, 0, "no picture of the pair beside itself");
      assert.match(stdout(longer), /^The pictures and measures above are this pair's \(PRETRAINED\)/m);
      assert.match(stdout(longer), /← kept/);
      const checked = stdout(cellById(nb, "check-measures").outputs);
      assert.match(checked, /^✓ G_AB\(a\) striped share/m);
      assert.not.match(checked, /^✗/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  run.run();
}
