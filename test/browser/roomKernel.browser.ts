/**
 * The room's kernel in a real browser's Web Worker, without JupyterLite: a tiny page served from
 * 127.0.0.1 with COOP/COEP headers starts dist/room/kernel/worker.js directly and talks to it in
 * the page ↔ worker protocol (src/room/worker/protocol.ts), sending whole Jupyter messages.
 * Checks: a declaration carried to the next cell and its execute_result; a type error and a thrown
 * error as one-line errors with the kernel alive; console.log as a stream; "stripes" imported from
 * the module registry (a stand-in object, typed by the real dist/*.d.ts); a name kept after a
 * failing cell; an interrupt of a cell awaiting forever. Measures the worker bundle's size, the
 * time from worker start to the first cell's result, and a small cell's round trip once warm.
 * scripts/browser-test.js runs it (it builds the bundle first; `npm run build` must have run).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { findChromium, launchChromium, skipped } from "../helpers/jupyterLab";

const ROOT = path.join(__dirname, "..", "..");
const KERNEL = path.join(ROOT, "dist", "room", "kernel");

const PAGE = `<!doctype html><meta charset="utf-8"><title>room kernel</title><script>
var messages = [];
var worker, t0, readyAt, flag;
function start() {
  t0 = performance.now();
  worker = new Worker("worker.js");
  flag = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(16)) : undefined; // kernelCore/interruptFlag.ts's four cells
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === "ready") readyAt = performance.now() - t0;
    if (m.type === "log" || m.type === "fatal") console.log("worker " + m.type + ": " + m.text);
    messages.push({ ...m, at: performance.now() - t0 });
  };
  worker.postMessage({ type: "init", interruptFlag: flag, typesUrl: "types.json", libraryUrl: "standin.js" });
}
var n = 0;
function request(msgType, content, channel = "shell") {
  const id = "req-" + ++n;
  const msg = { header: { msg_id: id, msg_type: msgType, session: "page", username: "test", date: new Date().toISOString(), version: "5.3" }, parent_header: {}, metadata: {}, content };
  const sent = performance.now() - t0;
  worker.postMessage({ type: "request", channel, msg });
  return new Promise((resolve) => {
    const poll = () => {
      const mine = messages.filter((m) => m.msg && m.msg.parent_header.msg_id === id);
      const reply = mine.find((m) => m.type === "reply");
      const idle = channel === "control" || mine.some((m) => m.msg.header.msg_type === "status" && m.msg.content.execution_state === "idle");
      if (reply && idle) resolve({ sent, done: performance.now() - t0, reply: reply.msg.content, iopub: mine.filter((m) => m.type === "publish").map((m) => ({ type: m.msg.header.msg_type, content: m.msg.content })) });
      else setTimeout(poll, 5);
    };
    poll();
  });
}
var execute = (code) => request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
</script>`;

// Stand-ins for the library's browser bundle (another branch builds it): an ES module, as that
// bundle is, for the worker; a classic script defining `stripes` for the page kernel's worker.
const STANDIN = `export const version = "0.0.0-stand-in";\nexport const backendName = () => "stand-in";\nexport const ready = async () => "stand-in";\n`;
const STANDIN_CLASSIC = `self.stripes = { version: "0.0.0-classic", backendName: () => "classic" };`;

/** The page side (src/room/page/) bundled with @jupyterlite/services for a page without JupyterLite. */
async function bundlePageKernel(outfile: string): Promise<void> {
  const esbuild = await import("esbuild");
  const page = path.join(ROOT, "src", "room", "page");
  await esbuild.build({
    stdin: {
      contents:
        `import { StripesKernel } from ${JSON.stringify(path.join(page, "kernel"))};\n` +
        `import plugin, { stripesKernelPlugin } from ${JSON.stringify(path.join(page, "plugin"))};\n` +
        // The plugin's activate with stand-ins for JupyterLite's kernel specs and kernel client.
        `self.activatePlugin = (send) => { const made = {}; const client = { interrupts: [], interrupt: async (id) => { client.interrupts.push(id); } };\n` +
        `  stripesKernelPlugin({ workerUrl: "worker.js", typesUrl: "types.json" }).activate(null, { register: (o) => { made.spec = o.spec; made.create = o.create; } }, client);\n` +
        `  return made.create({ id: "k2", name: "stripes", location: "", sendMessage: send }).then((k) => ({ kernel: k, spec: made.spec, client })); };\n` +
        `self.makeKernel = (send) => new StripesKernel({ id: "k1", name: "stripes", location: "", sendMessage: send }, { workerUrl: "worker.js", typesUrl: "types.json", libraryUrl: "standin-classic.js" });\n` +
        `self.pluginInfo = { id: plugin.id, autoStart: plugin.autoStart, requires: plugin.requires.map((t) => t.name) };\n`,
      resolveDir: ROOT,
      loader: "ts",
    },
    outfile,
    bundle: true,
    format: "iife",
    platform: "browser",
    logLevel: "error",
  });
}

/** A page holding the JupyterLite kernel class (no JupyterLite app): messages as a client sends them. */
const LITE_PAGE = `<!doctype html><meta charset="utf-8"><title>lite kernel</title><script src="page.js"></script><script>
var sent = [];
var kernel = makeKernel((m) => sent.push(m));
var n = 0;
function request(msgType, content) {
  const id = "lite-" + ++n;
  const msg = { channel: "shell", header: { msg_id: id, msg_type: msgType, session: "client-1", username: "", date: new Date().toISOString(), version: "5.3" }, parent_header: {}, metadata: {}, content, buffers: [] };
  kernel.handleMessage(msg);
  return new Promise((resolve) => {
    const poll = () => {
      const mine = sent.filter((m) => m.parent_header && m.parent_header.msg_id === id);
      const reply = mine.find((m) => m.channel === "shell");
      if (reply && mine.some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle")) resolve(mine.map((m) => ({ channel: m.channel, type: m.header.msg_type, session: m.header.session, content: m.content })));
      else setTimeout(poll, 10);
    };
    poll();
  });
}
</script>`;

async function pageKernelChecks(page: import("playwright-core").Page, port: number, check: (ok: boolean, what: string, detail?: unknown) => void): Promise<void> {
  await page.goto(`http://127.0.0.1:${port}/lite.html`);
  const info = await page.evaluate(() => (globalThis as any).pluginInfo);
  check(info.id === "stripes-gan:kernel" && info.autoStart === true && info.requires.length === 1, "plugin.ts's default export: a plugin requiring IKernelSpecs", info);
  // Stop in JupyterLite calls the kernel client's interrupt: the plugin's wrapper reaches the kernel.
  const stop = await page.evaluate(async () => {
    const g = globalThis as any;
    const seen: any[] = [];
    const { kernel, spec, client } = await g.activatePlugin((m: any) => seen.push(m));
    await kernel.ready;
    const msg = { channel: "shell", header: { msg_id: "stop-1", msg_type: "execute_request", session: "client-2", username: "", date: "", version: "5.3" }, parent_header: {}, metadata: {}, content: { code: "await new Promise(() => {})", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, buffers: [] };
    kernel.handleMessage(msg);
    await new Promise((r) => setTimeout(r, 1500));
    await client.interrupt("k2");
    for (let i = 0; i < 300 && !seen.some((m) => m.header.msg_type === "execute_reply"); i++) await new Promise((r) => setTimeout(r, 20));
    kernel.dispose();
    return { spec, interrupts: client.interrupts, error: seen.find((m) => m.header.msg_type === "error")?.content };
  });
  check(stop.spec.name === "stripes" && stop.spec.language === "typescript", "the registered spec: name stripes, language typescript", stop.spec);
  check(stop.error?.ename === "KeyboardInterrupt" && !/restarted/.test(stop.error.evalue) && stop.interrupts[0] === "k2", "the kernel client's interrupt (Stop) reaches the kernel: an awaiting cell ends without a restart, the client's own cancel still runs", stop);
  await page.evaluate(() => (globalThis as any).kernel.ready);
  type M = { channel: string; type: string; session: string; content: any }[];
  const req = (type: string, content: object) => page.evaluate(([t, c]) => (globalThis as any).request(t, c), [type, content] as const) as Promise<M>;
  const ki = await req("kernel_info_request", {});
  const lib = await req("execute_request", { code: 'import { backendName } from "stripes";\nbackendName()', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  check(lib.find((m) => m.type === "execute_result")?.content.data["text/plain"] === "classic", "a classic-script library (a global `stripes`) is registered too", lib);
  check(ki.some((m) => m.type === "kernel_info_reply" && m.content.implementation === "stripes") && ki.every((m) => m.session === "client-1"), "BaseKernel subclass: kernel_info_reply from the worker, routed to the client's session", ki);
  const ex = await req("execute_request", { code: "const a: number = 20;\na + 1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  check(ex.map((m) => m.type).join(",") === "status,execute_input,execute_result,execute_reply,status" && ex.find((m) => m.type === "execute_result")?.content.data["text/plain"] === "21", "execute through the page kernel: busy, execute_input, execute_result 21, execute_reply, idle (once each)", ex);
  const ci = await req("comm_info_request", { target_name: "jupyter.widget" });
  check(ci.some((m) => m.type === "comm_info_reply" && m.content.status === "ok"), "comm_info_request is answered (BaseKernel alone never answers it)", ci);
  // A comm message (with a binary buffer, as JupyterLite passes them) to a comm the kernel does not know: comm_close.
  const closed = await page.evaluate(async () => {
    const g = globalThis as any;
    const msg = { channel: "shell", header: { msg_id: "comm-1", msg_type: "comm_msg", session: "client-1", username: "", date: "", version: "5.3" }, parent_header: {}, metadata: {}, content: { comm_id: "no-such-comm", data: { method: "update" } }, buffers: [new DataView(new Uint8Array([1, 2]).buffer)] };
    g.kernel.handleMessage(msg);
    for (let i = 0; i < 200; i++) {
      const m = g.sent.find((x: any) => x.parent_header?.msg_id === "comm-1" && x.header.msg_type === "comm_close");
      if (m) return { channel: m.channel, content: m.content, session: m.header.session };
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  });
  check(closed?.channel === "iopub" && closed.content.comm_id === "no-such-comm" && closed.session === "client-1", "comm_msg (with a buffer) to an unknown comm: the worker's core answers comm_close on iopub", closed);
  const co = await req("complete_request", { code: "a.toFi", cursor_pos: 6 });
  check(co.some((m) => m.type === "complete_reply" && m.content.matches.includes("toFixed")), "complete_request: a.toFi → toFixed", co);
  // A synchronous loop after an await: on a cross-origin isolated page the shared flag reaches it
  // (the loop checks it), so Stop ends the cell and the worker, with its names, lives on.
  const spinAfterAwait = (p: import("playwright-core").Page) =>
    p.evaluate(() => (globalThis as any).request("execute_request", { code: "await Promise.resolve();\nwhile (true) {}", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true })) as Promise<M>;
  let spin = spinAfterAwait(page);
  await new Promise((r) => setTimeout(r, 3000));
  const stopAt = Date.now();
  await page.evaluate(() => (globalThis as any).kernel.interrupt());
  let stopped = await spin;
  const stopMs = Date.now() - stopAt;
  let err = stopped.find((m) => m.type === "error");
  check(err?.content.ename === "KeyboardInterrupt" && !/restarted/.test(err.content.evalue), `isolated page: Stop ends \`await …; while (true) {}\` without a restart (${stopMs} ms)`, stopped);
  const kept = await req("execute_request", { code: "a * 2", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  check(kept.find((m) => m.type === "execute_result")?.content.data["text/plain"] === "40", "after that Stop the names are kept (a * 2 = 40)", kept);
  // Without isolation there is no shared memory: the page restarts the worker to stop the loop.
  await page.goto(`http://127.0.0.1:${port}/lite.html?plain`);
  check((await page.evaluate(() => (globalThis as any).crossOriginIsolated)) === false, "the plain page is not cross-origin isolated");
  await req("execute_request", { code: "const a: number = 20;", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  spin = spinAfterAwait(page);
  await new Promise((r) => setTimeout(r, 3000));
  await page.evaluate(() => (globalThis as any).kernel.interrupt());
  stopped = await spin;
  err = stopped.find((m) => m.type === "error");
  check(err?.content.ename === "KeyboardInterrupt" && /restarted/.test(err.content.evalue), "plain page: Stop of the same cell restarts the worker, with one line saying so", stopped);
  await page.evaluate(() => (globalThis as any).kernel.ready);
  const again = await req("execute_request", { code: "typeof a", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  check(/Cannot find name 'a'/.test(again.find((m) => m.type === "error")?.content.evalue ?? ""), "the restarted kernel serves cells, in a fresh scope (`a` is gone)", again);
}

function serve(dir: string): Promise<http.Server> {
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json" };
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^\/+/, "") || "index.html");
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    // `?plain` on a page: no isolation headers (as over plain http on a LAN), so no SharedArrayBuffer.
    const plain = (req.url ?? "").endsWith("?plain");
    res.writeHead(200, {
      "Content-Type": types[path.extname(file)] ?? "application/octet-stream",
      ...(plain ? {} : { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" }),
      "Cross-Origin-Resource-Policy": "same-origin",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) return skipped("the room kernel's browser test", ["chromium"]);
  const built = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-room-kernel.js")], { cwd: ROOT, encoding: "utf8" });
  process.stdout.write(built.stdout);
  if (built.status !== 0) throw new Error(`build-room-kernel failed: ${built.stderr}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "room-kernel-"));
  fs.copyFileSync(path.join(KERNEL, "worker.js"), path.join(dir, "worker.js"));
  fs.copyFileSync(path.join(KERNEL, "types.json"), path.join(dir, "types.json"));
  fs.writeFileSync(path.join(dir, "standin.js"), STANDIN);
  fs.writeFileSync(path.join(dir, "standin-classic.js"), STANDIN_CLASSIC);
  fs.writeFileSync(path.join(dir, "favicon.ico"), "");
  fs.writeFileSync(path.join(dir, "index.html"), PAGE);
  await bundlePageKernel(path.join(dir, "page.js"));
  fs.writeFileSync(path.join(dir, "lite.html"), LITE_PAGE);
  const server = await serve(dir);
  const port = (server.address() as { port: number }).port;
  const browser = await launchChromium(chromium, path.join(dir, "profile"));
  let passed = 0;
  let failed = 0;
  const check = (ok: boolean, what: string, detail?: unknown) => {
    if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? "✓" : "✗"} ${what}${ok || detail === undefined ? "" : ` — got ${JSON.stringify(detail).slice(0, 600)}`}`);
  };
  try {
    const page = browser.page;
    page.on("console", (m) => console.log(`  [page] ${m.text()}`));
    page.on("pageerror", (e) => console.log(`  [page error] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    check(await page.evaluate(() => self.crossOriginIsolated), "the page is cross-origin isolated (COOP/COEP)");
    type R = { sent: number; done: number; reply: any; iopub: { type: string; content: any }[] };
    const run = (code: string) => page.evaluate((c) => (globalThis as any).execute(c), code) as Promise<R>;
    await page.evaluate(() => (globalThis as any).start());
    const first = await run("const x: number = 1");
    const ready = await page.evaluate(() => (globalThis as any).readyAt as number);
    check(first.reply.status === "ok", "the first cell (a declaration) runs", first);
    const info = (await page.evaluate(() => (globalThis as any).request("kernel_info_request", {}))) as R;
    check(/tfjs backend: stand-in/.test(info.reply.banner ?? ""), "kernel_info's banner names the backend the library's ready() chose", info.reply.banner);
    const second = await run("x + 1");
    const result = second.iopub.find((m) => m.type === "execute_result");
    check(result?.content.data["text/plain"] === "2", "x + 1 in the next cell: execute_result 2", second);
    check(second.iopub[0]?.type === "status" && second.iopub.at(-1)?.content.execution_state === "idle", "busy … idle around the request", second.iopub.map((m) => m.type));
    const typeErr = await run('const s: string = x;');
    const tErr = typeErr.iopub.find((m) => m.type === "error");
    check(typeErr.reply.status === "error" && tErr?.content.ename === "TypeScriptError" && /^1:7 - Type 'number' is not assignable/.test(tErr.content.evalue) && !tErr.content.evalue.includes("\n"), "a type error: one line, line:col", typeErr);
    const thrown = await run('const kept = 5;\nthrow new Error("boom")');
    const thErr = thrown.iopub.find((m) => m.type === "error");
    check(thErr?.content.traceback[0] === "Error: boom", "a thrown error: `Error: boom`", thrown);
    const after = await run("kept + x");
    check(after.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"] === "6", "the kernel is alive and `kept` (reached before the throw) is kept", after);
    const printed = await run('console.log("hello", 1 + 2)');
    const stream = printed.iopub.find((m) => m.type === "stream");
    check(stream?.content.name === "stdout" && stream.content.text === "hello 3\n", "console.log → a stdout stream", printed);
    const late = await run('setTimeout(() => { throw new RangeError("late") }, 10);\nPromise.reject(new Error("nobody awaits"));\n"scheduled"');
    await new Promise((r) => setTimeout(r, 300));
    const lateOut = (await page.evaluate((id) => (globalThis as any).messages.filter((m: any) => m.msg && m.msg.parent_header.msg_id === id && m.msg.header.msg_type === "stream").map((m: any) => m.msg.content.text).join(""), `req-${await page.evaluate(() => (globalThis as any).n)}`)) as string;
    check(/Uncaught \(in a callback after its cell\): RangeError: late/.test(lateOut) && /Unhandled promise rejection .*nobody awaits/.test(lateOut), "errors in callbacks after a cell: stderr under that cell, the worker alive", { late, lateOut });
    const lib = await run('import { version, backendName } from "stripes";\nbackendName() + " " + version');
    check(lib.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"] === "stand-in 0.0.0-stand-in", '"stripes" resolves to the registered module', lib);
    const libType = await run("const wrong: number = version;");
    check(libType.iopub.find((m) => m.type === "error")?.content.ename === "TypeScriptError", "stripes' declarations type-check a cell (version is a string)", libType);
    const noDom = await run("document.title");
    check(/Cannot find name 'document'/.test(noDom.iopub.find((m) => m.type === "error")?.content.evalue ?? ""), "cells are typed as worker code: `document` does not exist", noDom);
    const tfType = await run('import { tf } from "stripes";\nconst t: string = tf.scalar;');
    check(/not assignable/.test(tfType.iopub.find((m) => m.type === "error")?.content.evalue ?? ""), "tfjs-core's declarations are in the map (tf.scalar is a function)", tfType);
    // Interrupt of a cell awaiting forever, then the kernel serves the next cell.
    const pending = run("await new Promise(() => {})");
    await new Promise((r) => setTimeout(r, 500));
    await page.evaluate(() => (globalThis as any).worker.postMessage({ type: "interrupt" }));
    const stopped = await pending;
    check(stopped.iopub.find((m) => m.type === "error")?.content.ename === "KeyboardInterrupt", "interrupt ends `await new Promise(() => {})` with KeyboardInterrupt", stopped);
    const alive = await run("x");
    check(alive.reply.status === "ok", "the next cell runs after the interrupt", alive);
    const ci = (await page.evaluate(() => (globalThis as any).request("comm_info_request", {}))) as R;
    check(ci.reply.status === "ok" && typeof ci.reply.comms === "object", "comm_info_request is answered", ci.reply);
    // Measurements.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await run(`x + ${i}`);
      times.push(r.done - r.sent);
    }
    times.sort((a, b) => a - b);
    const size = fs.statSync(path.join(KERNEL, "worker.js")).size;
    const typesSize = fs.statSync(path.join(KERNEL, "types.json")).size;
    await pageKernelChecks(page, port, check);
    console.log(`  measured: worker.js ${(size / 1024).toFixed(0)} KiB, types.json ${(typesSize / 1024).toFixed(0)} KiB; ready ${ready.toFixed(0)} ms after the worker started; first cell's reply ${first.done.toFixed(0)} ms after the worker started; the first cell importing "stripes" (its declarations and tfjs-core's read and checked) ${(lib.done - lib.sent).toFixed(0)} ms; a small cell's round trip once warm: median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
}

main().catch((err) => {
  console.log(`  ✗ the room kernel's browser test could not run: ${err?.stack ?? err}`);
  console.log("browser: 0 passed, 1 failed");
});
