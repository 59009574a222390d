/** @file PyTorch's `_pair`: a layer argument given as `n` or `[h, w]`, as a checked pair. */
import { ModuleError } from "./errors";

export type IntOrPair = number | [number, number];

export function pair(layer: string, name: string, value: IntOrPair, min: number): [number, number] {
  const p: [number, number] = typeof value === "number" ? [value, value] : value;
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= min)) {
    throw new ModuleError(`${layer}: ${name} must be an integer ≥ ${min} or a pair of them, but got ${JSON.stringify(value)}`);
  }
  return p;
}
