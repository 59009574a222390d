/** @file The lessons' error class for a bad argument to their helpers (check()'s wrong answers are ExerciseError). */
import { StripesError } from "../errors";

export class LessonError extends StripesError {}
