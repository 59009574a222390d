/**
 * The stripes kernel in a real browser: JupyterLab 4 + ipywidgets 8 (in the harness's own
 * virtualenv) and Debian's Chromium, as a learner uses them. Not part of npm test (it needs Python
 * packages and takes a minute or two); scripts/browser-test.js runs it, and .ci/run runs that.
 *
 * 1. Run All on a notebook whose second cell computes for 5 s, with two cells after it: while it
 *    runs, the cell before it shows its number, the long cell `[*]`, and the kernel indicator
 *    busy; the indicator stays busy in every sample, and in every change the page recorded (a
 *    MutationObserver), until the last cell has its number; the counts are 1, 2, 3, 4 in order
 *    (tslab fails this: it answers requests concurrently).
 * 2. A slider (IntSlider) and a Label that an observe callback in the kernel writes: the slider
 *    renders; dragging it changes the label (front end → kernel → front end), and a cell run
 *    afterwards prints the slider's new value from the kernel.
 * Screenshots go to .cache/browser/kernel/.
 *
 * STRIPES_BROWSER_KERNEL=tslab runs the same on tslab's kernel (for comparison).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installKernels } from "../../src/jupyter/install";
import { Checks, LabNotebook, launchChromium, outputDir, prepare, skipped, startJupyterLab, type CellView } from "../helpers/jupyterLab";

const KERNEL = process.env.STRIPES_BROWSER_KERNEL ?? "stripes";

/** A minimal nbformat 4.5 notebook of code cells, on `kernel`. */
function notebook(kernel: string, sources: string[]): string {
  const display = kernel === "stripes" ? "TypeScript (stripes)" : "TypeScript";
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: display, language: "typescript" }, language_info: { name: "typescript" } },
    cells: sources.map((source, i) => ({ id: `cell-${i}`, cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })),
  }, null, 1);
}

const BUSY_SOURCES = [
  'const t0 = Date.now();\nconsole.log("first cell");',
  '// about 5 s of synchronous work\nlet spins = 0;\nconst end = Date.now() + 5000;\nwhile (Date.now() < end) spins++;\nconsole.log("long cell done");',
  'console.log("third cell");',
  'console.log(`last cell, ${((Date.now() - t0) / 1000).toFixed(1)} s after the first`);',
];

const WIDGET_SOURCES = [
  'import { widgets } from "stripes";\n' +
    'const slider = new widgets.IntSlider({ value: 3, min: 0, max: 100, description: "n" });\n' +
    'const label = new widgets.Label({ value: "n = 3" });\n' +
    'slider.observe(({ new: v }) => { label.value = `n = ${v}`; }, "value");\n' +
    "new widgets.VBox([slider, label])",
  'console.log(`slider value ${slider.value}`);',
];

const show = (cells: CellView[]) => cells.map((c) => `[${c.prompt || " "}]`).join(" ");

async function main(): Promise<void> {
  const need = prepare();
  if (!need.ok) return skipped("the real-browser test (JupyterLab + Chromium)", need.missing);
  const out = outputDir("kernel");
  const root = path.join(out, "root");
  fs.mkdirSync(root);
  const prefix = path.join(out, "prefix");
  installKernels({ prefix, env: { PATH: "", HOME: path.join(out, "home") } });
  fs.writeFileSync(path.join(root, "busy.ipynb"), notebook(KERNEL, BUSY_SOURCES));
  fs.writeFileSync(path.join(root, "widgets.ipynb"), notebook(KERNEL, WIDGET_SOURCES));
  const checks = new Checks();
  console.log(`browser: JupyterLab + ${need.chromium}, kernel "${KERNEL}", output in ${out}`);
  const lab = await startJupyterLab({ venv: need.venv, root, work: path.join(out, "jupyter"), jupyterPath: [path.join(prefix, "share", "jupyter")] });
  const browser = await launchChromium(need.chromium, path.join(out, "profile"));
  const shots: string[] = [];
  try {
    // 1. busy/idle and [*] under Run All
    const nb = await LabNotebook.open(browser.page, lab, "busy.ipynb");
    await nb.record();
    await nb.runAll();
    const t0 = Date.now();
    let duringLong: { cells: CellView[]; status: string } | undefined;
    let idleTooEarly: string | undefined;
    let samples = 0;
    let firstOutputAt: number | undefined;
    let cells: CellView[] = await nb.cells();
    while (Date.now() - t0 < 60000) {
      cells = await nb.cells();
      const status = await nb.kernelStatus();
      samples++;
      const done = cells.every((c) => /^\d+$/.test(c.prompt));
      if (done) break;
      if (status === "idle" && !idleTooEarly && Date.now() - t0 > 300) idleTooEarly = `${((Date.now() - t0) / 1000).toFixed(1)} s after Run All, prompts ${show(cells)}`;
      // 1 s after the first cell's output shows, the 5 s cell is running (whatever compiling the first cost)
      if (cells[0]?.output.includes("first cell") && firstOutputAt === undefined) firstOutputAt = Date.now();
      if (!duringLong && firstOutputAt !== undefined && Date.now() - firstOutputAt > 1000) {
        duringLong = { cells, status };
        shots.push(await nb.screenshot(path.join(out, "1-running-long-cell.png")));
      }
      await browser.page.waitForTimeout(150);
    }
    const final = await nb.waitForAllRun(60000).catch(() => cells);
    const elapsed = (Date.now() - t0) / 1000;
    const d = duringLong;
    checks.check("while the 5 s cell runs, the cell before it shows its number", !!d && /^\d+$/.test(d.cells[0].prompt), d ? show(d.cells) : "never sampled");
    checks.check("while the 5 s cell runs, it shows [*]", !!d && d.cells[1].prompt === "*", d ? show(d.cells) : "never sampled");
    checks.check("while the 5 s cell runs, the kernel indicator is busy", !!d && d.status === "busy", d ? `"${d.status}"` : "never sampled");
    checks.check("the kernel indicator stays busy until the last cell has finished", idleTooEarly === undefined, idleTooEarly ? `idle at ${idleTooEarly}` : `${samples} samples over ${elapsed.toFixed(1)} s`);
    // Every change the page showed, not only the samples: no "idle" from the first busy until all four have their numbers.
    const timeline = await nb.timeline();
    const firstBusy = timeline.findIndex((e) => e.status === "busy");
    const allDone = timeline.findIndex((e) => e.prompts.length === 4 && e.prompts.every((p) => /^\d+$/.test(p)));
    const idleBetween = firstBusy < 0 || allDone < 0 ? undefined : timeline.slice(firstBusy, allDone).find((e) => e.status !== "busy");
    fs.writeFileSync(path.join(out, "timeline.json"), JSON.stringify(timeline, null, 1));
    checks.check("no change of the indicator away from busy between Run All and the last cell's number (every DOM change recorded)",
      firstBusy >= 0 && allDone > firstBusy && idleBetween === undefined,
      idleBetween ? `"${idleBetween.status}" at ${idleBetween.t} ms with prompts ${idleBetween.prompts.map((p) => `[${p}]`).join(" ")}` : `${allDone - firstBusy} changes recorded, all busy, last cell done at ${timeline[allDone]?.t} ms`);
    checks.check("execution counts are 1, 2, 3, 4 in order", final.map((c) => c.prompt).join(",") === "1,2,3,4", show(final));
    checks.check("each cell's output is on its own cell", final[1]?.output.includes("long cell done") && final[2]?.output.includes("third cell") && /last cell, [5-9]\.\d s after the first/.test(final[3]?.output ?? ""),
      final.map((c) => JSON.stringify(c.output.trim())).join(" | "));
    const afterStatus = await nb.waitForStatus((s) => s === "idle", 10000).catch(() => "not idle");
    checks.check("the kernel indicator is idle after the last cell", afterStatus === "idle", afterStatus);
    shots.push(await nb.screenshot(path.join(out, "2-after-run-all.png")));
    await nb.shutdownKernel().catch(() => undefined);

    // 2. a slider that drives kernel code
    const w = await LabNotebook.open(browser.page, lab, "widgets.ipynb");
    await w.runAll();
    await w.waitForAllRun(60000).catch(() => undefined);
    const page = browser.page;
    const handle = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider .noUi-handle").first();
    const rendered = await handle.waitFor({ state: "visible", timeout: 20000 }).then(() => true, () => false);
    shots.push(await w.screenshot(path.join(out, "3-slider.png")));
    const widgetCells = await w.cells();
    checks.check("a slider renders", rendered, rendered ? "" : `first cell shows ${JSON.stringify(widgetCells[0]?.output.trim().slice(0, 200))}`);
    if (rendered) {
      const readout = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider .widget-readout").first();
      const before = (await readout.innerText()).trim();
      // Drag the handle to about 60 % of the track, so the value lands inside (0, 100), not on an end.
      const box = (await handle.boundingBox())!;
      const track = (await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider .noUi-target").first().boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(track.x + track.width * 0.6, box.y + box.height / 2, { steps: 12 });
      await page.mouse.up();
      const after = (await readout.innerText()).trim();
      checks.check("dragging the slider moves it inside its range", after !== before && /^\d+$/.test(after) && Number(after) > 10 && Number(after) < 100, `readout ${before} → ${after}`);
      const label = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-label").first();
      const labelText = await page.waitForFunction(
        (want) => [...document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-label")].some((e) => e.textContent?.trim() === want),
        `n = ${after}`, { timeout: 10000 },
      ).then(() => `n = ${after}`, async () => (await label.innerText().catch(() => "(no label)")).trim());
      checks.check("the kernel's observe callback sets the label to the dragged value", labelText === `n = ${after}`, JSON.stringify(labelText));
      await w.runCodeCell(1);
      const printed = await page.waitForFunction(
        (want) => [...document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-OutputArea")].some((e) => (e as HTMLElement).innerText.includes(want)),
        `slider value ${after}`, { timeout: 20000 },
      ).then(() => true, () => false);
      const printedText = (await w.cells())[1]?.output.trim();
      checks.check("a cell run after the drag prints the slider's new value from the kernel", printed, JSON.stringify(printedText));
      shots.push(await w.screenshot(path.join(out, "4-after-drag.png")));
    } else {
      checks.check("dragging the slider moves it inside its range", false, "no slider");
      checks.check("the kernel's observe callback sets the label to the dragged value", false, "no slider");
      checks.check("a cell run after the drag prints the slider's new value from the kernel", false, "no slider");
    }
  } finally {
    await browser.close().catch(() => undefined);
    await lab.stop();
    fs.writeFileSync(path.join(out, "jupyterlab.log"), lab.log());
  }
  for (const s of shots) console.log(`browser: screenshot ${s}`);
  checks.summary();
}

main().catch((err) => {
  console.log(`  ✗ the browser test could not run: ${(err as Error).message.split("\n")[0]}`);
  console.log("browser: 0 passed, 1 failed");
  process.exitCode = 1;
});
