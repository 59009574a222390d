/**
 * @file The wasm backend in Node: tfjs-backend-wasm's Emscripten module, instantiated by stripes
 * (files from its wasm-out/, never patched), and registered as tfjs's "wasm" factory.
 *
 * With one thread (the default) the module starts synchronously, so a script's first tensor op
 * starts wasm by itself, without `await ready()`. The browser build replaces this file with
 * wasm.browser.ts, which environment.browser.ts imports.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import { EventEmitter } from "node:events";
import * as tf from "@tensorflow/tfjs-core";
import { BackendError } from "./errors";
import { guardHeap } from "../heap";

/** The threaded binary pre-creates this many workers (tfjs-backend-wasm's PTHREAD_POOL_SIZE). */
export const MAX_THREADS = 8;

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

/** Registers stripes' wasm factory under tfjs's name "wasm", replacing tfjs's (same kernels, same binary files). */
export function registerWasm(threads: number, prepare: () => void): boolean {
  let pkg: any;
  try {
    pkg = require("@tensorflow/tfjs-backend-wasm");
  } catch {
    return false;
  }
  if (WASM_OUT === undefined) return false;
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm");
  registeredThreads = threads;
  const backendOf = (module: any) => {
    prepare(); // stripes' kernels, before tfjs sets up the registered kernels for this backend
    return wasmBackend(pkg, module, threads);
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

function wasmBackend(pkg: any, module: any, threads: number): any {
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(module); // creates XNNPACK's pthreadpool: threads - 1 running workers
  guardHeap(backend); // an allocation past the heap is one line (heap.ts)
  for (const worker of module.PThread?.runningWorkers ?? []) worker.unref();
  return backend;
}

/**
 * tfjs's name for a second wasm backend, threaded, beside the one-thread "wasm" that trains:
 * inference.ts moves a large forward pass onto it. Same kernels (wasm's and stripes', copied under
 * this name), its own module and heap; tfjs moves a tensor between the two when an op on one
 * reads a tensor of the other, and re-binds the kernels to the module on each switch.
 */
export const THREADED_WASM = "wasm-threads";

/**
 * Starts the threaded wasm backend with `threads` threads without making it current; false when
 * wasm is not installed or the module does not start. Call after the "wasm" backend has started
 * (its kernels, stripes' included, are what gets copied).
 */
export async function startThreadedWasm(threads: number, prepare: () => void): Promise<boolean> {
  let pkg: any;
  try {
    pkg = require("@tensorflow/tfjs-backend-wasm");
  } catch {
    return false;
  }
  if (WASM_OUT === undefined) return false;
  const engine = tf.engine() as any;
  if (engine.registry[THREADED_WASM] !== undefined) return true;
  if (tf.findBackendFactory(THREADED_WASM) === null) {
    tf.registerBackend(
      THREADED_WASM,
      async () => {
        prepare();
        for (const kernel of tf.getKernelsForBackend("wasm")) {
          if (tf.getKernel(kernel.kernelName, THREADED_WASM) === undefined) tf.registerKernel({ ...kernel, backendName: THREADED_WASM });
        }
        return wasmBackend(pkg, await wasmModule(threads), threads);
      },
      0, // below cpu: tfjs never picks it by itself
    );
  }
  try {
    // Starts it without switching to it (ops meanwhile get tfjs's "not yet initialized", as with
    // STRIPES_THREADS > 1 before ready()); a failure is logged by tfjs and leaves inference on "wasm".
    return (await engine.initializeBackend(THREADED_WASM).success) === true;
  } catch {
    return false;
  }
}

let registeredThreads: number | undefined;

/** The thread count the registered factory starts with, or undefined before registerWasm(). */
export function wasmFactoryThreads(): number | undefined {
  return registeredThreads;
}

/** Threads of a started wasm backend (XNNPACK's pool size), "wasm" unless named; 0 when not started. */
export function wasmThreadsInUse(name: string = "wasm"): number {
  const backend = (tf.engine() as any).registry[name];
  if (backend === undefined) return name === "wasm" ? registeredThreads ?? 1 : 0;
  return backend.wasm.tfjs.getThreadsCount(); // each module's own count (tfjs's getThreadsCount() is the last started)
}
