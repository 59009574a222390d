/**
 * @file Building blocks for judging answers: numbers, shapes, and loss functions run on test
 * tensors and compared with the right one and with known mistakes.
 */
import * as tf from "@tensorflow/tfjs";
import { NOT_ANSWERED, type Verdict } from "./types";

export const right = (message: string): Verdict => ({ ok: true, message });
export const wrong = (message: string): Verdict => ({ ok: false, message });

/** A number, compared with `expected` and then with known wrong values and their reasons. */
export function judgeNumber(answer: unknown, expected: number, why: string, mistakes: [number, string][], tol = 1e-3): Verdict {
  if (typeof answer !== "number" || !Number.isFinite(answer)) return wrong(`expected a number, but got ${String(answer)}`);
  if (Math.abs(answer - expected) <= tol * Math.max(1, Math.abs(expected))) return right(why);
  for (const [value, reason] of mistakes) {
    if (Math.abs(answer - value) <= tol * Math.max(1, Math.abs(value))) return wrong(`${answer} is not it: ${reason}`);
  }
  return wrong(`${answer} is not it. ${why}`);
}

/** A shape such as [1, 3, 32, 32], compared with known wrong shapes and their reasons. */
export function judgeShape(answer: unknown, expected: number[], why: string, mistakes: [number[], string][]): Verdict {
  const same = (a: unknown, b: number[]) => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
  if (!Array.isArray(answer) || !answer.every((v) => Number.isInteger(v))) return wrong(`expected a shape (an array of integers), but got ${JSON.stringify(answer)}`);
  if (same(answer, expected)) return right(why);
  for (const [shape, reason] of mistakes) if (same(answer, shape)) return wrong(`[${answer.join(", ")}] is not it: ${reason}`);
  return wrong(`[${answer.join(", ")}] is not it. ${why}`);
}

/**
 * A function of tensors, run on `inputs` (made fresh for each run) and compared with `reference`,
 * then with known mistakes. A function that returns undefined has not been written yet.
 */
export function judgeTensorFunction(
  answer: unknown,
  inputs: () => tf.Tensor[],
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
  why: string,
  mistakes: [(...xs: tf.Tensor[]) => tf.Tensor, string][],
  { scalar = true, tol = 1e-4 } = {},
): Verdict | typeof NOT_ANSWERED {
  if (typeof answer !== "function") return wrong(`expected a function, but got ${typeof answer}`);
  // A scope instead of tf.tidy, which only returns tensors: everything made here is freed at the end.
  tf.engine().startScope();
  try {
    let out: unknown;
    try {
      out = answer(...inputs());
    } catch (err) {
      return wrong(`your function threw: ${(err as Error).message}`);
    }
    if (out === undefined) return NOT_ANSWERED;
    if (!(out instanceof tf.Tensor)) return wrong(`your function should return a tensor, but returned ${typeof out}`);
    const expected = reference(...inputs());
    if (scalar && out.rank !== 0) return wrong(`return one number (a scalar tensor), but yours has shape [${out.shape.join(", ")}]: take the mean over the batch`);
    const close = (a: tf.Tensor, b: tf.Tensor) =>
      a.size === b.size && tf.max(tf.abs(tf.sub(tf.reshape(a, [-1]), tf.reshape(b, [-1])))).dataSync()[0] <= tol * Math.max(1, tf.max(tf.abs(b)).dataSync()[0]);
    if (close(out, expected)) return right(why);
    for (const [mistake, reason] of mistakes) if (close(out, mistake(...inputs()))) return wrong(reason);
    return wrong(`your function gives ${out.rank === 0 ? out.dataSync()[0].toFixed(4) : `values of shape [${out.shape}]`} where the answer is ${expected.rank === 0 ? expected.dataSync()[0].toFixed(4) : `[${expected.shape}]`}. ${why}`);
  } finally {
    tf.engine().endScope();
  }
}

/** Deterministic test tensors (no randomness: the same on every backend and run). */
export function testTensor(shape: number[], phase: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + phase)), shape);
}
