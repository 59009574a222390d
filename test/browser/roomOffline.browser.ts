/**
 * The room offline after the first load: `room build` with the fixture generator and photo
 * (STRIPES_FAST=1, as roomLesson01.browser.ts), `room serve` on 127.0.0.1; Chromium opens the room
 * once online and waits for its service worker to finish precaching; then the network goes
 * (playwright's setOffline, and the server is stopped too, so nothing can come from it), the page
 * reloads, lesson 01 opens from the file browser and Run All runs it.
 * Checks: the service worker is active and its cache holds every file of the site but source maps
 * and itself (the list read from the site's folder here, not from stripes); offline, no file of
 * the site failed to load (requests for files the site lacks, 404 online, are listed); every code
 * cell ran, no error output, and the zebra equals PyTorch's expected.png within 1 level (test/fixtures/notebook).
 * Prints the cached list's size (files, MB). Screenshot: .cache/browser/room/offline/offline-zebra.png.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { ROOT } from "../helpers/cli";
import { Checks, findChromium, launchChromium, outputDir, skipped } from "../helpers/jupyterLab";
import { buildRoomSite, serveRoom, type ServedRoom } from "../helpers/room";

const LESSON = "01-horse-to-zebra.ipynb";
const FIXTURES = path.join(ROOT, "test", "fixtures", "notebook");

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
}
interface Cell {
  id?: string;
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}

const joined = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : t ?? "");

async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The site's files a learner's browser may load: all but source maps and the service worker itself. */
function siteFiles(site: string): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (!r.endsWith(".map") && r !== "service-worker.js" && r !== "build/service-worker.js") {
        files.push(r);
        bytes += fs.statSync(path.join(dir, e.name)).size;
      }
    }
  };
  walk(site, "");
  return { files: files.sort(), bytes };
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
  if (!chromium || missing.length > 0) return skipped("the room offline", missing);

  const out = outputDir(path.join("room", "offline"));
  const site = path.join(out, "site");
  let served: ServedRoom | undefined;
  try {
    const built = buildRoomSite(site, {
      STRIPES_CACHE: path.join(out, "cache"),
      STRIPES_WEIGHTS: path.join(FIXTURES, "generator.pth"),
      STRIPES_IMAGE: path.join(FIXTURES, "meadow.png"),
      STRIPES_FAST: "1",
    });
    if (!checks.check("room build writes the site with the fixture weights and photo", built.ok, built.said)) return;
    served = await serveRoom(site);
    const expected = siteFiles(site);

    const browser = await launchChromium(chromium, path.join(out, "profile"));
    try {
      const { page, context } = browser;
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const openLab = async () => {
        await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
        await page.evaluate(() => (window as any).jupyterapp.restored);
      };

      // Online: the first visit. The worker is active once its install (the precache) is done.
      const t0 = Date.now();
      await page.goto(served.base + "lab/index.html");
      await openLab();
      const sw = await page.evaluate(async () => {
        const reg = await Promise.race([navigator.serviceWorker.ready, new Promise<null>((r) => setTimeout(() => r(null), 180_000))]);
        const names = await caches.keys();
        const mine = names.filter((n) => n.startsWith("stripes-room-"));
        const keys = mine.length === 1 ? (await (await caches.open(mine[0])).keys()).map((r) => new URL(r.url).pathname) : [];
        return { script: reg?.active?.scriptURL ?? null, caches: names, keys };
      });
      const precached = Date.now() - t0;
      checks.check("the room's service worker is active at the site's root", sw.script === served.base + "service-worker.js", String(sw.script));
      const cachedFiles = sw.keys.map((k) => k.replace(/^\//, "")).sort();
      const absent = expected.files.filter((f) => !cachedFiles.includes(f));
      checks.check("its cache holds every file of the site (but source maps and itself)", absent.length === 0 && cachedFiles.length === expected.files.length, absent.length ? `missing ${absent.slice(0, 5).join(", ")}` : `${cachedFiles.length} files`);
      console.log(`browser: measured: precache ${expected.files.length} files, ${(expected.bytes / 1e6).toFixed(1)} MB; first visit → worker active ${(precached / 1000).toFixed(1)} s`);

      // The network drops: offline in the browser, and the server gone.
      await context.setOffline(true);
      served.stop();
      served = undefined;
      const failed: string[] = [];
      page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
      const probe = await page.evaluate(() => fetch(`/not-in-the-room-${Date.now()}`).then((r) => `answered ${r.status}`, () => "failed"));
      checks.check("offline: a file outside the room cannot be fetched", probe === "failed", probe);
      failed.length = 0;

      await page.reload();
      await openLab();
      checks.check("offline: the room reloads, and its page is the service worker's", await page.evaluate(() => navigator.serviceWorker.controller !== null));
      await page.waitForFunction((name) => [...document.querySelectorAll(".jp-DirListing-itemName")].some((e) => e.textContent?.trim() === name), LESSON, { timeout: 60_000 });
      await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSON}"], .jp-DirListing-itemName:text-is("${LESSON}")`);
      await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
      await page.waitForFunction(() => {
        const kernel = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
        return kernel?.name === "stripes" && kernel.status === "idle";
      }, undefined, { timeout: 120_000, polling: 200 });

      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      const t1 = Date.now();
      await page.waitForFunction(() => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb");
        const cells = panel.context.model.toJSON().cells.filter((c: any) => c.cell_type === "code");
        const failed = cells.some((c: any) => c.outputs.some((o: any) => o.output_type === "error"));
        const done = cells.every((c: any) => typeof c.execution_count === "number");
        return (done || failed) && panel.sessionContext.session?.kernel?.status === "idle";
      }, undefined, { timeout: 5 * 60_000, polling: 1000 }).catch(() => console.log("  (Run All had not finished after 5 min; the checks below say what ran)"));
      console.log(`browser: measured: offline Run All Cells → last cell done ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      const nb = (await page.evaluate(() => [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb").context.model.toJSON())) as { cells: Cell[] };
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const unrun = code.filter((c) => typeof c.execution_count !== "number").map((c) => c.id);
      checks.check("offline: every code cell ran", unrun.length === 0, unrun.length ? `not run: ${unrun.join(", ")}` : `${code.length} cells`);
      const errorOutputs = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${c.id}: ${o.ename}: ${o.evalue}`));
      checks.check("offline: no error output", errorOutputs.length === 0, errorOutputs.slice(0, 3).join(" | "));

      const zebra = (nb.cells.find((c) => c.id === "zebra")?.outputs ?? []).find((o) => o.data && "image/png" in o.data);
      let detail = "no picture in the zebra cell";
      let same = false;
      if (zebra) {
        const want = await rgb(fs.readFileSync(path.join(FIXTURES, "expected.png")));
        const got = await rgb(Buffer.from(joined(zebra.data!["image/png"]), "base64"));
        if (got.width !== want.width || got.height !== want.height) detail = `${got.width}×${got.height}, PyTorch's ${want.width}×${want.height}`;
        else {
          let maxDiff = 0;
          for (let i = 0; i < got.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.data[i]));
          same = maxDiff <= 1;
          detail = `${got.width}×${got.height}, largest difference ${maxDiff} level(s)`;
        }
      }
      checks.check("offline: the zebra equals PyTorch's expected.png within 1 level", same, detail);
      // Anything asked of the network while offline failed; none of it may be a file of the site.
      // (JupyterLab also asks for optional files the site does not have, 404 when online.)
      const origin = new URL(page.url()).origin;
      const inSite = (f: string) => f.startsWith(origin + "/") && expected.files.includes(decodeURIComponent(new URL(f.split(" ")[0]).pathname.slice(1)));
      const ours = failed.filter(inSite);
      checks.check("offline: no file of the site was missing from the cache", ours.length === 0, ours.length ? ours.slice(0, 3).join(" | ") : `${failed.length} other requests failed`);
      if (failed.length > ours.length) console.log(`  failed, not files of the site (404 online too): ${failed.filter((f) => !ours.includes(f)).map((f) => f.replace(origin, "")).slice(0, 6).join(" | ")}`);

      await page.evaluate(() => {
        const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === "01-horse-to-zebra.ipynb");
        const i = panel.content.widgets.findIndex((w: any) => w.model.id === "zebra");
        panel.content.activeCellIndex = i;
        panel.content.widgets[i]?.node.scrollIntoView({ block: "start" });
      });
      await page.waitForTimeout(800);
      const shot = path.join(out, "offline-zebra.png");
      await page.screenshot({ path: shot });
      checks.check("no uncaught page errors", errors.length === 0, errors.slice(0, 3).join(" | "));
      console.log(`browser: screenshot ${shot}`);
    } catch (err) {
      await browser.page.screenshot({ path: path.join(out, "offline-failed.png") }).catch(() => undefined);
      throw err;
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (err) {
    checks.check("the room offline test ran to its end", false, (err as Error).message.split("\n")[0]);
  } finally {
    served?.stop();
  }
  checks.summary();
}

void main();
