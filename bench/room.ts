/**
 * The room's numbers: its site, its first load, its times, and lesson 01's generator forward pass
 * in the room's kernel (a Web Worker in Chromium) beside the Node kernel's, same machine, same run.
 *
 *     npx ts-node bench/room.ts          # needs Chromium (/usr/bin/chromium) and playwright-core
 *
 * Settings, one per line:
 */
const OUT = "bench/out/room"; // git-ignored: sites, weights, Chromium profiles
const RUNS = Number(process.env.RUNS ?? 3); // timed forward passes per case (median), after the lesson's own
const WEBGL_WAIT = 5 * 60_000; // ms for the software-GL passes before the bench says it gave up
const PHOTO = process.env.STRIPES_IMAGE ?? "test/fixtures/notebook/meadow.png"; // lesson 01's photo
// CASES=wasm-default,wasm-2-threads,software-gl (default all): which room runs; ROOM_NODE=0 skips the Node kernel's (npm sets NODE itself)
/*
 * Lesson 01 runs on the article's architecture (ngf 64, 9 blocks, 11.4 M parameters) with random
 * weights written by stripes' torch.save: the forward's time does not depend on the weights'
 * values, and the article's trained file is not on every machine (STRIPES_WEIGHTS uses another).
 *
 * It prints: the site's size and file count; the first visit's bytes and responses as the server
 * counted them (until JupyterLab is ready, and until the service worker's precache is done),
 * and a second visit's; the times from opening the page to JupyterLab ready, to the lesson's
 * kernel idle, and from Run All to the first output and to the last cell; then lesson 01's
 * forward (netG on the lesson's batch): the compile cell's own line and the median of RUNS more,
 * for each of
 *   - wasm as the room starts it: the page is cross-origin isolated, so tfjs's threaded binary,
 *     which sizes its pool at half the logical cores the browser reports: 1 thread on 2 cores;
 *   - wasm on 2 threads: the kernel's worker told it has 4 logical cores (a first line added to
 *     worker.js as the browser fetches it; the service worker blocked for this run so that the
 *     file comes from the server), so that tfjs's pool, half the reported cores, is 2 threads —
 *     what stripes' Node loader does for Node (Chrome DevTools Protocol's
 *     setHardwareConcurrencyOverride reaches the page but not its workers: still 1 thread);
 *   - WebGL through SwiftShader, Chromium's software GL (a CPU renderer, not a GPU), switched to
 *     with stripes' useBackend("webgl") in a cell, when it starts at all;
 * and the Node kernel's: the same generator and batch shape on stripes' wasm backend in this
 * process (as bench/forward.ts runs it). No asserts: the tests check correctness.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, backendName, threads, torch, useBackend } from "../src";
import { resolveInside, serveRoom } from "../src/room/site/serve";
import { findChromium } from "../test/helpers/jupyterLab";
import { buildRoomSite } from "../test/helpers/room";

const LESSON = "01-horse-to-zebra.ipynb";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function siteSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else {
        files++;
        bytes += fs.statSync(path.join(d, e.name)).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** The Node kernel's side: the same generator and batch shape, stripes' wasm, this process. */
async function nodeForward(weights: string, shape: number[]): Promise<{ first: number; median: number; where: string }> {
  await useBackend("wasm");
  const sd = torch.load(weights) as Map<string, tf.Tensor>;
  const netG = new ResNetGenerator(3, 3, 64, 9);
  netG.loadStateDict(sd);
  const x = tf.randomUniform(shape as [number, number, number, number], -1, 1);
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    const y = netG.forward(x);
    await y.data();
    times.push(performance.now() - t);
    y.dispose();
  }
  return { first: times[0], median: median(times.slice(1)), where: `${backendName()}, ${threads()} thread(s)` };
}

/** The code the bench runs in the room's kernel after Run All: RUNS more forwards of the lesson's netG on its batch. */
let cellNo = 0;
const TIME_CELL = (label: string) => {
  const n = ++cellNo;
  return `import * as S${n} from "stripes";
{
  const times: number[] = [];
  for (let i = 0; i < ${RUNS}; i++) {
    const t = performance.now();
    const y = netG.forward(batch_t);
    await y.data();
    times.push(performance.now() - t);
    y.dispose();
  }
  console.log("BENCH ${label} " + S${n}.backendName() + " " + S${n}.threads() + " " + JSON.stringify(times));
}`;
};
const WEBGL_CELL = () => {
  const n = ++cellNo;
  return `import * as S${n} from "stripes";
try {
  await S${n}.useBackend("webgl");
  const t = performance.now();
  const y = netG.forward(batch_t);
  await y.data();
  y.dispose();
  console.log("BENCH webgl-first " + S${n}.backendName() + " 1 " + JSON.stringify([performance.now() - t]));
} catch (err) {
  console.log("BENCH webgl-failed " + (err as Error).message.split("\\n")[0]);
}`;
};

interface Counter {
  responses: number;
  bytes: number;
}

async function roomRun(name: string, base: string, counter: Counter, chromium: string, options: { cores?: number; webgl?: boolean }) {
  const { chromium: pw } = await import("playwright-core");
  const profile = path.join(OUT, `profile-${name}`);
  fs.rmSync(profile, { recursive: true, force: true });
  const args = ["--no-sandbox", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  // Software GL for the WebGL case (SwiftShader); the others as the tests run Chromium.
  args.push(...(options.webgl ? ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"] : ["--disable-gpu"]));
  // More cores for the kernel's worker: its script gets a first line telling it so. The route needs
  // the service worker out of the way (it would answer worker.js from its cache).
  const context = await pw.launchPersistentContext(profile, { executablePath: chromium, headless: true, viewport: { width: 1280, height: 900 }, args, serviceWorkers: options.cores ? "block" : "allow" });
  if (options.cores) {
    await context.route("**/stripes/worker.js", async (route) => {
      const response = await route.fetch();
      const first = `Object.defineProperty(Object.getPrototypeOf(navigator), "hardwareConcurrency", { get: () => ${options.cores} });\n`;
      await route.fulfill({ response, body: first + (await response.text()) });
    });
  }
  const lines: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("dialog", (d) => void d.accept());
    counter.responses = 0;
    counter.bytes = 0;
    const t0 = Date.now();
    await page.goto(base + "lab/index.html");
    await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 180_000, polling: 100 });
    await page.evaluate(() => (window as any).jupyterapp.restored);
    const labReady = Date.now() - t0;
    const atReady = { ...counter };
    if (!options.cores) await page.evaluate(() => navigator.serviceWorker.ready);
    const precached = Date.now() - t0;
    const atPrecache = { ...counter };

    await page.waitForFunction((n) => [...document.querySelectorAll(".jp-DirListing-itemName")].some((e) => e.textContent?.trim() === n), LESSON, { timeout: 60_000 });
    const t1 = Date.now();
    await page.dblclick(`.jp-DirListing-item[title^="Name: ${LESSON}"], .jp-DirListing-itemName:text-is("${LESSON}")`);
    await page.waitForFunction(() => {
      const kernel = (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
      return kernel?.name === "stripes" && kernel.status === "idle";
    }, undefined, { timeout: 180_000, polling: 100 });
    const kernelIdle = Date.now() - t1;
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    const t2 = Date.now();
    await page.waitForSelector(".jp-NotebookPanel .jp-OutputArea-output", { timeout: 180_000 });
    const firstOutput = Date.now() - t2;
    await page.waitForFunction((n) => {
      const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === n);
      const cells = panel.context.model.toJSON().cells.filter((c: any) => c.cell_type === "code");
      const failed = cells.some((c: any) => c.outputs.some((o: any) => o.output_type === "error"));
      return (failed || cells.every((c: any) => typeof c.execution_count === "number")) && panel.sessionContext.session?.kernel?.status === "idle";
    }, LESSON, { timeout: 15 * 60_000, polling: 500 });
    const allDone = Date.now() - t2;
    const compile = await page.evaluate((n) => {
      const panel = [...(window as any).jupyterapp.shell.widgets("main")].find((w: any) => w.context?.path === n);
      const cell = panel.context.model.toJSON().cells.find((c: any) => c.id === "compile");
      return (cell?.outputs ?? []).map((o: any) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
    }, LESSON);
    const exec = (code: string) =>
      page.evaluate(async (c) => {
        const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = kernel.requestExecute({ code: c });
        let text = "";
        future.onIOPub = (m: any) => {
          if (m.header.msg_type === "stream") text += m.content.text;
          if (m.header.msg_type === "error") text += `ERROR ${m.content.ename}: ${m.content.evalue}\n`;
        };
        await future.done;
        return text;
      }, code);
    const timed = await exec(TIME_CELL(name));
    // Software GL can take minutes per pass at the article's size: one answer within WEBGL_WAIT, or a line saying so.
    const within = (p: Promise<string>) => Promise.race([p, new Promise<string>((r) => setTimeout(() => r(`BENCH webgl-failed no answer within ${WEBGL_WAIT / 60_000} min\n`), WEBGL_WAIT))]);
    const webgl = options.webgl ? await within(exec(WEBGL_CELL()).then(async (first) => (first.includes("webgl-failed") ? first : first + (await exec(TIME_CELL("webgl")))))) : "";

    const sw = options.cores ? "service worker blocked in this run" : `→ service worker precached ${s(precached)} (${atPrecache.responses} responses, ${mb(atPrecache.bytes)})`;
    lines.push(`room ${name}: page → JupyterLab ready ${s(labReady)} (${atReady.responses} responses, ${mb(atReady.bytes)}); ${sw}`);
    lines.push(`room ${name}: open lesson 01 → kernel idle ${s(kernelIdle)}; Run All → first output ${s(firstOutput)}, → last cell ${s(allDone)}`);
    const own = /^TensorFlow\.js \((.*)\): (\d+) ms$/m.exec(compile);
    lines.push(`room ${name}: lesson 01's compile cell: ${own ? `${own[2]} ms (${own[1]})` : `no forward line (${compile.trim().split("\n")[0]})`}`);
    for (const line of (timed + webgl).split("\n")) {
      const m = /^BENCH (\S+) (\S+) (\S+) (\[.*\])$/.exec(line);
      if (m) {
        const ts = JSON.parse(m[4]) as number[];
        lines.push(`room ${name}: forward ${m[1]} on ${m[2]}, ${m[3]} thread(s): median ${median(ts).toFixed(0)} ms of [${ts.map((t) => t.toFixed(0)).join(", ")}]`);
      } else if (line.startsWith("BENCH") || line.startsWith("ERROR")) lines.push(`room ${name}: ${line.replace(/^BENCH /, "")}`);
    }

    // A second visit (online): what still comes from the server once the service worker has the site.
    counter.responses = 0;
    counter.bytes = 0;
    const t3 = Date.now();
    await page.reload();
    await page.waitForFunction(() => (window as any).jupyterapp?.shell && document.querySelector(".jp-DirListing-content"), undefined, { timeout: 180_000, polling: 100 });
    lines.push(`room ${name}: second visit → JupyterLab ready ${s(Date.now() - t3)} (${counter.responses} responses from the server, ${mb(counter.bytes)})`);
  } finally {
    await context.close().catch(() => undefined);
  }
  return lines;
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) {
    console.log("bench/room.ts: no Chromium (/usr/bin/chromium; Debian: apt-get install chromium)");
    return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const weights = path.resolve(OUT, "generator-article-size.pth");
  if (!fs.existsSync(weights)) {
    await useBackend("wasm");
    const g = new ResNetGenerator(3, 3, 64, 9);
    torch.save(g.stateDict(), weights);
  }
  console.log(`bench/room.ts ${new Date().toISOString()}, ${os.cpus().length} logical cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ${os.cpus()[0]?.model ?? ""}`);

  const site = path.resolve(OUT, "site");
  const built = buildRoomSite(site, { STRIPES_CACHE: path.resolve(OUT, "cache"), STRIPES_WEIGHTS: weights, STRIPES_IMAGE: path.resolve(PHOTO), STRIPES_FAST: "1" });
  if (!built.ok) throw new Error(`room build failed: ${built.said}`);
  const size = siteSize(site);
  const sw = fs.readFileSync(path.join(site, "service-worker.js"), "utf8");
  const listed = /^\/\/ (\d+) files, (\d+) bytes/m.exec(sw);
  console.log(`site: ${size.files} files, ${mb(size.bytes)}; the service worker precaches ${listed ? `${listed[1]} files, ${mb(Number(listed[2]))}` : "(no list)"}`);

  const counter: Counter = { responses: 0, bytes: 0 };
  const served = await serveRoom(site, { host: "127.0.0.1", port: 0 });
  // Bytes: the size of the file each full GET answered (the server streams files as they are).
  served.server.on("request", (req, res) => {
    res.on("finish", () => {
      counter.responses++;
      let file = req.method === "GET" && res.statusCode === 200 ? resolveInside(site, req.url ?? "/") : null;
      if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (file && fs.existsSync(file)) counter.bytes += fs.statSync(file).size;
    });
  });
  const base = `http://127.0.0.1:${served.port}/`;
  try {
    const cases: [string, { cores?: number; webgl?: boolean }][] = [
      ["wasm-default", {}],
      ["wasm-2-threads", { cores: 4 }],
      ["software-gl", { webgl: true }],
    ];
    const only = process.env.CASES?.split(","); // e.g. CASES=wasm-default
    for (const [name, options] of cases.filter(([n]) => !only || only.includes(n))) {
      try {
        for (const line of await roomRun(name, base, counter, chromium, options)) console.log(line);
      } catch (err) {
        console.log(`room ${name}: did not finish (${(err as Error).message.split("\n")[0]})`);
      }
    }
  } finally {
    await served.close();
  }

  if (process.env.ROOM_NODE === "0") return;
  const batch = [1, 3, 256, 295]; // lesson 01's batch from the photo (the room's compile cell ran on it)
  const node = await nodeForward(weights, batch);
  console.log(`node kernel's forward (this process, ${node.where}, ${batch.join("×")}): first ${node.first.toFixed(0)} ms, median ${node.median.toFixed(0)} ms of ${RUNS}`);
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
