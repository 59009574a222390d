/**
 * Lesson 03 (the tiny CycleGAN) in the room, as a learner runs it: `room build` with
 * STRIPES_FAST=1 (as .ci/run's nbconvert run of the learner's copy has it), `room serve` on
 * 127.0.0.1, Chromium opens the lesson in JupyterLab and clicks Run → Run All Cells. Then the same
 * with STRIPES_PRETRAINED=1 too, where the shipped generators come from the site over HTTP.
 * Checks (the ones test/helpers/lessonRuns.ts and .ci/run make under Jupyter): every code cell ran,
 * no error output; each exercise says "not answered yet" (the room serves the learners' copies);
 * the cycle loss fell; the measures table has the real images' column; the shipped pair is shown
 * beside the live one with its provenance; the training line gives wall time and no CPU figure (a
 * browser has no CPU clock); torch.save's two files come as download links whose bytes are a
 * checkpoint with PyTorch's key names (test/fixtures/lesson03, made by scripts/make-fixtures.py).
 * Pretrained: the shipped pair passes the lesson's full check. Prints Run All's time and the
 * training's ms per step. Screenshots: .cache/browser/room/lesson03/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { Checks, findChromium, launchChromium, outputDir, skipped } from "../helpers/jupyterLab";
import { readManifest } from "../helpers/fixtures";
import { useDefaultBackend } from "../helpers/backend";
import { buildRoomSite, serveRoom, type ServedRoom } from "../helpers/room";
import { checkNoKernelStarted, watchKernelProcesses } from "../helpers/kernelProcesses";
import * as torch from "../../src/torch";
import { ResNetGenerator } from "../../src/models";
import { ROOT } from "../helpers/cli";

const LESSON = "03-tiny-cyclegan.ipynb";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}

const joined = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : t ?? "");
const stdout = (c: Cell | undefined) => (c?.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joined(o.text)).join("");
const pictures = (c: Cell | undefined) => (c?.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data && "image/png" in o.data).length;

/** Builds and serves a room with `env`, runs the lesson through Run All; the executed notebook and times. */
async function runInRoom(checks: Checks, chromium: string, name: string, env: NodeJS.ProcessEnv): Promise<{ nb: { cells: Cell[] }; firstOutput: number; allDone: number } | undefined> {
  const out = outputDir(path.join("room", "lesson03", name));
  const site = path.join(out, "site");
  let served: ServedRoom | undefined;
  try {
    const built = buildRoomSite(site, { STRIPES_CACHE: path.join(out, "cache"), ...env });
    if (!checks.check(`${name}: room build writes the site`, built.ok, built.said)) return undefined;
    served = await serveRoom(site);
    const watch = watchKernelProcesses(); // the lesson must compute in the browser alone
    const browser = await launchChromium(chromium, path.join(out, "profile"));
    try {
      const { page } = browser;
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(served.base + "lab/index.html");
      await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
      await page.evaluate(() => (window as any).jupyterapp.restored);
      await page.waitForFunction((n) => [...document.querySelectorAll(".jp-DirListing-itemName")].some((e) => e.textContent?.trim() === n), LESSON, { timeout: 60_000 });
      await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSON}"], .jp-DirListing-itemName:text-is("${LESSON}")`);
      await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
      await page.waitForFunction(() => {
        const kernel = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
        return kernel?.name === "stripes" && kernel.status === "idle";
      }, undefined, { timeout: 120_000, polling: 200 });

      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      const t0 = Date.now();
      await page.waitForSelector(".jp-NotebookPanel .jp-OutputArea-output", { timeout: 120_000 });
      const firstOutput = Date.now() - t0;
      await page.waitForFunction((lesson) => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === lesson);
        const cells = panel.context.model.toJSON().cells.filter((c: any) => c.cell_type === "code");
        const failed = cells.some((c: any) => c.outputs.some((o: any) => o.output_type === "error"));
        const done = cells.every((c: any) => typeof c.execution_count === "number");
        return (done || failed) && panel.sessionContext.session?.kernel?.status === "idle";
      }, LESSON, { timeout: 15 * 60_000, polling: 1000 }).catch(() => console.log(`  (${name}: Run All had not finished after 15 min; the checks below say what ran)`));
      const allDone = Date.now() - t0;
      const nb = (await page.evaluate((lesson) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === lesson).context.model.toJSON(), LESSON)) as { cells: Cell[] };
      await page.screenshot({ path: path.join(out, "lesson03-end.png") });
      checks.check(`${name}: no uncaught page errors`, errors.length === 0, errors.slice(0, 3).join(" | "));
      checkNoKernelStarted(watch, checks);
      return { nb, firstOutput, allDone };
    } catch (err) {
      await browser.page.screenshot({ path: path.join(out, "lesson03-failed.png") }).catch(() => undefined);
      throw err;
    } finally {
      await browser.close().catch(() => undefined);
    }
  } finally {
    served?.stop();
  }
}

/** What every run must show: all cells ran, no errors, the exercises blank, the provenance listed. */
function commonChecks(checks: Checks, name: string, nb: { cells: Cell[] }): void {
  const code = nb.cells.filter((c) => c.cell_type === "code");
  const unrun = code.filter((c) => typeof c.execution_count !== "number").map((c) => c.id);
  checks.check(`${name}: every code cell ran`, unrun.length === 0, unrun.length ? `not run: ${unrun.join(", ")}` : `${code.length} cells`);
  const errorOutputs = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${c.id}: ${o.ename}: ${o.evalue}`));
  checks.check(`${name}: no error output`, errorOutputs.length === 0, errorOutputs.slice(0, 3).join(" | "));
  const stderr = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stderr").map((o) => `${c.id}: ${joined(o.text).trim()}`));
  if (stderr.length) console.log(`  stderr lines (not errors):\n    ${stderr.join("\n    ")}`);
  const printed = code.map(stdout).join("");
  const blanks = printed.match(/^… \d\d-[a-z-]+: not answered yet\. /gm) ?? [];
  const exercises = code.filter((c) => /check\("\d\d-/.test(joined(c.source))).length;
  checks.check(`${name}: each of the ${exercises} exercises says "not answered yet" (the learners' copy)`, exercises > 0 && blanks.length === exercises, `${blanks.length} of ${exercises}`);
  checks.check(`${name}: no check line failed`, !/^✗ /m.test(printed), printed.match(/^✗ .*$/m)?.[0]);
  const byId = (id: string) => nb.cells.find((c) => c.id === id);
  checks.check(`${name}: the shipped pair's provenance, read from the site, lists its snapshots`, /← kept/.test(stdout(byId("much-longer"))), stdout(byId("much-longer")).trim().split("\n")[0]);
  const measures = stdout(byId("measures"));
  checks.check(`${name}: the measures table beside the real images (all striped)`, /G_AB\(a\) striped \(share\) +\d\.\d\d +1\.00/.test(measures), measures.split("\n").find((l) => l.includes("striped (share)")));
}

/** What the Node build of stripes writes for `torch.save(G.stateDict(), …)` of a shipped generator (data/lesson03/NAME.pth). */
function nodeSavedBytes(shipped: "G_AB" | "G_BA", file: string): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-room03-node-"));
  try {
    const net = new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" });
    tf.tidy(() => { net.loadStateDict(torch.load(path.join(ROOT, "data", "lesson03", `${shipped}.pth`)) as Map<string, tf.Tensor>); });
    tf.tidy(() => torch.save(net.stateDict(), path.join(dir, file))); // the file's name is the archive's folder inside it
    net.dispose();
    return fs.readFileSync(path.join(dir, file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * torch.save's cell: a link per file, its bytes a checkpoint with PyTorch's keys for the lesson's
 * generator; with `sameAsNode` (the pretrained run, whose generators are the shipped pair), the very
 * bytes the Node kernel writes for that pair.
 */
function saveChecks(checks: Checks, name: string, nb: { cells: Cell[] }, sameAsNode = false): void {
  const cell = nb.cells.find((c) => c.cell_type === "code" && joined(c.source).includes('torch.save(G_AB.stateDict(), "tiny_plain2striped.pth")'));
  const line = stdout(cell).trim();
  checks.check(`${name}: the save cell's line`, /^saved \d+ tensors each as tiny_plain2striped\.pth and tiny_striped2plain\.pth$/.test(line), line);
  const keys = readManifest("lesson03").G_AB_output.keys as string[];
  for (const file of ["tiny_plain2striped.pth", "tiny_striped2plain.pth"]) {
    const out = (cell?.outputs ?? []).find((o) => joined(o.data?.["text/html"]).includes(`download="${file}"`));
    const html = joined(out?.data?.["text/html"]);
    const m = /href="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(html);
    let detail = out ? "no data: URL in the link" : "no download link";
    let ok = false;
    if (m) {
      const bytes = Buffer.from(m[1], "base64");
      const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stripes-room03-")), file);
      fs.writeFileSync(tmp, bytes);
      const state = torch.load(tmp) as Map<string, tf.Tensor>;
      ok = JSON.stringify([...state.keys()]) === JSON.stringify(keys);
      detail = `${bytes.length} bytes, ${state.size} tensors${ok ? ", PyTorch's key names" : `, keys ${[...state.keys()].slice(0, 3).join(", ")}…`}; text: ${joined(out?.data?.["text/plain"])}`;
      if (ok && sameAsNode) {
        const node = nodeSavedBytes(file === "tiny_plain2striped.pth" ? "G_AB" : "G_BA", file);
        ok = node.equals(bytes);
        detail += ok ? "; the same bytes as the Node build's torch.save of the shipped pair" : `; differs from the Node build's torch.save (${node.length} bytes)`;
      }
      tf.dispose([...state.values()]);
      fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    }
    checks.check(`${name}: ${file} offered as a download link, a checkpoint with PyTorch's keys${sameAsNode ? ", bytes as Node's" : ""}`, ok, detail);
  }
}

async function main(): Promise<void> {
  const checks = new Checks();
  const chromium = findChromium();
  const missing: string[] = [];
  if (!chromium) missing.push("Chromium (/usr/bin/chromium; Debian: apt-get install chromium)");
  try {
    require.resolve("playwright-core");
  } catch {
    missing.push("playwright-core (npm install)");
  }
  if (!chromium || missing.length > 0) return skipped("lesson 03 in the room", missing);
  await useDefaultBackend(); // torch.load of the downloaded checkpoints makes tfjs tensors in this process

  try {
    const fast = await runInRoom(checks, chromium, "fast", { STRIPES_FAST: "1", STRIPES_PRETRAINED: "" });
    if (fast) {
      const { nb } = fast;
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const byId = (id: string) => nb.cells.find((c) => c.id === id);
      const setup = stdout(byId("setup")).trim();
      console.log(`browser: measured: fast: Run All Cells → first output ${(fast.firstOutput / 1000).toFixed(1)} s, → last cell done ${(fast.allDone / 1000).toFixed(1)} s (${code.length} code cells; ${setup})`);
      commonChecks(checks, "fast", nb);
      checks.check("fast: the setup cell read fast mode from stripes-room.json", /fast mode$/.test(setup) && !/pretrained/.test(setup), setup);
      const train = stdout(byId("train"));
      const stepLine = /^(\d+) steps of 4 image pairs in (\d+) s wall \(a browser has no CPU clock\) \((\d+) ms per step\)$/m.exec(train);
      checks.check("fast: the training line gives wall time and says there is no CPU clock (no CPU figure)", stepLine !== null && !/s CPU/.test(train), train.split("\n").find((l) => /steps of/.test(l)));
      if (stepLine) console.log(`browser: measured: lesson 03's training in the room: ${stepLine[3]} ms per step (${stepLine[1]} steps, ${stepLine[2]} s wall; ${setup})`);
      checks.check("fast: the check cell: the cycle loss fell", /✓ fast mode: the cycle loss fell/.test(stdout(byId("check-measures"))), stdout(byId("check-measures")).split("\n")[0]);
      checks.check("fast: the live and shipped generators shown side by side", pictures(byId("much-longer")) >= 1, `${pictures(byId("much-longer"))} picture(s)`);
      saveChecks(checks, "fast", nb);
    }

    const pretrained = await runInRoom(checks, chromium, "pretrained", { STRIPES_FAST: "1", STRIPES_PRETRAINED: "1" });
    if (pretrained) {
      const { nb } = pretrained;
      const byId = (id: string) => nb.cells.find((c) => c.id === id);
      console.log(`browser: measured: pretrained: Run All Cells → last cell done ${(pretrained.allDone / 1000).toFixed(1)} s`);
      commonChecks(checks, "pretrained", nb);
      checks.check("pretrained: the setup cell read pretrained from stripes-room.json", /pretrained generators$/.test(stdout(byId("setup")).trim()), stdout(byId("setup")).trim());
      checks.check("pretrained: no training line", !/steps of/.test(stdout(byId("train"))));
      const checked = stdout(byId("check-measures"));
      checks.check("pretrained: the shipped pair, loaded over HTTP, passes the lesson's full check", /^✓ G_AB\(a\) striped share/m.test(checked) && !/^✗/m.test(checked), checked.split("\n").find((l) => /^✗/.test(l)) ?? checked.split("\n")[0]);
      checks.check("pretrained: the much-longer cell says the pair above is the shipped one", /^The pictures and measures above are this pair's \(PRETRAINED\)/m.test(stdout(byId("much-longer"))) && pictures(byId("much-longer")) === 0);
      saveChecks(checks, "pretrained", nb, true);
    }
  } catch (err) {
    checks.check("the lesson 03 room test ran to its end", false, (err as Error).message.split("\n")[0]);
  }
  checks.summary();
}

void main();
