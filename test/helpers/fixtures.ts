/**
 * @file Reading the fixtures that scripts/make-fixtures.py writes with real PyTorch.
 *
 * Convention: an expected array is `<name>.bin` (raw little-endian values) next to an entry in
 * the area's `manifest.json`: `{ "<name>": { "dtype": "float32", "shape": [...] , ...} }`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(__dirname, "..", "fixtures");

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export interface ArrayEntry {
  dtype: "float32" | "float64" | "int32" | "uint8";
  shape: number[];
  [extra: string]: unknown;
}

export function readManifest(area: string): Record<string, any> {
  return JSON.parse(readFileSync(fixturePath(area, "manifest.json"), "utf8"));
}

/** Reads `<area>/<name>.bin` as the typed array its manifest entry names. */
export function readArray(area: string, name: string): { data: Float32Array | Float64Array | Int32Array | Uint8Array; shape: number[] } {
  const entry = readManifest(area)[name] as ArrayEntry;
  if (!entry) throw new Error(`fixture ${area}/${name} is not in the manifest`);
  const buf = readFileSync(fixturePath(area, `${name}.bin`));
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const Ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array }[entry.dtype];
  return { data: new Ctor(bytes), shape: entry.shape };
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
