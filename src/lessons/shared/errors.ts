/**
 * @file The lessons' error for a learner's bad setting or a bad argument to their helpers (a point
 * list that is not [x, y] pairs, a noise dimension below 2). check() never throws; a lesson's own
 * mistake there (an unknown exercise id) is an ExerciseError.
 */
import { StripesError } from "../../errors";

export class LessonError extends StripesError {}
