/**
 * The room in a real browser: `room build` into a scratch folder, `room serve` on 127.0.0.1,
 * Debian's Chromium (headless, fresh profile) opens it. Checks what a learner sees: the page is
 * cross-origin isolated, JupyterLab comes up, the file browser lists the three lessons, and a
 * lesson opens on the stripes kernel (unmodified) and a cell importing stripes runs there. Prints the site's size on disk, the bytes of the first
 * load (the Content-Length of every response until JupyterLab is ready) and the time to ready.
 *
 * Needs Chromium and playwright-core only (no Python): skips with "ci: SKIPPED …" without them.
 * Building the JupyterLite app the first time takes minutes (scripts/build-room-app.js, cached).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, distIsFresh } from "../helpers/cli";
import { Checks, findChromium, launchChromium, outputDir, skipped } from "../helpers/jupyterLab";

const LESSONS = ["01-horse-to-zebra.ipynb", "02-the-gan-game.ipynb", "03-tiny-cyclegan.ipynb"];

function cliEntry(): string[] {
  return distIsFresh() ? [path.join(ROOT, "dist", "cli", "main.js")] : ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src", "cli", "main.ts")];
}

function sizeOnDisk(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) {
      const s = sizeOnDisk(f);
      bytes += s.bytes;
      files += s.files;
    } else {
      bytes += fs.statSync(f).size;
      files++;
    }
  }
  return { bytes, files };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

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
  if (!chromium || missing.length > 0) return skipped("the room in Chromium", missing);

  const out = outputDir("room");
  const site = path.join(out, "site");
  let server: ReturnType<typeof spawn> | undefined;
  try {
    const built = spawnSync(process.execPath, [...cliEntry(), "room", "build", "-o", site], { cwd: ROOT, encoding: "utf8", timeout: 15 * 60 * 1000, env: { ...process.env, STRIPES_CACHE: path.join(out, "cache") } });
    process.stdout.write(built.stderr.split("\n").filter((l) => l.startsWith("room app:") || l.startsWith("no room app")).map((l) => `  ${l}\n`).join(""));
    if (!checks.check("room build writes the site", built.status === 0 && fs.existsSync(path.join(site, "lab", "index.html")), built.stderr.trim().split("\n").pop())) return;
    const size = sizeOnDisk(site);
    console.log(`browser: measured: the site is ${mb(size.bytes)} on disk in ${size.files} files`);

    server = spawn(process.execPath, [...cliEntry(), "room", "serve", site, "--port", "0", "--host", "127.0.0.1"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      let text = "";
      const timer = setTimeout(() => reject(new Error(`room serve printed no URL: ${text}`)), 60_000);
      server!.stdout!.on("data", (c) => {
        text += c;
        const m = /http:\/\/localhost:(\d+)\//.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      server!.on("exit", (code) => reject(new Error(`room serve exited (${code}): ${text}`)));
    });
    const base = `http://127.0.0.1:${port}/`;

    const browser = await launchChromium(chromium, path.join(out, "profile"));
    try {
      const { page } = browser;
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      let bytes = 0;
      let responses = 0;
      let counting = true;
      page.on("response", (r) => {
        if (!counting) return;
        responses++;
        bytes += Number(r.headers()["content-length"] ?? 0);
      });
      const t0 = Date.now();
      await page.goto(base + "lab/index.html");
      await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 120_000, polling: 100 });
      await page.evaluate(() => (window as any).jupyterapp.restored);
      const ready = Date.now() - t0;
      counting = false;
      checks.check("JupyterLab loads (app started and restored)", true, `${(ready / 1000).toFixed(1)} s`);
      console.log(`browser: measured: JupyterLab ready ${(ready / 1000).toFixed(1)} s after navigation; first load ${mb(bytes)} in ${responses} responses`);
      const widgets = await page.evaluate(() => {
        const app = (window as any).jupyterapp;
        const ids: string[] = app.listPlugins().filter((id: string) => id.startsWith("@jupyter-widgets/jupyterlab-manager:"));
        return ids.map((id) => `${id}${app.isPluginActivated(id) ? " (active)" : ""}`);
      });
      checks.check("the ipywidgets 8 manager is bundled and active", widgets.some((w) => w.startsWith("@jupyter-widgets/jupyterlab-manager:plugin") && w.endsWith("(active)")), widgets.join(", "));
      checks.check("the page is cross-origin isolated (SharedArrayBuffer available)", await page.evaluate(() => window.crossOriginIsolated === true && typeof SharedArrayBuffer === "function"));

      await page.waitForFunction((names) => {
        const shown = [...document.querySelectorAll(".jp-DirListing-itemName")].map((e) => e.textContent?.trim());
        return names.every((n) => shown.includes(n));
      }, LESSONS, { timeout: 30_000 }).catch(() => undefined);
      const listed = await page.$$eval(".jp-DirListing-itemName", (els) => els.map((e) => e.textContent?.trim() ?? ""));
      checks.check("the file browser lists the three lessons", LESSONS.every((n) => listed.includes(n)), listed.join(", "));
      await page.screenshot({ path: path.join(out, "room-lab.png") });

      const specs = await page.evaluate(async () => {
        const manager = (window as any).jupyterapp.serviceManager.kernelspecs;
        await manager.ready;
        return Object.keys(manager.specs?.kernelspecs ?? {});
      });
      checks.check("the stripes kernel is registered on the page", specs.includes("stripes"), specs.join(", ") || "none");

      const opened = Date.now();
      await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSONS[0]}"], .jp-DirListing-itemName:text-is("${LESSONS[0]}")`);
      await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 60_000 });
      const kernel = await page.waitForFunction(() => {
        const ctx = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext;
        const name = ctx?.session?.kernel?.name;
        return name ? { name, display: ctx.kernelDisplayName } : false;
      }, undefined, { timeout: 60_000, polling: 200 }).then((h) => h.jsonValue() as Promise<{ name: string; display: string }>).catch(() => ({ name: "", display: "(no kernel reported)" }));
      checks.check("lesson 01 opens on the stripes kernel", kernel.name === "stripes" && kernel.display === "TypeScript (stripes)", `kernel ${JSON.stringify(kernel.name)}, the toolbar says "${kernel.display}"`);
      // A cell through the notebook's own kernel connection: its result, and when it came.
      const cell = await page.evaluate(async () => {
        const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const outputs: string[] = [];
        const future = kernel.requestExecute({ code: 'import { version } from "stripes";\n`stripes ${version}: ${6 * 7}`' });
        future.onIOPub = (msg: any) => {
          const t = msg.header.msg_type;
          if (t === "execute_result") outputs.push(String(msg.content.data["text/plain"]));
          if (t === "error" || t === "stream") outputs.push(`${t}: ${msg.content.evalue ?? msg.content.text}`);
        };
        const reply = await future.done;
        return { status: reply.content.status, outputs };
      }).catch((err: Error) => ({ status: "threw", outputs: [err.message.split("\n")[0]] }));
      const firstOutput = Date.now() - opened;
      checks.check("a simple cell runs in the room's kernel (imports stripes)", cell.status === "ok" && cell.outputs.length === 1 && /^'?stripes \d.*: 42'?$/.test(cell.outputs[0]), `${cell.status}: ${cell.outputs.join(" | ")}`);
      console.log(`browser: measured: lesson 01 opened to its kernel's first cell result ${(firstOutput / 1000).toFixed(1)} s (kernel start included)`);
      const dirty = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.model.dirty);
      checks.check("opening the lesson does not mark it modified (same kernelspec as its metadata)", dirty === false);
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(out, "room-lesson.png") });
      checks.check("no uncaught page errors", errors.length === 0, errors.slice(0, 3).join(" | "));
      console.log(`browser: screenshot ${path.join(out, "room-lab.png")}`);
      console.log(`browser: screenshot ${path.join(out, "room-lesson.png")}`);
    } finally {
      await browser.close().catch(() => undefined);
    }
  } catch (err) {
    checks.check("the room test ran to its end", false, (err as Error).message.split("\n")[0]);
  } finally {
    server?.kill();
  }
  checks.summary();
}

void main();
