/** Lesson 02 on the stripes kernel, as a learner's copy runs it: test/helpers/lessonRuns.ts. */
import { lessonTests } from "../helpers/lessonRuns";

lessonTests(/^02-/);
