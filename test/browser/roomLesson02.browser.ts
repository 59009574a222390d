/**
 * Lesson 02 (the GAN game) in the room, as a learner uses it: `room build` in fast mode
 * (STRIPES_FAST=1), `room serve` on 127.0.0.1, Chromium opens the learners' copy (blank answers,
 * what the room's file browser holds) and clicks Run → Run All Cells. Then, in the same tab:
 *
 * - the run: every code cell ran, no error output, every exercise says "not answered yet" and the
 *   built-in answers stand in, the experiments print their mode counts (pack 1 collapses onto at
 *   most 5 of 8, pack 2 covers at least 6) and the check cell its ✓ line, as under Jupyter
 *   (test/helpers/lessonRuns.ts, scripts/lesson02-report.js); both playgrounds show as widgets;
 * - the playground at the top plays and pauses (as test/browser/ganPlayground.browser.ts checks it
 *   under JupyterLab on the Node kernel): ▶ play, the step counter and the plot advance; pause,
 *   both stop; the kernel agrees;
 * - exercises: a wrong answer typed into an exercise cell prints its one line (✗ …, with the hint
 *   when it is none of the known mistakes) and no error or stack trace; the right one prints ✓;
 * - widgets come back: (with STRIPES_ROOM_REOPEN=1, as the tab can hang there: see below) the
 *   notebook closed and reopened on the live kernel shows the playground at
 *   the kernel's step, one past the saved one (so its states came from the kernel: the worker
 *   answers ipywidgets' request for them), and the views still drive the kernel; the page reloaded
 *   (the worker, and its widgets, gone): the saved playground shows at the saved step, its views
 *   marked as not connected (the saved state is read once the room's late kernel connects:
 *   src/room/page/widgetRestore.ts), and a new kernel answers;
 * - no kernel process of ours (node … kernel, python, jupyter) starts meanwhile
 *   (test/helpers/kernelProcesses.ts): the lesson computed in the browser alone.
 *
 * Screenshots: .cache/browser/room/lesson02/.
 */
import * as path from "node:path";
import type { Page } from "playwright-core";
import { Checks, findChromium, launchChromium, outputDir, skipped } from "../helpers/jupyterLab";
import { checkNoKernelStarted, watchKernelProcesses } from "../helpers/kernelProcesses";
import { buildRoomSite, serveRoom, type ServedRoom } from "../helpers/room";

const LESSON = "02-the-gan-game.ipynb";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
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
const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

/** The lesson's notebook as the page holds it now. */
async function notebook(page: Page): Promise<{ cells: Cell[] }> {
  return page.evaluate((name) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name).context.model.toJSON(), LESSON);
}

/** Opens the lesson from the file browser and waits for its stripes kernel to be idle. */
async function openLesson(page: Page): Promise<void> {
  await page.waitForFunction((name) => [...document.querySelectorAll(".jp-DirListing-itemName")].some((e) => e.textContent?.trim() === name), LESSON, { timeout: 60_000 });
  await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSON}"], .jp-DirListing-itemName:text-is("${LESSON}")`);
  await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
  await kernelIdle(page);
}

async function kernelIdle(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction((name) => {
    const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
    const kernel = panel?.sessionContext?.session?.kernel;
    return kernel?.name === "stripes" && kernel.status === "idle";
  }, LESSON, { timeout, polling: 200 });
}

/**
 * Marks the cell with this id (data-cell-id) so that locators can find its outputs, and scrolls to
 * it: JupyterLab renders only the cells near the viewport.
 */
async function markCell(page: Page, id: string): Promise<string> {
  await page.evaluate(async ([name, cellId]) => {
    const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
    const i = panel.content.widgets.findIndex((w: any) => w.model.id === cellId);
    const cell = panel.content.widgets[i];
    cell.node.setAttribute("data-cell-id", cellId);
    panel.content.activeCellIndex = i;
    await panel.content.scrollToCell(cell, "start");
  }, [LESSON, id]);
  return `.jp-NotebookPanel:not(.lm-mod-hidden) [data-cell-id="${id}"]`;
}

/** Replaces a cell's source, runs it (as Shift+Enter does) and returns its outputs once it ran. */
async function runCellWith(page: Page, id: string, source: string): Promise<Output[]> {
  const before = await page.evaluate(([name, cellId, text]) => {
    const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
    const i = panel.content.widgets.findIndex((w: any) => w.model.id === cellId);
    const cell = panel.content.widgets[i];
    cell.model.sharedModel.setSource(text);
    panel.content.activeCellIndex = i;
    const count = cell.model.executionCount;
    void (window as any).jupyterapp.commands.execute("notebook:run-cell");
    return count;
  }, [LESSON, id, source] as const);
  await page.waitForFunction(([name, cellId, count]) => {
    const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
    const cell = panel.content.widgets.find((w: any) => w.model.id === cellId);
    const n = cell.model.executionCount;
    return typeof n === "number" && n !== count && panel.sessionContext.session?.kernel?.status === "idle";
  }, [LESSON, id, before] as const, { timeout: 60_000, polling: 200 });
  return ((await notebook(page)).cells.find((c) => c.id === id)?.outputs ?? []) as Output[];
}

/** Runs code on the notebook's kernel without a cell (as a console would); its stdout. */
async function kernelSays(page: Page, code: string, timeout = 30_000): Promise<string> {
  return page.evaluate(([name, text, ms]) => new Promise<string>((resolve, reject) => {
    const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
    const future = panel.sessionContext.session.kernel.requestExecute({ code: text, silent: false, store_history: false });
    let said = "";
    future.onIOPub = (m: any) => {
      if (m.header.msg_type === "stream") said += m.content.text;
      if (m.header.msg_type === "error") said += `ERROR ${m.content.ename}: ${m.content.evalue}`;
    };
    const timer = setTimeout(() => reject(new Error(`the kernel did not answer \`${text}\` in ${ms / 1000} s`)), ms);
    future.done.then(() => { clearTimeout(timer); resolve(said); }, reject);
  }), [LESSON, code, timeout] as const);
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
  if (!chromium || missing.length > 0) return skipped("lesson 02 in the room", missing);

  const out = outputDir(path.join("room", "lesson02"));
  const site = path.join(out, "site");
  const shots: string[] = [];
  let served: ServedRoom | undefined;
  const watch = watchKernelProcesses();
  try {
    const built = buildRoomSite(site, { STRIPES_CACHE: path.join(out, "cache"), STRIPES_FAST: "1" });
    if (!checks.check("room build writes the site (fast mode)", built.ok, built.said)) return;
    served = await serveRoom(site);

    const browser = await launchChromium(chromium, path.join(out, "profile"));
    const { page } = browser;
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const shot = async (name: string) => {
      const file = path.join(out, name);
      await page.screenshot({ path: file });
      shots.push(file);
    };
    try {
      await page.goto(served.base + "lab/index.html");
      await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
      await page.evaluate(() => (window as any).jupyterapp.restored);
      await openLesson(page);

      // Run → Run All Cells, through the menu bar as a learner does.
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      const t0 = Date.now();
      await page.waitForSelector(".jp-NotebookPanel .jp-OutputArea-output", { timeout: 120_000 });
      const firstOutput = Date.now() - t0;
      await page.waitForFunction((name) => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
        const cells = panel.context.model.toJSON().cells.filter((c: any) => c.cell_type === "code");
        const failed = cells.some((c: any) => c.outputs.some((o: any) => o.output_type === "error"));
        const done = cells.every((c: any) => typeof c.execution_count === "number");
        return (done || failed) && panel.sessionContext.session?.kernel?.status === "idle";
      }, LESSON, { timeout: 10 * 60_000, polling: 1000 }).catch(() => console.log("  (Run All had not finished after 10 min; the checks below say what ran)"));
      const allDone = Date.now() - t0;
      const nb = await notebook(page);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const byId = (id: string) => nb.cells.find((c) => c.id === id);
      console.log(`browser: measured: Run All Cells → first output ${(firstOutput / 1000).toFixed(1)} s, → last cell done ${(allDone / 1000).toFixed(1)} s (${code.length} code cells)`);
      console.log(`  the first cell: ${stdout(code[0]).trim()}`);

      // The run, as under Jupyter.
      const unrun = code.filter((c) => typeof c.execution_count !== "number").map((c) => c.id);
      checks.check("every code cell ran", unrun.length === 0, unrun.length ? `not run: ${unrun.join(", ")}` : `${code.length} cells`);
      const errorOutputs = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${c.id}: ${o.ename}: ${o.evalue}`));
      checks.check("no error output", errorOutputs.length === 0, errorOutputs.slice(0, 3).join(" | "));
      const printed = code.map(stdout).join("");
      const exercises = code.filter((c) => /check\("\d\d-/.test(joined(c.source))).length;
      const blanks = printed.match(/^… 02-[a-z-]+: not answered yet\. .* Hint: .*$/gm) ?? [];
      checks.check("the learners' copy: every exercise says in one line it is not answered yet, with its hint", exercises > 0 && blanks.length === exercises, `${blanks.length} of ${exercises}`);
      checks.check("the built-in answers stand in, and none is wrong", /is not solved yet, so the cells below use the built-in one/.test(printed) && !/^✗ /m.test(printed));
      const covered = (id: string, pack: number) => Number(new RegExp(`^pack ${pack}: modes covered (\\d) of 8; points per mode: [\\d, ]+$`, "m").exec(stdout(byId(id)))?.[1] ?? NaN);
      const [one, two] = [covered("collapse", 1), covered("packed", 2)];
      checks.check("experiment 2: the original GAN collapses onto 1 to 5 of the 8 modes", one >= 1 && one <= 5, stdout(byId("collapse")).trim());
      checks.check("experiment 3: the packed GAN covers at least 6 of 8, more than pack 1", two >= 6 && two > one, stdout(byId("packed")).trim().split("\n")[0]);
      const checkLine = stdout(byId("check")).split("\n").find((l) => l.startsWith("✓ pack 1 collapsed"));
      checks.check("the check cell prints its ✓ line", /^✓ pack 1 collapsed to \d of 8 modes; pack 2 covers \d of 8/.test(checkLine ?? ""), checkLine ?? stdout(byId("check")).trim());
      console.log(`  experiment 1: ${stdout(byId("stall")).trim().replace(/\n/g, " | ")}`);
      for (const id of ["playground", "own-data"]) {
        const view = (byId(id)?.outputs ?? []).some((o) => o.data && WIDGET_VIEW in o.data);
        checks.check(`cell '${id}' shows a widget`, view);
      }

      // The playground at the top: play, then pause.
      const pgCell = await markCell(page, "playground");
      const play = page.locator(`${pgCell} .widget-button`, { hasText: "play" }).first();
      const rendered = await play.waitFor({ state: "visible", timeout: 30_000 }).then(() => true, () => false);
      checks.check("the playground renders (buttons, sliders, the plot)", rendered);
      let pausedAt = NaN;
      if (rendered) {
        await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: "start" }), pgCell);
        const status = async () => (await page.locator(`${pgCell} .widget-html`).last().textContent())?.trim() ?? "";
        const plot = async () => (await page.locator(`${pgCell} .widget-html`).first().innerHTML()).length + ":" + (await page.locator(`${pgCell} .widget-html svg text`).first().textContent());
        const stepOf = (s: string) => Number(/^step (\d+)/.exec(s)?.[1] ?? NaN);
        const s0 = await status();
        const p0 = await plot();
        checks.check("before play: paused", /^step \d+ · paused/.test(s0), JSON.stringify(s0));
        await page.evaluate((sel) => {
          const el = document.querySelector(`${sel} .widget-html`)!;
          (window as any).__frames = 0;
          new MutationObserver(() => (window as any).__frames++).observe(el, { childList: true, subtree: true, characterData: true });
        }, pgCell);
        await play.click();
        await page.waitForTimeout(1500);
        await page.evaluate(() => ((window as any).__frames = 0));
        const t1 = Date.now();
        await page.waitForTimeout(4000);
        const frames = await page.evaluate(() => (window as any).__frames as number);
        const fps = frames / ((Date.now() - t1) / 1000);
        const s1 = await status();
        const p1 = await plot();
        await shot("1-playing.png");
        checks.check("playing: the step counter rises", stepOf(s1) > stepOf(s0) && /playing/.test(s1), `${s0} → ${s1}`);
        checks.check("playing: the picture changes", p1 !== p0, `${p0} → ${p1}`);
        console.log(`browser: measured: the playground in the room: ${frames} plot updates in ${((Date.now() - t1) / 1000).toFixed(1)} s = ${fps.toFixed(1)} frames/s`);
        checks.check("playing: frames reach the page", frames >= 2, `${frames} plot updates`);

        await page.locator(`${pgCell} .widget-button`, { hasText: "pause" }).first().click();
        await page.waitForTimeout(1500);
        const s2 = await status();
        const p2 = await plot();
        await page.waitForTimeout(2500);
        const s3 = await status();
        const p3 = await plot();
        await shot("2-paused.png");
        checks.check("paused: the status says so", /paused/.test(s3), JSON.stringify(s3));
        checks.check("paused: the step counter stops", stepOf(s2) === stepOf(s3) && stepOf(s3) >= stepOf(s1), `${s1} → ${s2} → ${s3}`);
        checks.check("paused: the picture stops changing", p2 === p3, `${p2} → ${p3}`);
        pausedAt = stepOf(s3);
        const said = await kernelSays(page, "console.log(`step ${pg.game.stepCount} playing ${pg.playing}`)");
        checks.check("the kernel agrees: the paused step, not playing", said.trim() === `step ${pausedAt} playing false`, JSON.stringify(said.trim()));
      }

      // A wrong answer, then the right one, typed into the learners' copy.
      const exercise = async (id: string, wrong: string, right: string, wrongLine: RegExp) => {
        const bad = await runCellWith(page, id, wrong);
        const badText = bad.filter((o) => o.output_type === "stream").map((o) => joined(o.text)).join("");
        const failed = bad.filter((o) => o.output_type === "error" || o.name === "stderr");
        checks.check(`${id}: a wrong answer prints one line (✗ and why), no error, no stack trace`,
          failed.length === 0 && badText.trim().split("\n").length === 1 && wrongLine.test(badText.trim()) && !/\n\s+at /.test(badText),
          JSON.stringify(badText.trim()) + (failed.length ? ` + ${failed.length} error/stderr output(s)` : ""));
        const good = await runCellWith(page, id, right);
        const goodText = good.filter((o) => o.output_type === "stream").map((o) => joined(o.text)).join("");
        checks.check(`${id}: the right answer prints ✓`, new RegExp(`^✓ ${id}: `).test(goodText.trim()) && !good.some((o) => o.output_type === "error"), JSON.stringify(goodText.trim()));
      };
      // a value none of the known mistakes: the line ends with the exercise's hint
      await exercise("02-equilibrium-loss", "const equilibriumLoss = 3;\ncheck(\"02-equilibrium-loss\", equilibriumLoss);",
        "const equilibriumLoss = 2 * Math.log(2);\ncheck(\"02-equilibrium-loss\", equilibriumLoss);", /^✗ 02-equilibrium-loss: .* Hint: Each binary cross-entropy term/);
      // a known mistake on tensors (PyTorch's cases, run in the browser): the line names it
      const gLoss = (body: string) => `function gLoss(dFake: tf.Tensor): tf.Tensor {\n  return ${body};\n}\ncheck("02-g-loss", gLoss);`;
      await exercise("02-g-loss", gLoss("tf.losses.sigmoidCrossEntropy(tf.onesLike(dFake), dFake, undefined, 0, tf.Reduction.SUM)"),
        gLoss("tf.losses.sigmoidCrossEntropy(tf.onesLike(dFake), dFake)"), /^✗ 02-g-loss: wrong reduction/);

      // Saved (with the widgets' state: room build turns ipywidgets' saveState on), closed, and
      // reopened on the live kernel: the views come back at the paused step.
      await page.evaluate(() => (window as any).jupyterapp.commands.execute("docmanager:save"));
      await page.waitForFunction((name) => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
        return panel && !panel.context.model.dirty;
      }, LESSON, { timeout: 30_000 });
      const savedState = await page.evaluate((name) => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name);
        const state = panel.context.model.toJSON().metadata?.widgets?.["application/vnd.jupyter.widget-state+json"]?.state ?? {};
        return Object.keys(state).length;
      }, LESSON);
      checks.check("the saved notebook holds the widgets' state", savedState > 0, `${savedState} widget models`);
      const savedAt = pausedAt;
      // one round after the save ("step both"; widgets do not make the notebook dirty): the live
      // playground is then one step past the saved one, so the reopened views show which they came from
      const stepBoth = async (sel: string, want: number) => {
        await page.locator(`${sel} .widget-button`, { hasText: "step both" }).first().click();
        return page.waitForFunction(([s, w]) => document.querySelector(`${s} .widget-vbox > .widget-html:last-child`)?.textContent?.trim().startsWith(w), [sel, `step ${want} · paused`] as const, { timeout: 15_000 }).then(() => true, () => false);
      };
      const live = (await stepBoth(pgCell, savedAt + 1)) ? savedAt + 1 : NaN;
      checks.check("step both: one more round", live === savedAt + 1);
      // Closed and reopened from the file browser on the live kernel: with STRIPES_ROOM_REOPEN=1 only.
      // In 4 of 13 runs (both CI runs, and 2 of 11 here with the machine busy) the tab hung here, after the close and
      // before the reopened views showed: the page's main thread looped in the design-token code of
      // JupyterLab's UI toolkit (FAST: DesignTokenNode set → notify → a derived palette recomputed),
      // its heap growing ~25 MB/s, so nothing else ran. The cause is not found; the loop is not
      // stripes' code, but a learner can meet it, so it is reported, not hidden under a retry.
      let lastLive = live; // the live playground's step before the reload
      if (process.env.STRIPES_ROOM_REOPEN === "1") {
        await page.evaluate((name) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name).close(), LESSON);
        await page.waitForFunction(() => !document.querySelector(".jp-NotebookPanel"), undefined, { timeout: 30_000 });
        const t2 = Date.now();
        await openLesson(page);
        const reopened = await markCell(page, "playground");
        const back = await page.locator(`${reopened} .widget-button`, { hasText: "play" }).first().waitFor({ state: "visible", timeout: 30_000 }).then(() => true, () => false);
        const backIn = Date.now() - t2;
        const statusBack = back ? (await page.locator(`${reopened} .widget-html`).last().textContent())?.trim() ?? "" : "";
        console.log(`browser: measured: reopened on the live kernel, the playground shows ${(backIn / 1000).toFixed(1)} s after the file browser's open`);
        checks.check("reopened on the live kernel: the playground shows the kernel's step, not the saved one (its widgets' states came from the kernel)", back && statusBack.startsWith(`step ${live} · paused`), `${JSON.stringify(statusBack)}, saved at step ${savedAt}`);
        if (back && checks.check("reopened: the views work with the live kernel (step both: one more round)", await stepBoth(reopened, live + 1))) lastLive = live + 1;
        await shot("3-reopened.png");
      } else {
        console.log("  (closed and reopened on the live kernel: not run; STRIPES_ROOM_REOPEN=1 runs it, see the comment above)");
      }

      // The page reloaded: a new kernel (the worker and its widgets are gone), and the saved state shows.
      const oldKernel = await page.evaluate((name) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name).sessionContext.session.kernel.id, LESSON);
      await page.reload();
      await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
      await page.evaluate(() => (window as any).jupyterapp.restored);
      const t3 = Date.now();
      // the layout restorer may reopen it; else open it from the file browser
      const open = await page.waitForFunction((name) => [...(window as any).jupyterapp.shell.widgets("main")].some((w: any) => w.context?.path === name), LESSON, { timeout: 5000 }).then(() => true, () => false);
      if (open) await kernelIdle(page);
      else await openLesson(page);
      const reloaded = await markCell(page, "playground");
      const shows = await page.locator(`${reloaded} .widget-button`, { hasText: "play" }).first().waitFor({ state: "visible", timeout: 30_000 }).then(() => true, () => false);
      const shownIn = Date.now() - t3;
      const savedStatus = shows ? (await page.locator(`${reloaded} .widget-html`).last().textContent())?.trim() ?? "" : "";
      const savedPlot = shows ? await page.locator(`${reloaded} .widget-html svg`).count() : 0;
      const notFound = await page.locator(reloaded, { hasText: "model not found" }).count();
      await shot("4-reloaded.png");
      if (shows) console.log(`browser: measured: reloaded, the saved playground shows ${(shownIn / 1000).toFixed(1)} s after the app restored`);
      // The kernel is new, so the views can only come from the notebook's saved state: the step
      // the notebook was saved at, not the live one it reached before the reload.
      checks.check("reloaded: the saved playground shows at its saved step (its views and the plot, no \"model not found\")",
        shows && savedPlot > 0 && notFound === 0 && savedStatus.startsWith(`step ${savedAt} · paused`),
        `${JSON.stringify(savedStatus)}, ${savedPlot} plot(s), saved at step ${savedAt}, live was ${lastLive}${notFound ? ", model not found" : ""}`);
      // ipywidgets marks a view whose model has no comm to a kernel: the learner sees these are
      // pictures of the saved game until the cell runs again.
      const disconnected = shows ? await page.locator(`${reloaded} .jupyter-widgets-disconnected`).count() : 0;
      checks.check("reloaded: the saved views are marked as not connected to the new kernel", disconnected > 0, `${disconnected} view(s) marked`);
      const dirty = await page.evaluate((name) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name).context.model.dirty, LESSON);
      console.log(`  reloaded: the notebook is ${dirty ? "" : "not "}marked as changed`);
      const newKernel = await page.evaluate((name) => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === name).sessionContext.session?.kernel?.id, LESSON);
      const answer = await kernelSays(page, 'console.log("the kernel answers")').catch((e: Error) => `no answer: ${e.message}`);
      checks.check("reloaded: a new kernel, and it answers (nothing hangs)", newKernel !== oldKernel && answer.trim() === "the kernel answers", `${JSON.stringify(answer.trim())}, kernel ${oldKernel} → ${newKernel}`);
      checks.check("no uncaught page errors", errors.length === 0, errors.slice(0, 3).join(" | "));
    } catch (err) {
      await shot("failed.png").catch(() => undefined);
      throw err;
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (err) {
    checks.check("the lesson 02 room test ran to its end", false, (err as Error).message.split("\n")[0]);
  } finally {
    served?.stop();
    checkNoKernelStarted(watch, checks);
  }
  for (const s of shots) console.log(`browser: screenshot ${s}`);
  checks.summary();
}

void main();
