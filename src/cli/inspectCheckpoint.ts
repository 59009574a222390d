/**
 * @file What `stripes-gan inspect` does once it runs (inspect.ts registers the command and loads
 * this file only then): every tensor in a checkpoint, read with stripes' safe unpickler.
 *
 * Names are the tensors' paths (`state_dict.model.1.weight` inside nested checkpoints); dtypes
 * are PyTorch's (`float32`, `float16`, `int64`, …). Statistics come from the stored values at
 * full precision: int64 exactly (BigInt), floats summed in double. Integers beyond 2^53 appear
 * in the JSON as exact integer literals; NaN and ±infinity as the strings "nan", "inf", "-inf".
 */
import { basename } from "node:path";
import * as torch from "../torch";

const MAX_VISITS = 1_000_000;

export interface TensorStats {
  dtype: string;
  shape: number[];
  /** null for an empty tensor. */
  min: number | bigint | null;
  max: number | bigint | null;
  mean: number | null;
  sum: number | bigint;
}

/** Every tensor in the checkpoint, by path, in file order. */
export function inspect(file: string): Map<string, TensorStats> {
  const out = new Map<string, TensorStats>();
  // A tensor stored under two names is listed under both, like PyTorch's state dicts do;
  // only a container inside itself is skipped.
  const open = new Set<unknown>();
  let visits = 0;
  const visit = (x: unknown, path: string) => {
    if (typeof x !== "object" || x === null || open.has(x)) return;
    // Sharing can make a small pickle name one tensor 2^50 ways ([x, x] nested 50 deep).
    if (++visits > MAX_VISITS) throw new torch.CheckpointError(basename(file), `more than ${MAX_VISITS} objects to list`);
    const child = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
    if (torch.isRawTensor(x)) return void out.set(path || "(root)", statsOf(x));
    open.add(x);
    if (x instanceof Map) for (const [k, v] of x) visit(v, child(k));
    else if (Array.isArray(x)) x.forEach((v, i) => visit(v, child(i)));
    open.delete(x);
  };
  visit(torch.loadRaw(file), "");
  return out;
}

export function statsOf(t: torch.RawTensor): TensorStats {
  const n = t.values.length;
  const base = { dtype: t.dtype, shape: t.shape };
  if (t.values instanceof BigInt64Array) {
    let sum = 0n;
    let min: bigint | null = null;
    let max: bigint | null = null;
    for (const v of t.values) {
      sum += v;
      if (min === null || v < min) min = v;
      if (max === null || v > max) max = v;
    }
    return { ...base, min, max, mean: n ? Number(sum) / n : null, sum };
  }
  const values = t.values as ArrayLike<number>;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) nan = true;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { ...base, min: null, max: null, mean: null, sum: 0 };
  // Like torch.min/max: any NaN makes them NaN.
  return { ...base, min: nan ? NaN : min, max: nan ? NaN : max, mean: sum / n, sum };
}

/** A JSON number (exact for BigInt), or the string PyTorch prints for NaN and infinities. */
function jsonNumber(v: number | bigint | null): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return v.toString();
  if (Number.isNaN(v)) return '"nan"';
  if (!Number.isFinite(v)) return v > 0 ? '"inf"' : '"-inf"';
  return JSON.stringify(v);
}

export function toJson(stats: Map<string, TensorStats>): string {
  const entries = [...stats].map(([name, s]) => {
    const fields = [
      `"dtype": ${JSON.stringify(s.dtype)}`, `"shape": ${JSON.stringify(s.shape)}`,
      `"min": ${jsonNumber(s.min)}`, `"max": ${jsonNumber(s.max)}`, `"mean": ${jsonNumber(s.mean)}`, `"sum": ${jsonNumber(s.sum)}`,
    ];
    return `  ${JSON.stringify(name)}: { ${fields.join(", ")} }`;
  });
  return entries.length ? `{\n${entries.join(",\n")}\n}` : "{}";
}

function show(v: number | bigint | null): string {
  if (v === null) return "-";
  if (typeof v === "bigint" || Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(6)).toString();
}

export function toLines(stats: Map<string, TensorStats>): string {
  const rows = [...stats].map(([name, s]) => [name, s.dtype, `[${s.shape.join(", ")}]`, `min ${show(s.min)}`, `max ${show(s.max)}`, `mean ${show(s.mean)}`]);
  const widths = [0, 1, 2].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join("  ").trimEnd() + "\n").join("");
}
