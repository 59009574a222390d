/**
 * @file What the lessons share that a learner sees: the errors their helpers and check() raise,
 * and lessonSettings() (the other shared files, random numbers and the exercises' judges, are
 * imported directly).
 */
export { LessonError } from "./errors";
export { ExerciseError } from "./exercise";
export { lessonSettings, type LessonSettings } from "./settings";
