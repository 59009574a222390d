/**
 * @file Which tensors a set of values holds: the tensors themselves, and those inside arrays,
 * Maps, Sets, plain objects and class instances (a module's parameters, an optimizer's state),
 * followed a few levels deep. This is what "a name holds it" means for the memory report and the
 * kernel's memory guard: roughly what Python's garbage collector would find reachable.
 *
 * Tensors are recognised by shape (any copy of tfjs makes them), functions are not entered (a
 * closure's captures cannot be seen), nor are module namespaces (`import * as tf` would lead to
 * tfjs's engine and so to every tensor).
 */

/** The parts of a tfjs Tensor used here. */
export interface TensorLike {
  readonly dataId: object;
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

export function isTensor(v: unknown): v is TensorLike {
  const t = v as TensorLike;
  return typeof v === "object" && v !== null && typeof t.dataId === "object" && Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.dispose === "function";
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** A tensor's bytes as tfjs counts them (strings count 0 here). */
export function tensorBytes(t: TensorLike): number {
  return t.size * (BYTES[t.dtype] ?? 0);
}

const MAX_DEPTH = 8;
const MAX_NODES = 200_000;

function skipped(v: object): boolean {
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) return true;
  if (v === globalThis || v === process) return true;
  const esModule = Object.getOwnPropertyDescriptor(v, "__esModule");
  return esModule !== undefined && esModule.value === true;
}

/** How far a walk goes: `truncated` is set when it stopped at its depth or size limit somewhere. */
export interface WalkOptions {
  maxDepth?: number;
  truncated?: boolean;
}

/** The live tensors reachable from `roots` (each once). */
export function tensorsIn(roots: Iterable<unknown>, options: WalkOptions = {}): Set<TensorLike> {
  const found = new Set<TensorLike>();
  const seen = new Set<object>();
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  let budget = MAX_NODES;
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== "object" || v === null) return;
    if (budget <= 0) {
      options.truncated = true;
      return;
    }
    if (seen.has(v)) return;
    seen.add(v);
    budget--;
    if (isTensor(v)) {
      if (!v.isDisposed) found.add(v);
      return;
    }
    if (skipped(v)) return;
    if (depth >= maxDepth) {
      options.truncated = true;
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (v instanceof Map) {
      for (const x of v.values()) visit(x, depth + 1);
    } else if (v instanceof Set) {
      for (const x of v) visit(x, depth + 1);
    } else {
      let values: unknown[];
      try {
        values = Object.values(v);
      } catch {
        return; // a proxy or a getter that throws
      }
      for (const x of values) visit(x, depth + 1);
    }
  };
  for (const r of roots) visit(r, 0);
  return found;
}

/** Tensors and bytes of a set of tensors (a buffer shared by several tensors counts once). */
export function footprint(tensors: Iterable<TensorLike>): { tensors: number; bytes: number } {
  let n = 0;
  let bytes = 0;
  const buffers = new Set<object>();
  for (const t of tensors) {
    n++;
    if (!buffers.has(t.dataId)) {
      buffers.add(t.dataId);
      bytes += tensorBytes(t);
    }
  }
  return { tensors: n, bytes };
}
