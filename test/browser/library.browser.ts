/**
 * The library itself in Chromium, with nothing installed in the page: dist/browser/stripes.js
 * (scripts/build-browser.js) served from 127.0.0.1 beside the committed fixtures. The page loads
 * PyTorch's small ResNet generator checkpoint (test/fixtures/convert/gen-rgb-zip.pth), decodes
 * the photo a.png with the browser's decoder, runs `Resize(24)` + `ToTensor()` and the generator on
 * wasm, and compares with PyTorch's tensors from the same fixture: within 1 level of 255, as the
 * Node tests. If SwiftShader's WebGL starts, the generator also runs on WebGL and the largest
 * difference is printed (a software rasteriser's float32 shaders, not a GPU). The browser's JPEG
 * decoder is measured against PIL's pixels of photo_96x72.jpg (test/fixtures/vision), and, when
 * the article's horse.jpg and Debian's PIL are on this machine, against PIL's decode of that photo
 * (printed only). The same generator run also goes in a module Web Worker (where the lessons'
 * kernel will run) and on a cross-origin isolated page (the threaded wasm binary). Not part of npm
 * test; scripts/browser-test.js runs it.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { Checks, findChromium, outputDir, skipped } from "../helpers/jupyterLab";

const ROOT = path.join(__dirname, "..", "..");
const BUNDLE = path.join(ROOT, "dist", "browser");
const FIXTURES = path.join(ROOT, "test", "fixtures");
/** The article's photo, for a local measurement only (never committed, never required). */
const HORSE = path.join(ROOT, "..", "shared", "data", "horse.jpg");

const TYPES: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".map": "application/json" };

/** A module worker that runs the generator as the page does and posts PyTorch's distance back. */
const WORKER = `
import * as s from "/dist/stripes.js";
const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
try {
  const backend = await s.useBackend("wasm");
  const netG = s.generatorFromStateDict(s.torch.load(await bytes("/fixtures/convert/gen-rgb-zip.pth")));
  const img = await s.Image.open("/fixtures/convert/photos/a.png");
  const y = await netG.forward(s.unsqueeze(s.transforms.ToTensor()(s.transforms.Resize(24)(img)), 0)).data();
  const want = new Float32Array((await bytes("/fixtures/convert/gen-rgb-zip--a--24.output.bin")).buffer);
  let levels = 0;
  for (let i = 0; i < want.length; i++) levels = Math.max(levels, Math.abs(y[i] - want[i]) * 255 / 2);
  postMessage({ backend, levels });
} catch (err) {
  postMessage({ error: String(err && err.message || err) });
}
`;

/** Serves / (an empty page), /worker.js, /dist/ (the bundle), /fixtures/ and, when present, /local/horse.jpg and /local/horse.rgb. */
function serve(local: Record<string, string>, isolated = false): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    // cross-origin isolation (SharedArrayBuffer, so threaded wasm) comes from these two headers
    if (isolated) {
      res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
      res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let file: string | undefined;
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === "/worker.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(WORKER);
      return;
    }
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>stripes</title>");
      return;
    }
    if (url.pathname.startsWith("/dist/")) file = path.join(BUNDLE, url.pathname.slice(6));
    else if (url.pathname.startsWith("/fixtures/")) file = path.join(FIXTURES, url.pathname.slice(10));
    else if (url.pathname.startsWith("/local/")) file = local[url.pathname.slice(7)];
    const inside = file !== undefined && (file.startsWith(BUNDLE + path.sep) || file.startsWith(FIXTURES + path.sep) || Object.values(local).includes(file));
    if (!inside || !fs.existsSync(file!) || !fs.statSync(file!).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file!)] ?? "application/octet-stream" });
    fs.createReadStream(file!).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** PIL's decode of horse.jpg as raw RGB bytes, when Debian's python3 has PIL; else undefined. */
function pilHorse(out: string): string | undefined {
  if (!fs.existsSync(HORSE)) return undefined;
  const raw = path.join(out, "horse.rgb");
  const r = spawnSync("/usr/bin/python3", ["-c", "import sys; from PIL import Image; open(sys.argv[2], 'wb').write(Image.open(sys.argv[1]).convert('RGB').tobytes())", HORSE, raw], { encoding: "utf8" });
  return r.status === 0 ? raw : undefined;
}

/** What the page computes; every number is a largest |difference| in levels of 255. */
interface PageResult {
  backend: string;
  threads: number;
  shared: boolean;
  inputLevels: number;
  outputLevels: number;
  outputShape: number[];
  jpeg: { levels: number; differing: number; total: number };
  nodeOnly: string;
  opened: { source: string; mode: string; pilMode: string; levels: number; differing: number; total: number }[];
  horse?: { levels: number; differing: number; total: number; size: number[] };
  webgl?: { started: boolean; backend?: string; renderer?: string; outputLevels?: number; error?: string };
}

/** Imports the bundle into a page as a module would be; rejects with the page's first error. */
async function importBundle(page: import("playwright-core").Page): Promise<void> {
  // a dynamic import() here would be compiled to require() by ts-node: a module script instead
  await page.addScriptTag({ type: "module", content: 'import * as stripes from "/dist/stripes.js"; globalThis.stripes = stripes;' });
  const loaded = page.waitForFunction(() => (globalThis as any).stripes !== undefined, undefined, { timeout: 60000 });
  const failed = new Promise<never>((_, reject) => page.once("pageerror", (e) => reject(new Error(`importing the bundle: ${e.message}`))));
  await Promise.race([loaded, failed]);
}

/** On a cross-origin isolated page, wasm is the threaded binary, and still equals PyTorch. */
async function isolatedPage(context: import("playwright-core").BrowserContext, checks: Checks): Promise<void> {
  const server = await serve({}, true);
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await importBundle(page);
    const r = await page.evaluate(async () => {
      const s: any = (globalThis as any).stripes;
      const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
      const backend = await s.useBackend("wasm");
      const netG = s.generatorFromStateDict(s.torch.load(await bytes("/fixtures/convert/gen-rgb-zip.pth")));
      const y = await netG.forward(s.unsqueeze(s.transforms.ToTensor()(s.transforms.Resize(24)(await s.Image.open("/fixtures/convert/photos/a.png"))), 0)).data();
      const want = new Float32Array((await bytes("/fixtures/convert/gen-rgb-zip--a--24.output.bin")).buffer);
      let levels = 0;
      for (let i = 0; i < want.length; i++) levels = Math.max(levels, (Math.abs(y[i] - want[i]) * 255) / 2);
      const cores = (globalThis as any).navigator.hardwareConcurrency as number;
      // the threaded binary's heap is shared memory; the single-threaded one's is not
      const shared = (globalThis as any).SharedArrayBuffer !== undefined && s.tf.backend().wasm.HEAPU8.buffer instanceof (globalThis as any).SharedArrayBuffer;
      return { isolated: (globalThis as any).crossOriginIsolated as boolean, backend, shared, threads: s.threads() as number, cores, levels };
    });
    checks.check("cross-origin isolated: wasm is the threaded binary (shared memory)", r.isolated && r.backend === "wasm" && r.shared, `isolated ${r.isolated}, ${r.backend}, shared heap ${r.shared}`);
    // tfjs's C++ sizes its pool at half the logical cores it is told, whatever it is asked for
    console.log(`  measured: on the isolated page wasm computes with ${r.threads} thread(s) on ${r.cores} cores`);
    checks.check("the generator on threaded wasm equals PyTorch's output within 1 level", r.levels <= 1, `max |Δ| ${r.levels.toFixed(4)} levels`);
  } finally {
    await page.close().catch(() => undefined);
    server.close();
  }
}

async function main(): Promise<void> {
  const missing: string[] = [];
  const chromium = findChromium();
  if (!chromium) missing.push("Chromium (/usr/bin/chromium; Debian: apt-get install chromium)");
  let playwright: typeof import("playwright-core") | undefined;
  try {
    playwright = await import("playwright-core");
  } catch {
    missing.push("playwright-core (npm install)");
  }
  if (!chromium || !playwright) return skipped("the library's browser test (Chromium)", missing);

  const out = outputDir("library");
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-browser.js")], { cwd: ROOT, encoding: "utf8" });
  const checks = new Checks();
  if (!checks.check("scripts/build-browser.js builds dist/browser/stripes.js", build.status === 0, build.stderr.trim())) return checks.summary();
  console.log(`  ${build.stdout.trim()}`);

  const local: Record<string, string> = {};
  const horseRaw = pilHorse(out);
  if (horseRaw) Object.assign(local, { "horse.jpg": HORSE, "horse.rgb": horseRaw });
  const server = await serve(local);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await playwright.chromium.launchPersistentContext(path.join(out, "profile"), {
    executablePath: chromium,
    headless: true,
    // SwiftShader's WebGL (software) stays possible with --disable-gpu only when allowed explicitly.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  try {
    await page.goto(`${base}/`);
    await importBundle(page);
    const r: PageResult = await page.evaluate(async (withHorse: boolean) => {
      const s: any = (globalThis as any).stripes;
      const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
      const floats = async (url: string) => new Float32Array((await bytes(url)).buffer);
      const maxLevels = (a: ArrayLike<number>, b: ArrayLike<number>, scale: number) => {
        if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
        let m = 0;
        for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) * scale);
        return m;
      };
      const pixels = (a: Uint8Array, b: Uint8Array) => {
        let levels = 0;
        let differing = 0;
        for (let i = 0; i < a.length; i++) {
          const d = Math.abs(a[i] - b[i]);
          if (d > 0) differing++;
          levels = Math.max(levels, d);
        }
        return { levels, differing, total: a.length };
      };
      const backend = await s.useBackend("wasm");
      const threads = s.threads();
      const shared = (globalThis as any).SharedArrayBuffer !== undefined && s.tf.backend().wasm.HEAPU8.buffer instanceof (globalThis as any).SharedArrayBuffer;
      const netG = s.generatorFromStateDict(s.torch.load(await bytes("/fixtures/convert/gen-rgb-zip.pth")), "gen-rgb-zip.pth");
      const img = await s.Image.open("/fixtures/convert/photos/a.png");
      const x = s.transforms.ToTensor()(s.transforms.Resize(24)(img));
      const batch = s.unsqueeze(x, 0);
      const inputLevels = maxLevels(await batch.data(), await floats("/fixtures/convert/gen-rgb-zip--a--24.input.bin"), 255);
      const want = await floats("/fixtures/convert/gen-rgb-zip--a--24.output.bin");
      const y = netG.forward(batch);
      // the output image is (y + 1) / 2 in [0, 1]: a level of it is 2/255 of y
      const outputLevels = maxLevels(await y.data(), want, 255 / 2);
      const photo = await s.Image.open("/fixtures/vision/photo_96x72.jpg");
      const jpeg = pixels(photo.data, await bytes("/fixtures/vision/decode_photo_96x72_jpg.bin"));
      // every file the Node tests open against PIL's pixels (test/fixtures/vision/manifest.json "open_…")
      const manifest = await (await fetch("/fixtures/vision/manifest.json")).json();
      const opened: PageResult["opened"] = [];
      for (const [name, entry] of Object.entries<any>(manifest)) {
        if (!name.startsWith("open_")) continue;
        const o = await s.Image.open(`/fixtures/vision/${entry.source}`);
        const want = await bytes(`/fixtures/vision/${name}.bin`);
        opened.push({ source: entry.source, mode: o.mode, pilMode: entry.mode, ...(o.data.length === want.length ? pixels(o.data, want) : { levels: -1, differing: -1, total: want.length }) });
      }
      // writing a file, which a browser kernel has no folder for: the call goes on, saying so in one line
      let nodeOnly = "";
      const log = console.log;
      console.log = (...args: unknown[]) => {
        nodeOnly += args.join(" ");
      };
      try {
        await img.save("out.png");
      } catch (err) {
        nodeOnly = `threw ${err instanceof s.StripesError ? "StripesError" : "other"}: ${(err as Error).message}`;
      } finally {
        console.log = log;
      }
      let horse: PageResult["horse"];
      if (withHorse) {
        const h = await s.Image.open("/local/horse.jpg");
        horse = { ...pixels(h.data, await bytes("/local/horse.rgb")), size: [h.width, h.height] };
      }
      let webgl: PageResult["webgl"];
      try {
        await s.useBackend("webgl");
        const yg = netG.forward(batch);
        const gl = (globalThis as any).document.createElement("canvas").getContext("webgl2");
        const info = gl?.getExtension("WEBGL_debug_renderer_info");
        const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "unknown";
        webgl = { started: s.backendName() === "webgl", backend: s.backendName(), renderer, outputLevels: maxLevels(await yg.data(), want, 255 / 2) };
      } catch (err) {
        webgl = { started: false, error: String((err as Error).message ?? err).split("\n")[0] };
      }
      return { nodeOnly, opened, backend, threads, shared, inputLevels, outputLevels, outputShape: y.shape, jpeg, horse, webgl };
    }, horseRaw !== undefined);
    checks.check("the page computes on wasm, single-threaded (the page is not cross-origin isolated)", r.backend === "wasm" && r.threads === 1 && !r.shared, `${r.backend}, ${r.threads} thread(s), shared heap ${r.shared}`);
    checks.check("Resize(24) + ToTensor of a.png equals PyTorch's within 1 level", r.inputLevels <= 1, `max |Δ| ${r.inputLevels.toFixed(4)} levels`);
    checks.check("the generator's output shape is PyTorch's [1, 3, 24, 32]", JSON.stringify(r.outputShape) === "[1,3,24,32]", JSON.stringify(r.outputShape));
    checks.check("the generator on wasm equals PyTorch's output within 1 level", r.outputLevels <= 1, `max |Δ| ${r.outputLevels.toFixed(4)} levels`);
    // A measurement, not a pass/fail: browsers' JPEG decoders are not libjpeg.
    console.log(`  measured: photo_96x72.jpg, Chromium's decode vs PIL's: max |Δ| ${r.jpeg.levels} levels, ${r.jpeg.differing} of ${r.jpeg.total} values differ`);
    for (const o of r.opened) {
      console.log(`  measured: ${o.source}, Chromium's decode vs PIL's: mode ${o.mode} (PIL's ${o.pilMode}), ${o.levels < 0 ? "different sizes" : `max |Δ| ${o.levels} levels, ${o.differing} of ${o.total} values differ`}`);
    }
    checks.check("Image.save to a path says in one line that it did not save (no folder in a browser)", /^out\.png: not saved \([^\n]*browser[^\n]*\)[^\n]*$/.test(r.nodeOnly), r.nodeOnly);
    const grey = r.opened.find((o) => o.source === "l_23x17.jpg");
    checks.check("a grey JPEG opens as mode L, as in PIL (read from its header: the canvas gives RGBA)", grey?.mode === "L", grey?.mode);
    const palette = r.opened.find((o) => o.source === "p_23x17.png");
    checks.check("a palette PNG (lossless) opens with PIL's pixels exactly", palette?.mode === "RGB" && palette.levels === 0, JSON.stringify(palette));
    if (r.horse) console.log(`  measured (local only): horse.jpg ${r.horse.size.join("x")}, Chromium's decode vs PIL 9.4's: max |Δ| ${r.horse.levels} levels, ${r.horse.differing} of ${r.horse.total} values differ`);
    if (r.webgl?.started) console.log(`  measured: the generator on WebGL (${r.webgl.renderer}: a software rasteriser) vs PyTorch: max |Δ| ${r.webgl.outputLevels!.toFixed(4)} levels`);
    else console.log(`  WebGL did not start here (${r.webgl?.error ?? r.webgl?.backend}): not measured`);
    fs.writeFileSync(path.join(out, "result.json"), JSON.stringify(r, null, 1));
    const w = await page.evaluate(() => new Promise<any>((resolve) => {
      const worker = new (globalThis as any).Worker("/worker.js", { type: "module" });
      worker.onmessage = (e: any) => resolve(e.data);
      worker.onerror = (e: any) => resolve({ error: String(e.message ?? e) });
    }));
    checks.check("in a module Web Worker, the generator on wasm equals PyTorch's output within 1 level", w.backend === "wasm" && w.levels <= 1,
      w.error ?? `${w.backend}, max |Δ| ${Number(w.levels).toFixed(4)} levels`);
    await isolatedPage(context, checks);
  } catch (err) {
    checks.check("the page ran", false, (err as Error).message.split("\n")[0]);
  } finally {
    fs.writeFileSync(path.join(out, "console.log"), consoleLines.join("\n"));
    await context.close().catch(() => undefined);
    server.close();
  }
  checks.summary();
}

main().catch((err) => {
  console.log(`  ✗ ${(err as Error).message}`);
  console.log("browser: 0 passed, 1 failed");
  process.exitCode = 1;
});
