/**
 * Lesson 02's playground in a real browser (JupyterLab 4 + ipywidgets 8 + Debian's Chromium, the
 * harness of test/helpers/jupyterLab.ts), as a learner uses it: press ▶ play, drag the lr D slider
 * while it plays, press ⏸ pause. The step counter and the picture must change while playing, the
 * kernel must see the new learning rate, and both must stop changing once paused. Also counts the
 * frames the browser receives while playing (a MutationObserver on the plot): the frame rate the
 * learner sees. Not part of npm test; scripts/browser-test.js runs it. Screenshots go to
 * .cache/browser/gan-playground/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installKernels } from "../../src/jupyter/install";
import { Checks, LabNotebook, launchChromium, outputDir, prepare, skipped, startJupyterLab } from "../helpers/jupyterLab";

const SOURCES = [
  'import { lessons } from "stripes";\nconst pg = new lessons.Playground({ data: "ring" });\npg',
  "console.log(`lrD ${pg.game.settings.lrD} step ${pg.game.stepCount} playing ${pg.playing}`);",
];

function notebook(sources: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "stripes", display_name: "TypeScript (stripes)", language: "typescript" }, language_info: { name: "typescript" } },
    cells: sources.map((source, i) => ({ id: `cell-${i}`, cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })),
  }, null, 1);
}

const PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)";

async function main(): Promise<void> {
  const need = prepare();
  if (!need.ok) return skipped("the playground's browser test (JupyterLab + Chromium)", need.missing);
  const out = outputDir("gan-playground");
  // under the repository, so that the notebook's `import "stripes"` finds node_modules/stripes
  const root = path.join(out, "root");
  fs.mkdirSync(root);
  const prefix = path.join(out, "prefix");
  installKernels({ prefix, env: { PATH: "", HOME: path.join(out, "home") } });
  fs.writeFileSync(path.join(root, "playground.ipynb"), notebook(SOURCES));
  const checks = new Checks();
  const lab = await startJupyterLab({ venv: need.venv, root, work: path.join(out, "jupyter"), jupyterPath: [path.join(prefix, "share", "jupyter")] });
  const browser = await launchChromium(need.chromium, path.join(out, "profile"));
  const page = browser.page;
  const shots: string[] = [];
  try {
    const nb = await LabNotebook.open(page, lab, "playground.ipynb");
    await nb.runCodeCell(0);
    const play = page.locator(`${PANEL} .widget-button`, { hasText: "play" }).first();
    const rendered = await play.waitFor({ state: "visible", timeout: 60000 }).then(() => true, () => false);
    shots.push(await nb.screenshot(path.join(out, "1-shown.png")));
    checks.check("the playground renders (buttons, sliders, the plot)", rendered, rendered ? "" : JSON.stringify((await nb.cells())[0]?.output.slice(0, 300)));
    if (rendered) await playPause(page, nb, checks, out, shots);
  } finally {
    await browser.close().catch(() => undefined);
    await lab.stop();
    fs.writeFileSync(path.join(out, "jupyterlab.log"), lab.log());
  }
  for (const s of shots) console.log(`browser: screenshot ${s}`);
  checks.summary();
}

/** Play, drag lr D, pause: the checks of the file comment. */
async function playPause(page: import("playwright-core").Page, nb: LabNotebook, checks: Checks, out: string, shots: string[]): Promise<void> {
  const play = page.locator(`${PANEL} .widget-button`, { hasText: "play" }).first();
  {

    // the status line ("step N · paused") is the last HTML widget; the plot (an SVG) the first
    const status = async () => (await page.locator(`${PANEL} .widget-html`).last().innerText()).trim();
    const plot = async () => (await page.locator(`${PANEL} .widget-html`).first().innerHTML()).length + ":" + (await page.locator(`${PANEL} .widget-html svg text`).first().textContent());
    const stepOf = (s: string) => Number(/^step (\d+)/.exec(s)?.[1] ?? NaN);
    const s0 = await status();
    const p0 = await plot();
    checks.check("before play: step 0, paused", /^step 0 · paused/.test(s0), JSON.stringify(s0));

    // count the plot's updates in the page while playing
    await page.evaluate((panel) => {
      const el = document.querySelector(`${panel} .widget-html`)!;
      (window as any).__frames = 0;
      new MutationObserver(() => (window as any).__frames++).observe(el, { childList: true, subtree: true, characterData: true });
    }, PANEL);
    await play.click();
    const t0 = Date.now();
    await page.waitForTimeout(4000);
    const frames = await page.evaluate(() => (window as any).__frames as number);
    const fps = frames / ((Date.now() - t0) / 1000);
    const s1 = await status();
    const p1 = await plot();
    shots.push(await nb.screenshot(path.join(out, "2-playing.png")));
    checks.check("playing: the step counter rises", stepOf(s1) > 0 && /playing/.test(s1), JSON.stringify(s1));
    checks.check("playing: the picture changes", p1 !== p0, `${p0} → ${p1}`);
    checks.check("playing: at least 4 frames per second reach the browser", fps >= 4, `${frames} plot updates in ${((Date.now() - t0) / 1000).toFixed(1)} s = ${fps.toFixed(1)} frames/s`);

    // drag lr D (the first slider) to the right while it plays
    const handle = page.locator(`${PANEL} .widget-slider .noUi-handle`).first();
    const readout = page.locator(`${PANEL} .widget-slider .widget-readout`).first();
    const before = (await readout.innerText()).trim();
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const after = (await readout.innerText()).trim();
    checks.check("the lr D slider moves", after !== before, `readout ${before} → ${after}`);
    await page.waitForTimeout(1500);
    const header = await page.locator(`${PANEL} .widget-html svg text`).first().textContent();
    checks.check("the picture's header shows the new lr D (the kernel took it while playing)", !/lr D 0\.0010,/.test(header ?? ""), JSON.stringify(header));

    // pause: nothing changes any more
    await page.locator(`${PANEL} .widget-button`, { hasText: "pause" }).first().click();
    await page.waitForTimeout(1500);
    const s2 = await status();
    const p2 = await plot();
    await page.waitForTimeout(2500);
    const s3 = await status();
    const p3 = await plot();
    shots.push(await nb.screenshot(path.join(out, "3-paused.png")));
    checks.check("paused: the status says so", /paused/.test(s3), JSON.stringify(s3));
    checks.check("paused: the step counter stops", stepOf(s2) === stepOf(s3) && stepOf(s3) > stepOf(s1), `${s1} → ${s2} → ${s3}`);
    checks.check("paused: the picture stops changing", p2 === p3, `${p2} → ${p3}`);

    // the kernel agrees: a cell run now sees the new learning rate and the same step
    await nb.runCodeCell(1);
    const printed = await page.waitForFunction((panel) => {
      const outs = [...document.querySelectorAll(`${panel} .jp-CodeCell .jp-OutputArea`)];
      return (outs[1] as HTMLElement | undefined)?.innerText.match(/lrD (\S+) step (\d+) playing (\w+)/)?.slice(1) ?? false;
    }, PANEL, { timeout: 30000 }).then((h) => h.jsonValue() as Promise<string[]>, () => undefined);
    checks.check("a cell run afterwards sees lr D changed, the paused step, and not playing",
      !!printed && Number(printed[0]) !== 1e-3 && Number(printed[1]) === stepOf(s3) && printed[2] === "false", JSON.stringify(printed));
  }
}

main().catch((err) => {
  console.log(`  ✗ the browser test could not run: ${(err as Error).message.split("\n")[0]}`);
  console.log("browser: 0 passed, 1 failed");
  process.exitCode = 1;
});
