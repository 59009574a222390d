/**
 * @file `memory()`: what holds memory — how many tensors and bytes tfjs keeps, the wasm heap's
 * size and limit, and, in the stripes kernel, which of the notebook's names hold which tensors and
 * how many no name holds (a leak, unless something unseen such as a closure keeps them).
 *
 * In PyTorch the garbage collector frees a tensor nothing refers to; in TensorFlow.js a tensor
 * lives until it is disposed (or made inside `tf.tidy`), and on the wasm backend its bytes sit in
 * a heap that only grows. The kernel lends this report its names (the kernelNames slot, set by the
 * kernel's interpreter) and uses it after every cell (memoryGuard.ts).
 *
 * Before counting it frees stripes' own speed caches (the speedCaches slot: e.g. the rotated conv
 * filters the wasm gradient kernel keeps per weight), which are made again on next use: what no
 * name holds is then the learner's to free, never the library's.
 */
import * as tf from "@tensorflow/tfjs-core";
import { heapInfo, type HeapInfo } from "../heap";
import { getSlot, sharedSlot } from "./slots";
import { footprint, tensorsIn } from "./tensorWalk";

export interface NameMemory {
  name: string;
  tensors: number;
  bytes: number;
}

export interface MemoryReport {
  /** tfjs's backend ("wasm", "tensorflow", "cpu"). */
  backend: string;
  /** Live tensors, and the bytes of their data (tf.memory()'s numTensors and numBytes). */
  tensors: number;
  bytes: number;
  /** The wasm heap (wasm backend only): its size now and the most it can grow to. */
  heap?: HeapInfo;
  /** The notebook's names that hold tensors, most bytes first (empty outside the stripes kernel). */
  names: NameMemory[];
  /** The tensors (and bytes) none of those names holds. */
  unnamed: { tensors: number; bytes: number };
}

/** tfjs's tensors and bytes, the wasm heap, and (in the stripes kernel) which names hold them. */
export function memory(): MemoryReport {
  for (const release of sharedSlot("speedCaches", () => new Set<() => unknown>())) release();
  const m = tf.memory();
  const provider = getSlot<() => Record<string, unknown>>("kernelNames");
  const scope = provider?.() ?? {};
  const names: NameMemory[] = [];
  const all = tensorsIn(Object.values(scope));
  for (const [name, value] of Object.entries(scope)) {
    const held = tensorsIn([value]);
    if (held.size > 0) names.push({ name, ...footprint(held) });
  }
  names.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const named = footprint(all);
  return {
    backend: tf.getBackend(),
    tensors: m.numTensors,
    bytes: m.numBytes,
    heap: heapInfo(tf.backend()),
    names,
    unnamed: { tensors: Math.max(0, m.numTensors - named.tensors), bytes: Math.max(0, m.numBytes - named.bytes) },
  };
}
