/** @file What an exercise is, for src/lessons/check.ts and the lesson files beside this one. */

/** Returned by a judge when the answer is the exercise version's placeholder. */
export const NOT_ANSWERED = Symbol("not answered");

export interface Verdict {
  ok: boolean;
  /** Why it is right, or what is wrong and why. */
  message: string;
}

export interface Exercise {
  /** `<lesson>-<name>`, e.g. `02-optimal-d`. */
  id: string;
  /** What the learner is asked, in one line. */
  question: string;
  /** A hint printed while the answer is missing. */
  hint: string;
  /** Judges an answer; NOT_ANSWERED when it is a placeholder. */
  judge(answer: unknown): Verdict | typeof NOT_ANSWERED;
}
