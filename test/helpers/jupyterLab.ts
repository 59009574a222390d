/**
 * The real-browser harness: a virtualenv with JupyterLab 4 and ipywidgets 8 that the tests make
 * themselves (pip, from this machine's local package index), a JupyterLab server on 127.0.0.1 with
 * a token and a scratch root folder, and Debian's Chromium driven by playwright-core (never a
 * downloaded browser). A browser test is a file test/browser/<name>.browser.ts (run by
 * scripts/browser-test.js, not by npm test):
 *
 *   runBrowserTest("my-test", "what it shows", async ({ root, lab, page, out, checks }) => {
 *     fs.copyFileSync(lesson, path.join(root, "lesson.ipynb"));   // root is under the repository,
 *     const nb = await LabNotebook.open(page, lab, "lesson.ipynb"); // so "stripes" resolves
 *     await nb.runAll(); await nb.waitForAllRun(120000);
 *     await page.getByRole("button", { name: "play" }).click();
 *     checks.check("the step counter moves", …);
 *     await nb.screenshot(path.join(out, "1-playing.png"));
 *   });
 *
 * It skips with "ci: SKIPPED … (missing: …)" when Chromium, playwright-core or the Python packages
 * cannot be had, registers the kernels (`stripes kernel install --prefix`) for the server, stops
 * the server and the browser on every path, and prints the "browser: N passed, N failed" line
 * scripts/browser-test.js adds up for CI. The pieces (prepare, startJupyterLab, launchChromium,
 * LabNotebook, Checks) can be used on their own too.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { installKernels } from "../../src/jupyter/install";
import { ROOT } from "./cli";

export { ROOT };

/** Where browser tests keep their venv, profiles, logs and screenshots (ignored by git). */
export const BROWSER_CACHE = path.join(ROOT, ".cache", "browser");

/** pip's sources on this machine: the local indexes (pip.conf may add find-links /opt/wheels). */
export const PIP_INDEX = ["--index-url", "file:///opt/pypi/simple", "--extra-index-url", "file:///opt/pypi-more/simple"];
export const LAB_PACKAGES = ["jupyterlab>=4,<5", "ipywidgets>=8,<9"];

/** A test's own output folder, emptied at the start of each run. */
export function outputDir(name: string): string {
  const dir = path.join(BROWSER_CACHE, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Prints CI's skip line (what was missing) and the zero count, so a skip is never read as a pass. */
export function skipped(what: string, missing: string[]): void {
  console.log(`ci: SKIPPED ${what} (missing: ${missing.join("; ")})`);
  console.log("browser: 0 passed, 0 failed, skipped");
}

/** Debian's Chromium (or one on PATH by its usual names; $STRIPES_CHROMIUM alone when set). */
export function findChromium(): string | undefined {
  const candidates = process.env.STRIPES_CHROMIUM !== undefined ? [process.env.STRIPES_CHROMIUM] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const dir of process.env.STRIPES_CHROMIUM !== undefined ? [] : (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, "chromium"), path.join(dir, "chromium-browser"));
  }
  return candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface Venv {
  dir: string;
  python: string;
  bin: string;
}

function run(cmd: string, args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv } = {}): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: opts.timeout ?? 600000, env: opts.env ?? process.env });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/**
 * The tests' own virtualenv (.cache/browser/venv) with JupyterLab 4 and ipywidgets 8: reused when
 * it already imports both at the right major versions, else made with `python3 -m venv` and pip
 * from the local indexes. Returns what is missing when that cannot be done.
 */
export function prepareVenv(dir = path.join(BROWSER_CACHE, "venv"), log: (line: string) => void = console.log): { venv?: Venv; missing?: string } {
  const python = path.join(dir, "bin", "python");
  const venv = { dir, python, bin: path.join(dir, "bin") };
  const probe = "import jupyterlab, ipywidgets, sys; sys.exit(0 if jupyterlab.__version__.startswith('4.') and ipywidgets.__version__.startswith('8.') else 1)";
  if (fs.existsSync(python) && run(python, ["-c", probe]).ok) return { venv };
  fs.rmSync(dir, { recursive: true, force: true });
  let made = "";
  for (const base of ["python3", "/usr/bin/python3"]) {
    const r = run(base, ["-m", "venv", dir]);
    if (r.ok && fs.existsSync(python)) {
      made = base;
      break;
    }
    made = "";
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!made) return { missing: "a Python that can make a virtualenv (python3 -m venv; Debian: apt-get install python3-venv)" };
  log(`browser: made the virtualenv ${dir} with ${made}; pip install ${LAB_PACKAGES.join(" ")} (local index)`);
  const t0 = Date.now();
  const pip = run(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...PIP_INDEX, ...LAB_PACKAGES]);
  if (!pip.ok || !run(python, ["-c", probe]).ok) {
    const last = pip.out.trim().split("\n").filter((l) => !/^WARNING: Location/.test(l)).slice(-1)[0] ?? "";
    fs.rmSync(dir, { recursive: true, force: true });
    // Debian's own packages are no fallback: bookworm has only classic Notebook 6.4 and ipywidgets 6,
    // whose front end cannot show ipywidgets-8 (protocol 2.1, controls 2.0) widgets.
    return { missing: `JupyterLab 4 and ipywidgets 8 (pip could not install them: ${last.slice(0, 200)})` };
  }
  log(`browser: pip took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return { venv };
}

/** What a browser test needs, or what is missing. */
export function prepare(): { ok: true; venv: Venv; chromium: string } | { ok: false; missing: string[] } {
  const missing: string[] = [];
  const chromium = findChromium();
  if (!chromium) missing.push("Chromium (/usr/bin/chromium; Debian: apt-get install chromium)");
  let playwright = true;
  try {
    require.resolve("playwright-core");
  } catch {
    playwright = false;
    missing.push("playwright-core (npm install)");
  }
  const { venv, missing: venvMissing } = chromium && playwright ? prepareVenv() : { venv: undefined, missing: undefined };
  if (venvMissing) missing.push(venvMissing);
  if (missing.length > 0 || !venv || !chromium) return { ok: false, missing };
  return { ok: true, venv, chromium };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface JupyterLab {
  url: string;
  token: string;
  root: string;
  /** The lab URL of a notebook under the root folder. */
  notebookUrl(relPath: string): string;
  /** The server's output so far (for failure reports). */
  log(): string;
  /** Reads a file the server saved, relative to its root. */
  stop(): Promise<void>;
}

/**
 * JupyterLab 4 on 127.0.0.1 on a free port, with a random token, no browser, `root` as its root
 * folder, and Jupyter's paths confined to `work` (config, data, runtime) plus `jupyterPath` (the
 * data folders holding the kernelspecs to offer, e.g. `<prefix>/share/jupyter`). The app object is
 * exposed in the page (window.jupyterapp) so tests can run commands as the menus do.
 */
export async function startJupyterLab(options: { venv: Venv; root: string; work: string; jupyterPath: string[]; env?: NodeJS.ProcessEnv }): Promise<JupyterLab> {
  const { venv, root, work } = options;
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  for (const d of ["config", "data", "runtime"]) fs.mkdirSync(path.join(work, d), { recursive: true });
  // No "get notified about Jupyter news?" toast over the notebook (it would be in the screenshots).
  const notification = path.join(work, "config", "lab", "user-settings", "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings");
  fs.mkdirSync(path.dirname(notification), { recursive: true });
  fs.writeFileSync(notification, JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${venv.bin}${path.delimiter}${process.env.PATH ?? ""}`,
    VIRTUAL_ENV: venv.dir,
    JUPYTER_PATH: options.jupyterPath.join(path.delimiter),
    JUPYTER_CONFIG_DIR: path.join(work, "config"),
    JUPYTER_DATA_DIR: path.join(work, "data"),
    JUPYTER_RUNTIME_DIR: path.join(work, "runtime"),
    JUPYTERLAB_SETTINGS_DIR: path.join(work, "config", "lab", "user-settings"),
    JUPYTERLAB_WORKSPACES_DIR: path.join(work, "config", "lab", "workspaces"),
  };
  const args = [
    "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${root}`,
    "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--ServerApp.terminals_enabled=False", "--LabApp.extension_manager=readonly",
    // the CI container runs as root; the server still listens on 127.0.0.1 only, with a token
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const child: ChildProcess = spawn(path.join(venv.bin, "jupyter-lab"), args, { env, cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => (exited = true));
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM"); // the server's process group: it and its kernels
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 8000);
    await gone;
    clearTimeout(t);
  };
  const deadline = Date.now() + 90000;
  for (;;) {
    if (exited) throw new Error(`jupyter-lab exited before it served: ${log.trim().split("\n").slice(-3).join(" | ")}`);
    try {
      const r = await fetch(`${url}/api/status?token=${token}`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter-lab did not answer on ${url} within 90 s: ${log.trim().split("\n").slice(-3).join(" | ")}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    token,
    root,
    notebookUrl: (rel) => `${url}/lab/tree/${rel.split("/").map(encodeURIComponent).join("/")}?token=${token}&reset`,
    log: () => log,
    stop,
  };
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * How long one browser may stay open before it is taken for hung: every browser test here takes a
 * few minutes at most, and a page whose main thread spins never answers page.evaluate, which has
 * no timeout of its own.
 */
const HUNG_AFTER_MIN = Number(process.env.STRIPES_BROWSER_HUNG_MIN) || 10;

/** Debian's Chromium, headless, with a fresh profile in `userDataDir`, through playwright-core. */
export async function launchChromium(executablePath: string, userDataDir: string, viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const { chromium } = await import("playwright-core");
  fs.rmSync(userDataDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("dialog", (d) => void d.accept()); // "leave the page?" when a test moves on from an edited notebook
  // A hung page: print where its JavaScript is, then close the browser, so that the test's pending
  // calls fail, its checks say so and it ends, instead of being killed without a word. The debugger
  // is enabled now because enabling it needs the page's main thread, which a spinning page never
  // frees; pausing does not. Pauses nobody asked for (a `debugger;` statement) are resumed.
  const cdp = await context.newCDPSession(page);
  let asked = false;
  cdp.on("Debugger.paused", () => {
    if (!asked) void cdp.send("Debugger.resume").catch(() => undefined);
  });
  await cdp.send("Debugger.enable");
  const watchdog = setTimeout(() => {
    void (async () => {
      console.log(`  ✗ the browser was still open after ${HUNG_AFTER_MIN} min: taken for hung; where the page's JavaScript was:`);
      asked = true;
      for (const line of await pageStacks(cdp).catch((e: Error) => [`(no stack: ${e.message})`])) console.log(`    ${line}`);
      await context.close().catch(() => undefined);
    })();
  }, HUNG_AFTER_MIN * 60_000);
  watchdog.unref();
  return { context, page, close: () => (clearTimeout(watchdog), context.close()) };
}

/** The page's JavaScript stack, three times a second apart (a loop shows as the frames they share). */
async function pageStacks(cdp: import("playwright-core").CDPSession): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) {
    const paused = new Promise<any>((resolve) => cdp.once("Debugger.paused", resolve));
    await cdp.send("Debugger.pause");
    const event = await Promise.race([paused, new Promise((r) => setTimeout(r, 10_000))]);
    if (!event) {
      lines.push("(the page's JavaScript did not pause within 10 s: it is idle, or waits)");
      break;
    }
    lines.push(`stack ${i + 1}:`, ...(event as any).callFrames.slice(0, 20).map((f: any) => `  ${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\//, "") || f.url || "(no url)"}:${f.location.lineNumber + 1}:${(f.location.columnNumber ?? 0) + 1}`));
    await cdp.send("Debugger.resume");
    await new Promise((r) => setTimeout(r, 1000));
  }
  return lines;
}

/** What the page shows for one code cell. */
export interface CellView {
  /** The input prompt's text inside the brackets: "*", "3", or "" (never run). */
  prompt: string;
  /** The cell's output area text. */
  output: string;
}

/** A notebook open in JupyterLab, read through its DOM (what the learner sees). */
export class LabNotebook {
  private constructor(readonly page: Page) {}

  /** Opens the notebook and waits until its kernel is idle. */
  static async open(page: Page, lab: JupyterLab, relPath: string, timeoutMs = 120000): Promise<LabNotebook> {
    await page.goto(lab.notebookUrl(relPath));
    await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: timeoutMs });
    const nb = new LabNotebook(page);
    // The indicator reads "idle" for a moment before the kernel exists: wait for a connected kernel first.
    await page.waitForFunction(() => {
      const kernel = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
      return kernel?.connectionStatus === "connected" && kernel?.status === "idle";
    }, undefined, { timeout: timeoutMs, polling: 200 });
    await nb.waitForStatus((s) => s === "idle", timeoutMs);
    return nb;
  }

  /** The kernel status the toolbar's execution indicator shows ("idle", "busy", "starting", …; "" if none). */
  async kernelStatus(): Promise<string> {
    return this.page.evaluate(() => {
      const indicator = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator");
      if (indicator) return indicator.getAttribute("data-status") ?? "";
      return "";
    });
  }

  async waitForStatus(ok: (status: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.kernelStatus();
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`kernel status still "${s}" after ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(200);
    }
  }

  /**
   * Starts recording every change the page shows of the kernel indicator's status and of the
   * code cells' prompts (MutationObservers, with times), so a test can check what happened
   * between its samples too: `timeline()` returns the record.
   */
  async record(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as any;
      const panel = () => document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
      const prompts = () => [...(panel()?.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt") ?? [])].map((e) => /\[(.*)\]/.exec(e.textContent ?? "")?.[1]?.trim() ?? "");
      const status = () => panel()?.querySelector(".jp-Notebook-ExecutionIndicator")?.getAttribute("data-status") ?? "";
      w.__stripesTimeline = [] as { t: number; status: string; prompts: string[] }[];
      let last = "";
      const note = () => {
        const entry = { t: performance.now(), status: status(), prompts: prompts() };
        const key = entry.status + "|" + entry.prompts.join(",");
        if (key !== last) w.__stripesTimeline.push(entry);
        last = key;
      };
      note();
      w.__stripesObserver?.disconnect();
      w.__stripesObserver = new MutationObserver(note);
      w.__stripesObserver.observe(panel()!, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-status"] });
    });
  }

  /** What `record()` saw: each change of status or prompts, with its time in ms since the first entry. */
  async timeline(): Promise<{ t: number; status: string; prompts: string[] }[]> {
    return this.page.evaluate(() => {
      const log = ((window as any).__stripesTimeline ?? []) as { t: number; status: string; prompts: string[] }[];
      return log.map((e) => ({ ...e, t: Math.round(e.t - log[0].t) }));
    });
  }

  /** Every code cell's prompt and output text, in order. */
  async cells(): Promise<CellView[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell")].map((cell) => {
        const prompt = cell.querySelector(".jp-InputArea-prompt")?.textContent ?? "";
        return { prompt: /\[(.*)\]/.exec(prompt)?.[1]?.trim() ?? "", output: (cell.querySelector(".jp-OutputArea") as HTMLElement | null)?.innerText ?? "" };
      }),
    );
  }

  /**
   * Starts a JupyterLab command as its menu item would (e.g. "notebook:run-all-cells"), without
   * waiting for it to finish (a run's promise settles only when its cells have run).
   */
  async command(id: string, args: Record<string, unknown> = {}): Promise<void> {
    await this.page.evaluate(([id, args]) => {
      void (window as any).jupyterapp.commands.execute(id, args);
    }, [id, args] as const);
  }

  /** Shuts the notebook's kernel down (no dialog), e.g. before opening the next notebook. */
  async shutdownKernel(): Promise<void> {
    await this.page.evaluate(() => (window as any).jupyterapp.shell.currentWidget?.sessionContext?.shutdown());
  }

  /** Run ▸ Run All Cells. */
  runAll(): Promise<void> {
    return this.command("notebook:run-all-cells");
  }

  /** Makes code cell `index` (0-based among code cells) the active one and runs it (Shift+Enter's command). */
  async runCodeCell(index: number): Promise<void> {
    await this.page.evaluate((index) => {
      const app = (window as any).jupyterapp;
      const panel = app.shell.currentWidget;
      const cells = panel.content.widgets;
      const codeIndexes = cells.map((c: any, i: number) => (c.model.type === "code" ? i : -1)).filter((i: number) => i >= 0);
      panel.content.activeCellIndex = codeIndexes[index];
      panel.content.deselectAll();
    }, index);
    await this.command("notebook:run-cell");
  }

  /** Waits until every code cell shows a number (none "*" or blank), i.e. Run All has finished. */
  async waitForAllRun(timeoutMs: number): Promise<CellView[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cells = await this.cells();
      if (cells.every((c) => /^\d+$/.test(c.prompt))) return cells;
      if (Date.now() > deadline) throw new Error(`cells still running after ${timeoutMs / 1000} s: prompts ${cells.map((c) => `[${c.prompt}]`).join(" ")}`);
      await this.page.waitForTimeout(200);
    }
  }

  async screenshot(file: string): Promise<string> {
    await this.page.screenshot({ path: file, fullPage: false });
    return file;
  }
}

/** Named checks, one line each, and the summary line CI adds up. */
export class Checks {
  passed = 0;
  failed = 0;
  check(name: string, ok: boolean, detail = ""): boolean {
    if (ok) this.passed++;
    else this.failed++;
    console.log(`${ok ? "  ✓" : "  ✗"} ${name}${detail ? `: ${detail}` : ""}`);
    return ok;
  }
  summary(): void {
    console.log(`browser: ${this.passed} passed, ${this.failed} failed`);
    if (this.failed > 0) process.exitCode = 1;
  }
}

export interface BrowserTestContext {
  /** The server's root folder (empty; put notebooks here): .cache/browser/<name>/root. */
  root: string;
  /** The test's output folder (screenshots, logs): .cache/browser/<name>. */
  out: string;
  lab: JupyterLab;
  page: Page;
  checks: Checks;
  /** Screenshots to list at the end. */
  shots: string[];
}

/**
 * Runs one browser test: prepares (or skips, naming what is missing), registers the stripes and
 * tslab kernels into the test's own prefix, starts JupyterLab (`env` reaches it and its kernels)
 * and Chromium, runs `body`, stops both on every path, lists the screenshots and prints the
 * summary. An exception in `body` counts as one failed check.
 */
export async function runBrowserTest(name: string, what: string, body: (ctx: BrowserTestContext) => Promise<void>, options: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const checks = new Checks();
  try {
    const need = prepare();
    if (!need.ok) return skipped(what, need.missing);
    const out = outputDir(name);
    const root = path.join(out, "root");
    fs.mkdirSync(root);
    const prefix = path.join(out, "prefix");
    installKernels({ prefix, env: { PATH: "", HOME: path.join(out, "home") } });
    console.log(`browser: ${what}: JupyterLab + ${need.chromium}, output in ${out}`);
    const lab = await startJupyterLab({ venv: need.venv, root, work: path.join(out, "jupyter"), jupyterPath: [path.join(prefix, "share", "jupyter")], env: options.env });
    const shots: string[] = [];
    try {
      const browser = await launchChromium(need.chromium, path.join(out, "profile"));
      try {
        await body({ root, out, lab, page: browser.page, checks, shots });
      } finally {
        await browser.close().catch(() => undefined);
      }
    } finally {
      await lab.stop();
      fs.writeFileSync(path.join(out, "jupyterlab.log"), lab.log());
    }
    for (const s of shots) console.log(`browser: screenshot ${s}`);
  } catch (err) {
    checks.check(`${what} ran to its end`, false, (err as Error).message.split("\n")[0]);
  }
  checks.summary();
}
