/** @file The lessons' error for a learner's bad setting (a point list that is not [x, y] pairs, a noise dimension below 2). */
import { StripesError } from "../errors";

export class LessonError extends StripesError {}
