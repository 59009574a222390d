/** The committed notebooks are their sources in notebooks/src/, built, with no outputs: test/helpers/lessonRuns.ts. */
import { notebookTests } from "../helpers/lessonRuns";

notebookTests();
