/**
 * @file The entry of the kernel's Web Worker (bundled by scripts/build-room-kernel.js into
 * dist/room/kernel/worker.js): on the page's `init` (protocol.ts) it loads the .d.ts map and the
 * library (awaiting its `ready()`, the backend choice, as the Node kernel does), builds tslab's
 * compiler over memory and the kernel core with the worker's runner and transport, and serves
 * requests. `console.log`/`console.error` in cells become stdout/stderr.
 *
 * Interrupt: an `interrupt` message (or a control interrupt_request) ends an awaiting cell; a
 * synchronous loop sees only the shared flag the page writes (its loops check it, as in Node):
 * when the page is not cross-origin isolated there is none, and the page restarts the worker to
 * stop such a cell.
 */
import { KernelCore } from "../../kernelCore/core";
import { kernelInfoContent } from "../../kernelCore/kernelInfo";
import type { MemoryProbe } from "../../kernelCore/memoryGuard";
import type { Incoming } from "../../kernelCore/transport";
import type { Message } from "../../protocol/message";
import { WorkerCellRunner } from "./cellRunner";
import { loadCompiler } from "./compiler";
import type { FromWorker, ToWorker } from "./protocol";
import { WorkerTransport } from "./transport";

declare const self: { postMessage(m: unknown): void; onmessage: ((e: { data: ToWorker }) => void) | null; location: { href: string } } & Record<string, any>;

const post = (m: FromWorker) => self.postMessage(m);
const log = (text: string) => post({ type: "log", text });
const t0 = performance.now();
const early: Incoming[] = [];
let core: KernelCore | undefined;
let runner: WorkerCellRunner | undefined;

self.onmessage = (e) => {
  const m = e.data;
  if (m.type === "init") void start(m).catch((err) => post({ type: "fatal", text: `the kernel could not start: ${err?.message ?? err}` }));
  else if (m.type === "interrupt") runner?.interrupt();
  else if (m.type === "request") {
    const request: Incoming = { channel: m.channel, msg: m.msg as unknown as Message, arrived: Date.now() };
    if (core) core.receive(request);
    else early.push(request);
  }
};

async function start(init: Extract<ToWorker, { type: "init" }>): Promise<void> {
  const typesUrl = new URL(init.typesUrl, self.location.href).href;
  const response = await fetch(typesUrl);
  if (!response.ok) throw new Error(`${typesUrl}: ${response.status} ${response.statusText}`);
  const files = new Map<string, string>(Object.entries((await response.json()) as Record<string, string>));
  const modules: Record<string, unknown> = {};
  let backendLine = "no library";
  if (init.libraryUrl) {
    // The room's kernel computes on wasm, as the Node kernel does, so that a lesson's numbers are
    // the ones its tests pin to PyTorch's (the bundle's own order would take WebGL first, whose
    // GPU float math differs); a page may still choose another through STRIPES_BACKEND.
    self.STRIPES_BACKEND ??= "wasm";
    const lib = await loadLibrary(new URL(init.libraryUrl, self.location.href).href);
    modules.stripes = lib;
    // As in the Node kernel: the backend is chosen before any cell runs, and the banner says which.
    try {
      backendLine = typeof lib.ready === "function" ? `tfjs backend: ${await lib.ready()}` : "tfjs backend: (the library has no ready())";
    } catch (err) {
      backendLine = `tfjs backend: NOT READY (${(err as Error)?.message ?? err})`;
      log(backendLine);
    }
  }
  const tTypes = performance.now();
  const parts = loadCompiler(files, log);
  const tCompiler = performance.now();
  runner = new WorkerCellRunner(parts, { modules, interruptFlag: init.interruptFlag });
  const transport = new WorkerTransport(post);
  const kernelInfo = kernelInfoContent({
    version: STRIPES_VERSION,
    js: false,
    languageVersion: runner.typescriptVersion,
    banner: `stripes ${STRIPES_VERSION} kernel: TypeScript ${runner.typescriptVersion} (tslab's compiler) in a Web Worker; ${backendLine}`,
  });
  const r = runner;
  const lib = modules.stripes as { memory?(): MemoryProbe } | undefined;
  core = new KernelCore({
    runner: r,
    transport,
    kernelInfo,
    log,
    // The memory guard's line after a cell, from the library's memory() (the cells' tfjs).
    probeMemory: () => lib?.memory?.(),
    onShutdown: () => setTimeout(() => (self as any).close?.(), 0),
  });
  core.attachOutputs();
  const c = core;
  const print = (name: "stdout" | "stderr") => (...args: unknown[]) => c.stream(name, args.map(show).join(" ") + "\n");
  console.log = print("stdout");
  console.info = print("stdout");
  console.warn = print("stderr");
  console.error = print("stderr");
  // An error thrown in a callback after its cell ended (a timer, a promise nobody awaited): shown
  // under the last cell, as the Node kernel does; handled here, or the page would take it for the
  // worker failing.
  self.onerror = (_message: unknown, _source: unknown, _line: unknown, _col: unknown, err: unknown) => {
    c.stream("stderr", `Uncaught (in a callback after its cell): ${show(err)}\n`);
    return true;
  };
  self.onunhandledrejection = (e: { reason: unknown; preventDefault(): void }) => {
    e.preventDefault();
    c.stream("stderr", `Unhandled promise rejection (in a callback after its cell): ${show(e.reason)}\n`);
  };
  for (const request of early.splice(0)) core.receive(request);
  core.start();
  r.warm(); // builds the compiler's program (the first cell's check would otherwise pay for it)
  const tReady = performance.now();
  const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
  log(`started in ${ms(t0, tReady)}: types and library ${ms(t0, tTypes)}, compiler loaded ${ms(tTypes, tCompiler)}, first program ${ms(tCompiler, tReady)}`);
  post({ type: "ready", kernelInfo, ms: Math.round(tReady - t0) });
  // After ready, so kernel_info is answered first; a cell sent meanwhile waits for this anyway.
  if (modules.stripes !== undefined) {
    setTimeout(() => {
      const t = performance.now();
      r.warmImport("stripes");
      log(`stripes' declarations read in ${ms(t, performance.now())}`);
    }, 0);
  }
}

/**
 * The library's browser bundle: an ES module (its exports are the library), or a classic script
 * that defines a global `stripes`. Both load through `import()`, which a classic worker has.
 */
async function loadLibrary(url: string): Promise<Record<string, any>> {
  const ns = (await import(/* webpackIgnore: true */ url)) as Record<string, any>;
  if (Object.keys(ns).length > 0) return ns;
  if (self.stripes !== undefined) return self.stripes;
  throw new Error(`${url}: neither exports anything nor defines a global "stripes"`);
}

/** console.log's rendering of one argument: strings as they are, the rest as JSON where it can. */
function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Error) return v.stack ?? String(v);
  if (typeof v === "object" && v !== null && typeof (v as any).toString === "function" && (v as any).toString !== Object.prototype.toString) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Replaced by the bundler with package.json's version. */
declare const STRIPES_VERSION: string;
