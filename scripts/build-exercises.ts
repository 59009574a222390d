/**
 * Writes the exercise version of every lesson notebook that has solutions:
 * notebooks/NN-name.ipynb → exercises/NN-name.ipynb (solutions replaced by placeholders,
 * outputs cleared; see src/jupyter/exerciseVersion.ts). The solution versions stay the source.
 * `npm install` (prepare) and `npm run exercises` do the same from the built dist/.
 *
 *   npx ts-node scripts/build-exercises.ts [OUT_DIR]     # default: exercises/
 */
import { writeExerciseVersions } from "../src/jupyter/exerciseVersion";

writeExerciseVersions(process.argv[2]);
