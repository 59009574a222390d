/**
 * @file Which TensorFlow.js backend stripes computes on, and with how many threads.
 *
 * Order of preference: `tensorflow` (native libtensorflow, when the user has installed
 * `@tensorflow/tfjs-node`: stripes does not depend on it, since its install downloads a binary that
 * exists only up to N-API 8, so on current Node it never installs), then `wasm` (SIMD, installs
 * anywhere), then `cpu` (pure JS, slow). `STRIPES_BACKEND` overrides the choice.
 *
 * tfjs here is `@tensorflow/tfjs-core` with the cpu and wasm backends, not the `@tensorflow/tfjs`
 * umbrella: core's gradients and chained tensor methods come from
 * dist/tfjs-core-registrations.js (scripts/build-tfjs-registrations.js says why a bundle).
 *
 * The wasm backend is registered here, at import, with stripes' own factory (see `wasmModule`).
 * With one thread (the default) it starts synchronously, so a script's first tensor op just works
 * without `await ready()`, and on wasm rather than on the pure-JS cpu backend.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as os from "node:os";
import { EventEmitter } from "node:events";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// Types only (erased at run time): the chained methods' declarations (x.add(y), x.sum()), which
// loadCoreRegistrations() installs; tfjs-core's own entry leaves them out.
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import { StripesError } from "./errors";

/** The backend could not be chosen or started (a bad STRIPES_BACKEND or STRIPES_THREADS, nothing installed). */
export class BackendError extends StripesError {}
import { registerTrainingKernels } from "./kernels";
import { guardHeap } from "./heap";

export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

let chosen: Promise<BackendName> | undefined;

/**
 * Threads for the wasm backend: `STRIPES_THREADS` (1 to 8, the size of the pool the threaded
 * binary is linked with), else 1.
 *
 * Why 1 by default, not the machine's cores: on the 2-core machine this was built on, the
 * threaded binary runs correctly with 2 threads but its second thread barely computes (its
 * scheduler run time is ~3% of the main thread's during a conv; bench/wasm-threads.ts measures
 * it), while starting its 8 pooled workers costs start-up time. Run `npx ts-node bench/threads.ts`
 * on a quiet machine before changing this default.
 */
export function requestedThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STRIPES_THREADS;
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new BackendError(`STRIPES_THREADS=${raw}: choose a whole number of threads from 1 to ${MAX_THREADS} (this machine has ${os.cpus().length} cores)`);
  }
  return n;
}

/** The threaded binary pre-creates this many workers (tfjs-backend-wasm's PTHREAD_POOL_SIZE). */
const MAX_THREADS = 8;

const WASM_OUT = (() => {
  try {
    return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js"));
  } catch {
    return undefined;
  }
})();

/**
 * Instantiates tfjs-backend-wasm's Emscripten module ourselves (files from its wasm-out/, never
 * patched), single-threaded SIMD for 1 thread, threaded SIMD for more. What tfjs's own factory
 * does not do in Node, and this does:
 * - the pthread workers run the worker script from a string (`eval: true`) instead of the `blob:`
 *   URL that worker_threads refuses (tfjs #3830);
 * - the module learns `threads × 2` logical cores, since tfjs's C++ caps its pool at half the count;
 * - the glue's process listeners, which rethrow every uncaught exception and unhandled rejection
 *   (and on dispose remove *all* listeners, the Jupyter kernel's too), are taken off again at once;
 * - the running pthreads are unref'd, so that Node exits by itself.
 */
async function wasmModule(threads: number): Promise<any> {
  if (threads === 1) return wasmModuleSync();
  const { ready, failed } = startWasmModule(threads);
  return finishWasmModule(await Promise.race([ready, failed]));
}

/**
 * The single-threaded module, compiled and instantiated synchronously (Node allows
 * `new WebAssembly.Module` of any size off the browser's main thread; 0.4 MB takes ~35 ms here), so
 * that the first tensor op of a plain script can start the backend itself, as PyTorch needs no
 * `await` before building a module. Emscripten runs the module's start-up inside the factory call
 * once the instance arrives synchronously.
 */
function wasmModuleSync(): any {
  const { config, ready } = startWasmModule(1);
  ready.catch(() => {}); // failures surface below, synchronously
  if (!config.calledRun) throw new BackendError("the wasm backend did not start synchronously");
  return finishWasmModule(config);
}

function startWasmModule(threads: number): { config: Record<string, any>; ready: Promise<any>; failed: Promise<never> } {
  if (WASM_OUT === undefined) throw new BackendError("@tensorflow/tfjs-backend-wasm is not installed (npm install puts it in)");
  const threaded = threads > 1;
  const glue = require(path.join(WASM_OUT, threaded ? "tfjs-backend-wasm-threaded-simd.js" : "tfjs-backend-wasm.js"));
  const wasmFile = path.join(WASM_OUT, threaded ? "tfjs-backend-wasm-threaded-simd.wasm" : "tfjs-backend-wasm-simd.wasm");
  const wasm = (globalThis as any).WebAssembly; // tsconfig has no DOM lib, where its types live
  const config: Record<string, any> = {
    locateFile: (file: string, prefix: string) => (file.endsWith(".wasm") ? wasmFile : prefix + file),
    instantiateWasm: (info: any, receive: (instance: any, module: unknown) => void) => {
      if (!threaded) {
        const module = new wasm.Module(fs.readFileSync(wasmFile));
        const instance = new wasm.Instance(module, info);
        receive(instance, module);
        return instance.exports;
      }
      info.env.emscripten_num_logical_cores = () => threads * 2;
      wasm.instantiate(fs.readFileSync(wasmFile), info).then(
        ({ instance, module }: { instance: unknown; module: unknown }) => receive(instance, module),
        (err: unknown) => rejectInit(err),
      );
      return {}; // exports arrive through receive()
    },
  };
  let rejectInit: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (rejectInit = reject));
  failed.catch(() => {}); // only raced when threaded

  const listeners = { uncaughtException: process.listeners("uncaughtException"), unhandledRejection: process.listeners("unhandledRejection") };
  const workerThreads = require("node:worker_threads");
  const NodeWorker = workerThreads.Worker;
  let ready: Promise<any>;
  if (threaded) {
    // The glue does `global.Worker = require("worker_threads").Worker` and then `new Worker(path)`.
    const source: string = require(path.join(WASM_OUT, "tfjs-backend-wasm-threaded-simd.worker.js")).wasmWorkerContents;
    const code = source.replace(/\n/g, "\\n"); // the template literal turned the script's "\n" escapes into newlines
    // The glue starts a pool of 8 workers and waits for all to load the module; only the last
    // `threads - 1` are taken (getNewWorker pops), so the others are slots that load on first use.
    let created = 0;
    const realWorkers = threads - 1;
    class PthreadWorker extends NodeWorker {
      constructor(file: string, options?: object) {
        if (created++ < MAX_THREADS - realWorkers) return new LazyPthreadWorker(() => new PthreadWorker(file, options)) as any;
        super(code, { ...options, eval: true });
      }
    }
    workerThreads.Worker = PthreadWorker;
    try {
      ready = glue(config);
    } finally {
      workerThreads.Worker = NodeWorker;
      (globalThis as any).Worker = PthreadWorker; // for a pthread started later, beyond the pool
    }
  } else {
    ready = glue(config);
  }
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    for (const listener of process.listeners(event as "uncaughtException")) {
      if (!(listeners[event] as Function[]).includes(listener)) process.removeListener(event, listener);
    }
  }
  return { config, ready, failed };
}

function finishWasmModule(module: any): any {
  // post.js wrapped _dispose to remove the listeners it saw (all of them): call the C++ one directly.
  module._dispose = (...args: unknown[]) => module.asm.dispose(...args);
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  return module;
}

/**
 * A pool slot that answers the glue's "load" at once and starts a real worker only if a pthread
 * is ever run on it, replaying the "load" first (each real worker costs a copy of the glue and a
 * module instance: seconds on a busy machine).
 */
class LazyPthreadWorker extends EventEmitter {
  private real: any;
  private loadMessage: unknown;
  private queue: [unknown, unknown][] = [];
  private refed = false;
  constructor(private readonly start: () => any) {
    super();
  }
  postMessage(message: any, transfer?: unknown): void {
    if (this.real === undefined && message?.cmd === "load") {
      this.loadMessage = message;
      setImmediate(() => this.emit("message", { cmd: "loaded" }));
      return;
    }
    if (this.real === undefined) this.startReal();
    if (this.queue !== undefined) this.queue.push([message, transfer]);
    else this.real.postMessage(message, transfer);
  }
  private startReal(): void {
    this.real = this.start();
    if (!this.refed) this.real.unref();
    let loaded = false;
    this.real.on("message", (data: any) => {
      if (!loaded && data?.cmd === "loaded") {
        loaded = true;
        for (const [m, t] of this.queue) this.real.postMessage(m, t);
        this.queue = undefined as any;
        return;
      }
      this.emit("message", data);
    });
    this.real.on("error", (err: unknown) => this.emit("error", err));
    this.real.postMessage(this.loadMessage);
  }
  ref(): void {
    this.refed = true;
    this.real?.ref();
  }
  unref(): void {
    this.refed = false;
    this.real?.unref();
  }
  terminate(): Promise<number> {
    return this.real?.terminate() ?? Promise.resolve(0);
  }
}

let wasmThreads = 1;
let wasmRegistered = false;

/** Registers stripes' wasm factory under tfjs's name "wasm", replacing tfjs's (same kernels, same binary files). */
function registerWasm(threads: number): boolean {
  let pkg: any;
  try {
    pkg = require("@tensorflow/tfjs-backend-wasm");
  } catch {
    return false;
  }
  if (WASM_OUT === undefined) return false;
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm");
  wasmThreads = threads;
  wasmRegistered = true;
  const backendOf = (module: any) => {
    pkg.setThreadsCount(threads);
    const backend = new pkg.BackendWasm(module); // creates XNNPACK's pthreadpool: threads - 1 running workers
    guardHeap(backend); // an allocation past the heap is one line (heap.ts)
    for (const worker of module.PThread?.runningWorkers ?? []) worker.unref();
    return backend;
  };
  tf.registerBackend(
    "wasm",
    // One thread: a synchronous factory, so tfjs starts the backend on the first op, no `await
    // ready()` needed. More threads: the pthread workers load asynchronously, so the first op
    // before `await ready()` gets tfjs's "not yet been initialized" error.
    threads === 1 ? () => backendOf(wasmModuleSync()) : async () => backendOf(await wasmModule(threads)),
    2, // tfjs's own priority for wasm: above cpu (1), below tensorflow (3)
  );
  return true;
}

/** Registers tfjs-core's gradients and chained methods from the bundle `npm run build` writes. */
function loadCoreRegistrations(): void {
  const file = path.join(__dirname, "..", "dist", "tfjs-core-registrations.js"); // from src/ (ts-node) and dist/ alike
  if (!fs.existsSync(file)) throw new BackendError(`${file} is missing: run npm run build (it writes tfjs-core's gradients there)`);
  require(file);
}

function wasmInitialised(): boolean {
  return (tf.engine() as any).registry?.wasm !== undefined;
}

/** Registers a backend's package; false when it is not installed or does not load here. */
function register(name: BackendName): boolean {
  try {
    if (name === "tensorflow") require("@tensorflow/tfjs-node");
    else if (name === "wasm") {
      const n = requestedThreads(); // a bad STRIPES_THREADS is the user's one-line error, here
      if (!wasmRegistered || (n !== wasmThreads && !wasmInitialised())) return registerWasm(n);
    }
    return tf.findBackendFactory(name) !== null;
  } catch (err) {
    if (err instanceof StripesError) throw err;
    return false;
  }
}

async function choose(wanted: string | undefined): Promise<BackendName> {
  registerTrainingKernels(); // src/kernels: wasm's missing gradient kernels, faster wrappers, a correct MirrorPad gradient
  if (wanted !== undefined && wanted !== "") {
    if (!(BACKENDS as readonly string[]).includes(wanted)) {
      throw new BackendError(`STRIPES_BACKEND=${wanted}: unknown backend (choose one of ${BACKENDS.join(", ")})`);
    }
    const name = wanted as BackendName;
    if (!register(name) || !(await tf.setBackend(name))) {
      throw new BackendError(`STRIPES_BACKEND=${name}: backend '${name}' is not available on this machine`);
    }
    return name;
  }
  for (const name of BACKENDS) {
    if (register(name) && (await tf.setBackend(name))) return name;
  }
  throw new BackendError(`no TensorFlow.js backend could be initialised (tried ${BACKENDS.join(", ")})`);
}

/**
 * Picks and initialises the backend once (later calls return the same answer).
 * Await it before the first tensor op: tfjs's wasm backend initialises asynchronously.
 */
export function ready(): Promise<BackendName> {
  // A failed choice is not remembered, so fixing STRIPES_BACKEND and calling again works.
  chosen ??= choose(process.env.STRIPES_BACKEND).catch((err) => {
    chosen = undefined;
    throw err;
  });
  return chosen;
}

/** Switches to a named backend now (tests use it to run the same checks on wasm and cpu). */
export async function useBackend(name: BackendName): Promise<BackendName> {
  const picked = await choose(name);
  chosen = Promise.resolve(picked);
  return picked;
}

/** The backend in use, for reports such as `stripes doctor` and the notebooks' first cell. */
export function backendName(): string {
  return tf.getBackend();
}

/** Threads the backend computes with: wasm's XNNPACK pool size, else 1 (tfjs-node's own pool is not ours to count). */
export function threads(): number {
  if (tf.getBackend() !== "wasm") return 1;
  try {
    return require("@tensorflow/tfjs-backend-wasm").getThreadsCount();
  } catch {
    return wasmThreads;
  }
}

/** One line for the notebooks' first cell and `stripes doctor`: "wasm, 2 threads". */
export function backendSummary(): string {
  const n = threads();
  return `${backendName()}, ${n} thread${n === 1 ? "" : "s"}`;
}

// At import: core's gradients and chained methods, then the wasm factory, which outranks tfjs's
// cpu backend: with one thread the first op starts wasm by itself; with STRIPES_THREADS > 1 an op
// before `await ready()` fails with tfjs's "has not yet been initialized … await tf.ready()"
// instead of quietly running on pure JS. A bad STRIPES_THREADS is reported by ready(), not here.
loadCoreRegistrations();
registerTrainingKernels();
let importThreads = 1;
try {
  importThreads = requestedThreads();
} catch {
  // ready() reports it
}
registerWasm(importThreads);
// STRIPES_BACKEND=cpu holds for a script that never awaits ready(): cpu then outranks wasm in
// tfjs's own pick on the first op. (tensorflow needs ready(): loading tfjs-node is not done at import.)
if (process.env.STRIPES_BACKEND === "cpu") {
  const cpu = tf.findBackendFactory("cpu");
  if (cpu !== null) {
    tf.removeBackend("cpu");
    tf.registerBackend("cpu", cpu, 4);
  }
}
