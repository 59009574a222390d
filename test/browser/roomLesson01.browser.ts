/**
 * Lesson 01 in the room, as a learner runs it: `room build` with the fixture generator and photo
 * (STRIPES_WEIGHTS / STRIPES_IMAGE, STRIPES_FAST=1, as .ci/run's nbconvert runs have them), `room
 * serve` on 127.0.0.1, Chromium opens the lesson in JupyterLab and clicks Run → Run All Cells.
 * Checks: every code cell ran, no error output, PyTorch's parameter count printed, the ONNX cell
 * says it is Node-only in one line, and the zebra shown equals PyTorch's expected.png within 1
 * level (test/fixtures/notebook, made by scripts/make-fixtures.py). Measures the time from the
 * click to the first output and to the last cell, and prints the compile cell's tfjs forward time.
 * Also: no kernel process of ours (node … kernel, python, jupyter) starts meanwhile
 * (test/helpers/kernelProcesses.ts), so the lesson computed in the browser alone.
 * Screenshot: .cache/browser/room/lesson01/lesson01-zebra.png.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { ROOT } from "../helpers/cli";
import { Checks, findChromium, launchChromium, outputDir, skipped } from "../helpers/jupyterLab";
import { checkNoKernelStarted, watchKernelProcesses } from "../helpers/kernelProcesses";
import { buildRoomSite, serveRoom, type ServedRoom } from "../helpers/room";

const LESSON = "01-horse-to-zebra.ipynb";
const FIXTURES = path.join(ROOT, "test", "fixtures", "notebook");

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
  execution_count?: number | null;
  outputs?: Output[];
}

const joined = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : t ?? "");
const stdout = (c: Cell | undefined) => (c?.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joined(o.text)).join("");

async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
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
  if (!chromium || missing.length > 0) return skipped("lesson 01 in the room", missing);

  const out = outputDir(path.join("room", "lesson01"));
  const site = path.join(out, "site");
  let served: ServedRoom | undefined;
  const watch = watchKernelProcesses();
  try {
    const built = buildRoomSite(site, {
      STRIPES_CACHE: path.join(out, "cache"),
      STRIPES_WEIGHTS: path.join(FIXTURES, "generator.pth"),
      STRIPES_IMAGE: path.join(FIXTURES, "meadow.png"),
      STRIPES_FAST: "1",
    });
    if (!checks.check("room build writes the site with the fixture weights and photo", built.ok, built.said)) return;
    served = await serveRoom(site);

    const browser = await launchChromium(chromium, path.join(out, "profile"));
    try {
      const { page } = browser;
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(served.base + "lab/index.html");
      await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
      await page.evaluate(() => (window as any).jupyterapp.restored);
      await page.waitForFunction((name) => [...document.querySelectorAll(".jp-DirListing-itemName")].some((e) => e.textContent?.trim() === name), LESSON, { timeout: 60_000 });
      await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSON}"], .jp-DirListing-itemName:text-is("${LESSON}")`);
      await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
      await page.waitForFunction(() => {
        const kernel = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
        return kernel?.name === "stripes" && kernel.status === "idle";
      }, undefined, { timeout: 120_000, polling: 200 });

      // Run → Run All Cells, through the menu bar as a learner does.
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      const t0 = Date.now();
      await page.waitForSelector(".jp-NotebookPanel .jp-OutputArea-output", { timeout: 120_000 });
      const firstOutput = Date.now() - t0;
      // Done: every code cell has a count (or one failed, which stops Run All) and the kernel is idle.
      await page.waitForFunction(() => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb");
        const cells = panel.context.model.toJSON().cells.filter((c: any) => c.cell_type === "code");
        const failed = cells.some((c: any) => c.outputs.some((o: any) => o.output_type === "error"));
        const done = cells.every((c: any) => typeof c.execution_count === "number");
        return (done || failed) && panel.sessionContext.session?.kernel?.status === "idle";
      }, undefined, { timeout: 5 * 60_000, polling: 1000 }).catch(() => console.log("  (Run All had not finished after 5 min; the checks below say what ran)"));
      const allDone = Date.now() - t0;
      const nb = (await page.evaluate(() => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb").context.model.toJSON())) as { cells: Cell[] };
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const byId = (id: string) => nb.cells.find((c) => c.id === id);

      console.log(`browser: measured: Run All Cells → first output ${(firstOutput / 1000).toFixed(1)} s, → last cell done ${(allDone / 1000).toFixed(1)} s (${code.length} code cells)`);
      const unrun = code.filter((c) => c.execution_count === null || c.execution_count === undefined).map((c) => c.id);
      checks.check("every code cell ran", unrun.length === 0, unrun.length ? `not run: ${unrun.join(", ")}` : `${code.length} cells`);
      const errorOutputs = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${c.id}: ${o.ename}: ${o.evalue}`));
      checks.check("no error output", errorOutputs.length === 0, errorOutputs.slice(0, 3).join(" | "));
      const stderr = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stderr").map((o) => `${c.id}: ${joined(o.text).trim()}`));
      if (stderr.length) console.log(`  stderr lines (not errors):\n    ${stderr.join("\n    ")}`);

      const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, "manifest.json"), "utf8"));
      const count = stdout(byId("count"));
      checks.check("PyTorch's parameter count printed", new RegExp(`^${manifest.generator.parameters.toLocaleString("en")} parameters$`, "m").test(count), count.trim().split("\n").pop());
      const compile = stdout(byId("compile"));
      checks.check("the ONNX cell says in one line it runs in the Node kernel, and the lesson goes on", /^No compiled engine here \(.*runs in the Node kernel only.*\); the lesson goes on with TensorFlow\.js\.$/m.test(compile), compile.trim().split("\n").pop());
      const forward = /^TensorFlow\.js \((.*)\): (\d+) ms$/m.exec(compile);
      if (forward) console.log(`browser: measured: lesson 01's forward pass in the room: ${forward[2]} ms (${forward[1]})`);
      console.log(`  the parameters cell: ${stdout(byId("parameters")).trim()}`);
      console.log(`  the save cell: ${stdout(byId("save")).trim()}`);

      const zebra = (byId("zebra")?.outputs ?? []).find((o) => o.data && "image/png" in o.data);
      let detail = "no picture in the zebra cell";
      let same = false;
      if (zebra) {
        const expected = await rgb(fs.readFileSync(path.join(FIXTURES, "expected.png")));
        const got = await rgb(Buffer.from(joined(zebra.data!["image/png"]), "base64"));
        if (got.width !== expected.width || got.height !== expected.height) detail = `${got.width}×${got.height}, PyTorch's ${expected.width}×${expected.height}`;
        else {
          let maxDiff = 0;
          for (let i = 0; i < got.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - expected.data[i]));
          same = maxDiff <= 1;
          detail = `${got.width}×${got.height}, largest difference ${maxDiff} level(s)`;
        }
      }
      checks.check("the zebra equals PyTorch's expected.png within 1 level", same, detail);

      await page.evaluate(() => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb");
        const i = panel.content.widgets.findIndex((w: any) => w.model.id === "zebra");
        panel.content.activeCellIndex = i;
        panel.content.widgets[i]?.node.scrollIntoView({ block: "start" });
      });
      await page.waitForTimeout(800);
      const shot = path.join(out, "lesson01-zebra.png");
      await page.screenshot({ path: shot });
      checks.check("no uncaught page errors", errors.length === 0, errors.slice(0, 3).join(" | "));
      console.log(`browser: screenshot ${shot}`);
    } catch (err) {
      await browser.page.screenshot({ path: path.join(out, "lesson01-failed.png") }).catch(() => undefined);
      throw err;
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (err) {
    checks.check("the lesson 01 room test ran to its end", false, (err as Error).message.split("\n")[0]);
  } finally {
    served?.stop();
    checkNoKernelStarted(watch, checks);
  }
  checks.summary();
}

void main();
