/** @file What an exercise is, for src/lessons/check.ts and each lesson's exercises.ts. */
import { StripesError } from "../../errors";

/** A lesson's mistake (an unknown exercise id, missing cases), never a learner's wrong answer. */
export class ExerciseError extends StripesError {}

/** Returned by a judge when the answer is the exercise version's placeholder. */
export const NOT_ANSWERED = Symbol("not answered");

export interface Verdict {
  ok: boolean;
  /**
   * Right: why it is right (the explanation, which may state the answer).
   * Wrong: what is wrong, in words that never state the answer.
   */
  message: string;
  /** Wrong only: true when the answer matched none of the known mistakes (check adds the hint). */
  unknown?: boolean;
}

export interface Exercise {
  /** `<lesson>-<name>`, e.g. `02-d-loss`. */
  id: string;
  /** What the learner is asked, in one line. */
  question: string;
  /** A nudge printed while the answer is missing or matches no known mistake; never the answer. */
  hint: string;
  /** Judges an answer; NOT_ANSWERED when it is a placeholder. Never throws for a learner's answer. */
  judge(answer: unknown): Verdict | typeof NOT_ANSWERED;
  /**
   * The built-in answer, for exercises whose answer later cells use: until the learner's passes,
   * `answerOr` hands the lesson this one, so that a blank or wrong answer breaks nothing.
   */
  solution?: unknown;
}
