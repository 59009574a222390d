/**
 * @file Building blocks for judging answers: numbers, shapes, and functions run on test cases
 * (PyTorch's, from data/exercises/cases.json, or test tensors with a reference) and compared with
 * the right output and then with known mistakes.
 *
 * The rule for every message of a wrong answer: say what is wrong and in which direction to look,
 * never the answer (no right value, no right formula). The "why" of a right answer may say it.
 */
import * as tf from "@tensorflow/tfjs-core";
import { firstLine } from "../../errors";
import { NOT_ANSWERED, type Verdict } from "./exercise";
import { torchCases, type InputJson, type OutputJson, type TensorJson } from "./torchCases";

export const right = (message: string): Verdict => ({ ok: true, message });
/** A wrong answer whose mistake is known: `message` says what it is. */
export const wrong = (message: string): Verdict => ({ ok: false, message });
/** A wrong answer that matches no known mistake: check() adds the exercise's hint. */
export const unknownWrong = (message: string): Verdict => ({ ok: false, message, unknown: true });

/** A number, compared with `expected` and then with known wrong values and their reasons. */
export function judgeNumber(answer: unknown, expected: number, why: string, mistakes: [number, string][], tol = 1e-3): Verdict {
  if (typeof answer !== "number" || !Number.isFinite(answer)) return wrong(`expected a number, but got ${describe(answer)}`);
  const near = (a: number, b: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
  if (near(answer, expected)) return right(why);
  for (const [value, reason] of mistakes) if (near(answer, value)) return wrong(`${answer} is not it: ${reason}`);
  return unknownWrong(`${answer} is not it.`);
}

/** A shape such as [1, 3, 32, 32], compared with known wrong shapes and their reasons. */
export function judgeShape(answer: unknown, expected: number[], why: string, mistakes: [number[], string][]): Verdict {
  const same = (a: unknown, b: number[]) => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
  if (!Array.isArray(answer) || !answer.every((v) => Number.isInteger(v))) return wrong(`expected a shape (an array of integers), but got ${describe(answer)}`);
  if (same(answer, expected)) return right(why);
  // The learner's own shape is not echoed: it can contain the right one ([1, …] around it).
  for (const [shape, reason] of mistakes) if (same(answer, shape)) return wrong(`that shape is not it: ${reason}`);
  return unknownWrong(`that shape is not it.`);
}

/** What a value is, in a few words, for "expected X, but got …". */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(", ")}]`;
  if (value instanceof Promise) return "a Promise (write the function without async/await)";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + "…" : value)}`;
  if (typeof value === "number") return String(value);
  return typeof value;
}

/** A value as a flat array and a shape (a number has shape []), or undefined when it is neither. */
function valueOf(out: unknown): { shape: number[]; data: ArrayLike<number> } | undefined {
  if (out instanceof tf.Tensor) return { shape: out.shape, data: out.dataSync() as ArrayLike<number> };
  if (typeof out === "number") return { shape: [], data: [out] };
  return undefined;
}

function asJson(o: OutputJson): TensorJson {
  return typeof o === "number" ? { shape: [], data: [o] } : o;
}

function close(got: { shape: number[]; data: ArrayLike<number> }, want: TensorJson, tol: number): boolean {
  if (got.shape.length !== want.shape.length || got.shape.some((n, i) => n !== want.shape[i])) return false;
  for (let i = 0; i < want.data.length; i++) {
    const [a, b] = [got.data[i], want.data[i]];
    if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) return false;
  }
  return true;
}

function input(json: InputJson): unknown {
  // A Map in file order, as torch.load gives the lesson: the learner's function must work on that.
  if ("stateDict" in json) return new Map(Object.entries(json.stateDict).map(([k, shape]) => [k, tf.zeros(shape)]));
  return tf.tensor(json.data, json.shape);
}

/** What the learner's function threw, for "your function threw: …": its first line, kept short. */
const thrown = (err: unknown) => firstLine(err).slice(0, 200);

export interface CaseOptions {
  /** What the function must return: a tensor (default) or a plain number. */
  returns?: "tensor" | "number";
  tol?: number;
}

/**
 * Runs the learner's function on PyTorch's cases for exercise `id` (data/exercises/cases.json)
 * and names the first mistake it matches; `mistakes` gives the words for each of the fixture's
 * mistake names. A function that returns undefined has not been written yet.
 */
export function judgeOnTorchCases(answer: unknown, id: string, why: string, mistakes: Record<string, string>, { returns = "tensor", tol = 1e-4 }: CaseOptions = {}): Verdict | typeof NOT_ANSWERED {
  if (typeof answer !== "function") return wrong(`expected a function, but got ${describe(answer)}`);
  for (const [k, c] of torchCases(id).entries()) {
    // A scope instead of tf.tidy, which only returns tensors: everything made here is freed at the end.
    tf.engine().startScope();
    try {
      let out: unknown;
      try {
        out = answer(...c.inputs.map(input));
      } catch (err) {
        return wrong(`your function threw: ${thrown(err)}`);
      }
      if (out === undefined) return NOT_ANSWERED;
      if (returns === "tensor" && typeof out === "number") return wrong("return a tensor (tf's ops give one), not a number: the training step takes gradients through it");
      const got = valueOf(out);
      if (got === undefined || (returns === "number" && typeof out !== "number")) {
        return wrong(`your function should return ${returns === "number" ? "a number" : "a tensor"}, but returned ${describe(out)}`);
      }
      const expected = asJson(c.expected);
      if (close(got, expected, tol)) continue;
      for (const [name, value] of Object.entries(c.mistakes)) if (mistakes[name] !== undefined && close(got, asJson(value), tol)) return wrong(mistakes[name]);
      if (Array.from(got.data).some((v) => !Number.isFinite(v))) return unknownWrong("your function gives NaN or ±∞ on a test case: a log of something ≤ 0?");
      if (got.shape.length !== expected.shape.length || got.shape.some((n, i) => n !== expected.shape[i])) {
        return wrong(`your result has shape [${got.shape.join(", ")}]; it should be ${expected.shape.length === 0 ? "one number (a scalar)" : `of shape [${expected.shape.join(", ")}]`}`);
      }
      return unknownWrong(`your function gives ${got.shape.length === 0 ? Number(got.data[0]).toPrecision(4) : "other values"} on test case ${k + 1}, which matches none of the usual mistakes.`);
    } finally {
      tf.engine().endScope();
    }
  }
  return right(why);
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
  if (typeof answer !== "function") return wrong(`expected a function, but got ${describe(answer)}`);
  tf.engine().startScope();
  try {
    let out: unknown;
    try {
      out = answer(...inputs());
    } catch (err) {
      return wrong(`your function threw: ${thrown(err)}`);
    }
    if (out === undefined) return NOT_ANSWERED;
    if (!(out instanceof tf.Tensor)) return wrong(`your function should return a tensor, but returned ${describe(out)}`);
    const expected = reference(...inputs());
    if (scalar && out.rank !== 0) return wrong(`return one number (a scalar tensor), but yours has shape [${out.shape.join(", ")}]: reduce over the batch`);
    const json = (t: tf.Tensor): TensorJson => ({ shape: t.shape, data: Array.from(t.dataSync()) });
    const got = valueOf(out)!;
    if (close(got, json(expected), tol)) return right(why);
    for (const [mistake, reason] of mistakes) if (close(got, json(mistake(...inputs())), tol)) return wrong(reason);
    if (Array.from(got.data).some((v) => !Number.isFinite(v))) return unknownWrong("your function gives NaN or ±∞ on the test case: a log of something ≤ 0?");
    if (out.shape.join(",") !== expected.shape.join(",")) {
      return wrong(`your result has shape [${out.shape.join(", ")}]; it should be of shape [${expected.shape.join(", ")}]`);
    }
    return unknownWrong(`your function gives ${out.rank === 0 ? out.dataSync()[0].toPrecision(4) : "other values"} on the test case, which matches none of the usual mistakes.`);
  } finally {
    tf.engine().endScope();
  }
}

/** Deterministic test tensors (no randomness: the same on every backend and run). */
export function testTensor(shape: number[], phase: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + phase)), shape);
}
