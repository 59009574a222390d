/**
 * @file The wasm backend in a browser (replaces wasm.ts in the browser bundle): tfjs-backend-wasm's
 * own factory, its .wasm files fetched from beside the bundle (scripts/build-browser.js copies
 * them there), wrapped so that stripes' kernels are registered and the heap guarded before the
 * first op.
 *
 * Threads: the threaded binary needs SharedArrayBuffer, which a page has only when it is
 * cross-origin isolated (served with COOP/COEP headers); otherwise the single-threaded SIMD binary.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { guardHeap } from "../heap";

/** The threaded binary's worker pool (tfjs-backend-wasm's PTHREAD_POOL_SIZE). */
export const MAX_THREADS = 8;

/** The bundle's own address, which scripts/build-browser.js puts in its banner (`import.meta.url`). */
declare const __stripesBundleUrl: string | undefined;

const page = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; STRIPES_WASM_PATH?: string };

/**
 * Threads asked of wasm: the browser's cores (at most the pool) when isolated, else 1. tfjs's C++
 * sizes its pool at no more than half the logical cores the browser reports, so a 2-core machine
 * gets the threaded binary computing on 1 thread (Node's loader tells it double, wasm.ts).
 */
export function browserThreads(): number {
  if (page.crossOriginIsolated !== true) return 1;
  return Math.max(1, Math.min(MAX_THREADS, page.navigator?.hardwareConcurrency ?? 1));
}

let registeredThreads: number | undefined;

export function registerWasm(threads: number, prepare: () => void): boolean {
  if (registeredThreads !== undefined) return true;
  const original = tf.findBackendFactory("wasm");
  if (original === null) return false;
  // Where the .wasm files are: a page may say (STRIPES_WASM_PATH), else beside the bundle.
  const base = page.STRIPES_WASM_PATH ?? (typeof __stripesBundleUrl === "string" ? new URL("./", __stripesBundleUrl).href : undefined);
  if (base !== undefined) wasmBackend.setWasmPaths(base);
  // tfjs would try threads whenever SharedArrayBuffer exists; stripes' rule is isolation.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", threads > 1);
  wasmBackend.setThreadsCount(threads);
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    async () => {
      prepare(); // stripes' kernels, before tfjs sets up the registered kernels for this backend
      const backend = await original();
      guardHeap(backend);
      return backend;
    },
    2,
  );
  registeredThreads = threads;
  return true;
}

export function wasmFactoryThreads(): number | undefined {
  return registeredThreads;
}

export function wasmThreadsInUse(): number {
  return wasmBackend.getThreadsCount();
}

/** The name Node gives its second, threaded wasm (wasm.ts); a browser runs one wasm backend. */
export const THREADED_WASM = "wasm-threads";

/** Node's second wasm backend for inference; a page's one wasm already has the threads it may have. */
export async function startThreadedWasm(_threads: number, _prepare: () => void): Promise<boolean> {
  return false;
}
