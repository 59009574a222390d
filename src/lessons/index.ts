/**
 * @file The `lessons` namespace of "stripes": what the notebooks of lessons 02 (the GAN game) and
 * 03 (a tiny CycleGAN) use, and every lesson's `check(id, answer)`. Each lesson's folder says in
 * its index what it gives; lessons/shared/ holds what more than one lesson uses.
 */
export { check, answerOr, exercise } from "./check";
export { LessonError, ExerciseError, lessonSettings, type LessonSettings } from "./shared";
// "/index" spelled out: a dist/ built before the lessons had folders still holds lessons/ganGame.js,
// which Node would pick over the folder ganGame/.
export * from "./ganGame/index";
export * from "./tinyCycleGan/index";
