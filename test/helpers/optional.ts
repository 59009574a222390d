/**
 * @file Tests that need an optional package (onnxruntime-node) are registered with uvu's
 * `.skip` when it does not load (`npm ci --omit=optional`, or an install where its binary
 * fails), so run-tests.js counts them as skipped and each says why, instead of failing.
 */
import type { Test } from "uvu";
import { ortLoadProblem } from "../../src/engine/ortSession";

/** "" when onnxruntime-node loads here, else why not. */
export const ORT_PROBLEM = ortLoadProblem();
export const HAS_ORT = ORT_PROBLEM === "";

const said = new Set<string>();

/** `s(name, fn)`, or `s.skip` with the reason in the name (printed once per suite) when onnxruntime-node is missing. */
export function withOrt<T>(s: Test<T>, name: string, fn: Parameters<Test<T>>[1]): void {
  if (HAS_ORT) return s(name, fn);
  const suiteName = (s as unknown as { name?: string }).name ?? "";
  if (!said.has(suiteName)) {
    said.add(suiteName);
    console.log(`skipped (onnxruntime-node is not available: ${ORT_PROBLEM}): the tests below that need it`);
  }
  s.skip(`${name} [skipped: needs onnxruntime-node]`, fn);
}
