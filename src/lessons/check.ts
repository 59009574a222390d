/**
 * @file The exercises' `check(id, answer)`: says in ONE line whether an answer is right, and why not.
 *
 * - right: "✓ id: why it is right";
 * - blank (`undefined`, or a function that returns undefined: the exercise version of a notebook,
 *   scripts/build-exercises.ts): "… id: not answered yet. question Hint: …";
 * - wrong: "✗ id: what is wrong" (plus the hint when it is none of the known mistakes), never
 *   the answer itself.
 *
 * It never throws and prints no stack trace, so that "Run all" goes on and later cells keep
 * working; `answerOr` gives those cells the built-in answer while the learner's is not right.
 * The solution notebooks must print no "✗" (test/helpers/lessonRuns.ts looks).
 */
import * as tf from "@tensorflow/tfjs-core";
import { messageOf, oneLine } from "../errors";
import { EXERCISES } from "./exercises";
import { ExerciseError, NOT_ANSWERED, type Exercise, type Verdict } from "./shared/exercise";

export { ExerciseError };

/** The exercise with this id; an ExerciseError naming the known ids when there is none. */
export function exercise(id: string): Exercise {
  const found = EXERCISES.find((e) => e.id === id);
  if (found === undefined) {
    throw new ExerciseError(`no exercise '${id}' (there are: ${EXERCISES.map((e) => e.id).join(", ")})`);
  }
  return found;
}

export type Outcome = "right" | "wrong" | "not answered";

/** Judges without printing: the outcome and the one line check() would print. */
export function judge(id: string, answer: unknown): { outcome: Outcome; line: string } {
  let ex: Exercise;
  let verdict: Verdict | typeof NOT_ANSWERED;
  try {
    ex = exercise(id);
    verdict = answer === undefined ? NOT_ANSWERED : ex.judge(answer);
  } catch (err) {
    // A lesson's own mistake (unknown id, missing cases) or a bug: still one line, no trace.
    return { outcome: "wrong", line: oneLine(`✗ ${id}: cannot check this answer: ${messageOf(err)}`) };
  }
  if (verdict === NOT_ANSWERED) return { outcome: "not answered", line: oneLine(`… ${id}: not answered yet. ${ex.question} Hint: ${ex.hint}`) };
  if (verdict.ok) return { outcome: "right", line: oneLine(`✓ ${id}: ${verdict.message}`) };
  return { outcome: "wrong", line: oneLine(`✗ ${id}: ${verdict.message}${verdict.unknown ? ` Hint: ${ex.hint}` : ""}`) };
}

/**
 * Checks `answer` for exercise `id` and prints one line (see the file comment). It returns
 * nothing, so a cell that ends with it shows only that line, not a bare true/false that reads like
 * an error to a beginner; `judge` gives the outcome to code that needs it.
 */
export function check(id: string, answer: unknown): void {
  console.log(judge(id, answer).line);
}

/**
 * The learner's answer when it is right, else the exercise's built-in one (and a line saying
 * so), for the cells that use the answer: a blank or wrong answer then breaks nothing.
 */
export function answerOr<T>(id: string, answer: T): T {
  if (judge(id, answer).outcome === "right") return tidied(answer);
  let builtIn: unknown;
  try {
    builtIn = exercise(id).solution;
  } catch {
    return tidied(answer);
  }
  if (builtIn === undefined) return tidied(answer);
  console.log(`(${id} is not solved yet, so the cells below use the built-in one)`);
  return tidied(builtIn as T);
}

/**
 * A synchronous function, run inside tf.tidy: the tensors a learner's one-line answer makes on
 * the way (`tf.add(squeeze(x), 1)` before the `tf.div`) are freed, as PyTorch's garbage collector
 * would; what it returns is kept. Async functions (tidy cannot span an await) and other values
 * are returned as they are.
 */
function tidied<T>(answer: T): T {
  if (typeof answer !== "function" || answer.constructor?.name === "AsyncFunction") return answer;
  const fn = answer as unknown as (...args: unknown[]) => unknown;
  return ((...args: unknown[]) => tf.tidy(() => fn(...args) as tf.TensorContainer)) as unknown as T;
}
