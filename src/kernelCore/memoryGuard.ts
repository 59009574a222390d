/**
 * @file The kernel's memory guard: after each cell, one line when the cell left tensors that no
 * name holds — how many, how many bytes, and what to do — and nothing otherwise.
 *
 * It compares the notebook's `memory()` report (notebook/memory.ts, from the notebook's own copy of
 * stripes, whose tfjs the cells use) before and after the cell. Before comparing, the kernel frees
 * what Python's garbage collector would: tensors a name held before the cell and that the cell
 * replaced (re-running `const out = netG.forward(x)` frees the previous `out`), and a cell's
 * displayed last value, when no name holds them any more (`freeUnheld`). A tensor kept only by a
 * closure is not seen by the walk and would be freed under it: names are what count.
 */
import { formatBytes, type HeapInfo } from "../heap";
import { tensorsIn } from "../notebook/tensorWalk";

/** The parts of memory()'s report the guard reads. */
export interface MemoryProbe {
  tensors: number;
  bytes: number;
  heap?: HeapInfo;
  unnamed: { tensors: number; bytes: number };
}

/**
 * Disposes the tensors in `candidates` that none of `names`' values holds; returns how many.
 * The names are walked to any depth, and when even that walk cannot finish (a graph of more than
 * its node budget) nothing is freed: a tensor freed under a name that still holds it would break
 * the learner's later cells, where one left alive only costs memory the guard then reports.
 */
export function freeUnheld(candidates: Iterable<unknown>, names: Record<string, unknown>): number {
  const dropped = tensorsIn(candidates);
  if (dropped.size === 0) return 0;
  const walk = { maxDepth: Infinity, truncated: false };
  const held = tensorsIn(Object.values(names), walk);
  if (walk.truncated) return 0;
  let freed = 0;
  for (const t of dropped) {
    if (held.has(t) || t.isDisposed) continue;
    t.dispose();
    freed++;
  }
  return freed;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The guard's line for a cell, or undefined when it left nothing unheld. */
export function memoryLine(before: MemoryProbe, after: MemoryProbe, cell: number | string): string | undefined {
  const tensors = after.unnamed.tensors - before.unnamed.tensors;
  if (tensors <= 0) return undefined;
  const bytes = Math.max(0, after.unnamed.bytes - before.unnamed.bytes);
  const heap = after.heap ? ` (wasm heap ${formatBytes(after.heap.bytes)} of ${formatBytes(after.heap.limit)})` : "";
  return (
    `memory: cell [${cell}] left ${plural(tensors, "tensor")} (${formatBytes(bytes)}) that no name holds; they stay until disposed: ` +
    `wrap the work in tf.tidy(() => …), call .dispose(), or run stripes.memory() to see what holds memory${heap}`
  );
}
