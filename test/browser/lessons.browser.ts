/**
 * Run All on each lesson in JupyterLab in Chromium, on the stripes kernel, as a learner does it
 * (fast mode and the small PyTorch-written fixtures, as npm test runs them; offline). For each:
 * while it runs, every cell above the first `[*]` has its number (the `[*]` is on the cell that
 * is running, not the one before it) and the kernel indicator is busy, in every change the page
 * recorded, until the last cell has its number; at the end the counts are 1…N in order and no
 * cell shows an error. Screenshots go to .cache/browser/lessons/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LabNotebook, ROOT, runBrowserTest, type CellView } from "../helpers/jupyterLab";

const LESSONS = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const FIXTURES = path.join(ROOT, "test", "fixtures", "notebook");
const show = (cells: CellView[]) => cells.map((c) => `[${c.prompt || " "}]`).join(" ");

/** True when the `[*]`s start right after the last numbered cell: no numberless cell above a running one. */
function starOnRunningCell(cells: CellView[]): boolean {
  const firstStar = cells.findIndex((c) => c.prompt === "*");
  return firstStar < 0 || cells.slice(0, firstStar).every((c) => /^\d+$/.test(c.prompt));
}

runBrowserTest("lessons", "Run All on each lesson in JupyterLab (stripes kernel)", async ({ root, out, lab, page, checks, shots }) => {
  for (const file of LESSONS) fs.copyFileSync(path.join(ROOT, "notebooks", file), path.join(root, file));
  for (const file of LESSONS) {
    const name = path.basename(file, ".ipynb");
    const nb = await LabNotebook.open(page, lab, file);
    await nb.record();
    await nb.runAll();
    const t0 = Date.now();
    let misplaced: string | undefined;
    let shot = false;
    let cells = await nb.cells();
    const codeCells = () => cells.filter((c) => c.prompt !== "");
    while (Date.now() - t0 < 15 * 60 * 1000) {
      cells = (await nb.cells()).filter((c) => c.prompt !== "" || c.output === ""); // markdown cells have no prompt text
      const code = codeCells();
      if (code.length > 0 && code.every((c) => /^\d+$/.test(c.prompt))) break;
      if (!misplaced && !starOnRunningCell(code)) misplaced = show(code);
      if (!shot && Date.now() - t0 > 5000 && code.some((c) => c.prompt === "*")) {
        shots.push(await nb.screenshot(path.join(out, `${name}-running.png`)));
        shot = true;
      }
      await page.waitForTimeout(250);
    }
    const timeline = await nb.timeline();
    const firstBusy = timeline.findIndex((e) => e.status === "busy");
    const allDone = timeline.findIndex((e) => e.prompts.length > 0 && e.prompts.every((p) => /^\d+$/.test(p)));
    const idleBetween = firstBusy < 0 || allDone < 0 ? undefined : timeline.slice(firstBusy, allDone).find((e) => e.status !== "busy");
    fs.writeFileSync(path.join(out, `${name}-timeline.json`), JSON.stringify(timeline, null, 1));
    const final = codeCells();
    const counts = final.map((c) => c.prompt).join(",");
    checks.check(`${name}: Run All ends with the counts 1…${final.length} in order`, counts === final.map((_, i) => i + 1).join(","), show(final));
    checks.check(`${name}: the [*] is on the running cell, every cell above it numbered`, misplaced === undefined, misplaced ?? "");
    checks.check(`${name}: the kernel indicator is busy from Run All until the last cell has its number`,
      firstBusy >= 0 && allDone > firstBusy && idleBetween === undefined,
      idleBetween ? `"${idleBetween.status}" at ${idleBetween.t} ms` : `${allDone - firstBusy} changes, all busy, done at ${timeline[allDone]?.t} ms`);
    const errors = await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count();
    const tracebacks = await page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .ansi-red-fg, .jp-NotebookPanel:not(.lm-mod-hidden) [data-mime-type='application/vnd.jupyter.error']").count();
    checks.check(`${name}: no cell shows an error`, tracebacks === 0, `${tracebacks} error output(s), ${errors} stderr output(s)`);
    shots.push(await nb.screenshot(path.join(out, `${name}-done.png`)));
    await nb.shutdownKernel().catch(() => undefined);
  }
}, {
  env: {
    STRIPES_FAST: "1",
    STRIPES_WEIGHTS: path.join(FIXTURES, "generator.pth"),
    STRIPES_IMAGE: path.join(FIXTURES, "meadow.png"),
    STRIPES_CACHE: path.join(ROOT, ".cache", "browser", "lessons-empty-cache"),
    STRIPES_FETCH_BASE: "http://127.0.0.1:9/",
  },
});
