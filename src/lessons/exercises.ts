/**
 * @file Every lesson's exercises, in lesson order: what check() looks an id up in. It sits above
 * the lesson folders because it is the one file that knows all three.
 */
import type { Exercise } from "./shared/exercise";
import { articleExercises } from "./article/exercises";
import { ganGameExercises } from "./ganGame/exercises";
import { tinyCycleGanExercises } from "./tinyCycleGan/exercises";

export const EXERCISES: Exercise[] = [...articleExercises, ...ganGameExercises, ...tinyCycleGanExercises];
