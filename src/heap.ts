/**
 * @file The wasm backend's heap: how big it is, how big it may grow, and an allocation past it
 * as one sentence instead of a JavaScript RangeError.
 *
 * tfjs-backend-wasm keeps every tensor's bytes in one WebAssembly memory that only grows, up to
 * wasm32's 4 GiB (its `WebAssembly.Memory` maximum). When an allocation cannot be served its
 * `malloc` returns 0 (Emscripten's non-aborting malloc, as memory growth is allowed), and tfjs
 * goes on to write there or fails in a typed-array constructor (`Invalid typed array length`);
 * a size of 4 GiB or more does not even reach malloc intact (it is passed as a 32-bit int). So
 * `guardHeap` wraps the module's malloc: such a request throws an OutOfMemoryError naming the size
 * asked, the heap's size and its limit. Nothing was allocated or registered then, so the tensors
 * and the session stay as they were.
 */
import { StripesError } from "./errors";

export class OutOfMemoryError extends StripesError {}

/** wasm32's address space: tfjs-backend-wasm's WebAssembly.Memory maximum (65,536 pages of 64 KiB). */
export const WASM_HEAP_LIMIT = 2 ** 32;

export interface HeapInfo {
  /** The heap's current size in bytes (it grows, never shrinks). */
  bytes: number;
  /** The most it can grow to. */
  limit: number;
}

interface WasmModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  asm?: { malloc?(bytes: number): number };
  __stripesHeapGuard?: true;
}

function moduleOf(backend: unknown): WasmModule | undefined {
  const wasm = (backend as { wasm?: WasmModule } | undefined)?.wasm;
  return wasm && typeof wasm._malloc === "function" && wasm.HEAPU8 ? wasm : undefined;
}

/** The wasm heap of a tfjs backend, or undefined for a backend without one (cpu, tensorflow). */
export function heapInfo(backend: unknown): HeapInfo | undefined {
  const wasm = moduleOf(backend);
  return wasm ? { bytes: wasm.HEAPU8.length, limit: WASM_HEAP_LIMIT } : undefined;
}

/** "8.59 GB", "786 kB": decimal units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toPrecision(3)} ${units[i]}`;
}

/** The one line for an allocation of `asked` bytes the heap cannot serve. */
export function outOfMemoryMessage(asked: number, heap: HeapInfo): string {
  return (
    `out of memory: a tensor needs ${formatBytes(asked)}, and the wasm heap (${formatBytes(heap.bytes)} now) cannot grow past ` +
    `${formatBytes(heap.limit)}; dispose() tensors you no longer need, wrap work in tf.tidy, or use a smaller size`
  );
}

/** Makes the wasm backend's allocations past its heap throw an OutOfMemoryError (once per module). */
export function guardHeap(backend: unknown): void {
  const wasm = moduleOf(backend);
  if (!wasm || wasm.__stripesHeapGuard) return;
  // The glue's `_malloc` replaces itself with the raw export on its first call, which would drop a
  // wrapper around it: wrap the raw export.
  const malloc = wasm.asm?.malloc ?? wasm._malloc.bind(wasm);
  wasm._malloc = (bytes: number): number => {
    const fail = () => new OutOfMemoryError(outOfMemoryMessage(bytes, { bytes: wasm.HEAPU8.length, limit: WASM_HEAP_LIMIT }));
    if (bytes >= WASM_HEAP_LIMIT) throw fail();
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) throw fail();
    return at;
  };
  wasm.__stripesHeapGuard = true;
}
