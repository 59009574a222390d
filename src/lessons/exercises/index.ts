/** @file Every lesson's exercises, in lesson order. */
import type { Exercise } from "./types";
import { articleExercises } from "./article";
import { ganGameExercises } from "./ganGame";
import { tinyCycleGanExercises } from "./tinyCycleGan";

export const EXERCISES: Exercise[] = [...articleExercises, ...ganGameExercises, ...tinyCycleGanExercises];
export { NOT_ANSWERED } from "./types";
export type { Exercise, Verdict } from "./types";
