/**
 * @file The exercises' `check(id, answer)`: says whether an answer is right, and why not.
 *
 * - A right answer prints "✓ …".
 * - A missing answer (`undefined`, or a function that returns undefined: the exercise version
 *   of a notebook, scripts/build-exercises.ts) prints a hint, so that a learner's "Run all" goes on.
 * - A wrong answer throws an ExerciseError whose one-line message says what is wrong and why:
 *   the cell turns red in Jupyter, and `npm test`, which runs the solutions, fails.
 */
import { StripesError } from "../errors";
import { EXERCISES } from "./exercises";
import { NOT_ANSWERED, type Exercise } from "./exercises/types";

export class ExerciseError extends StripesError {}

export function exercise(id: string): Exercise {
  const found = EXERCISES.find((e) => e.id === id);
  if (found === undefined) {
    throw new ExerciseError(`no exercise '${id}' (there are: ${EXERCISES.map((e) => e.id).join(", ")})`);
  }
  return found;
}

/** Checks `answer` for exercise `id`; see the file comment for what it prints and throws. */
export function check(id: string, answer: unknown): void {
  const ex = exercise(id);
  const verdict = answer === undefined ? NOT_ANSWERED : ex.judge(answer);
  if (verdict === NOT_ANSWERED) {
    console.log(`… ${id}: not answered yet. ${ex.question} Hint: ${ex.hint}`);
    return;
  }
  if (!verdict.ok) throw new ExerciseError(`✗ ${id}: ${verdict.message}`);
  console.log(`✓ ${id}: ${verdict.message}`);
}
