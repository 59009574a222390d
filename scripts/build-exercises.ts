/**
 * Writes the exercise version of every lesson notebook that has solutions:
 * notebooks/NN-name.ipynb → exercises/NN-name.ipynb (solutions replaced by placeholders,
 * outputs cleared; see src/jupyter/exerciseVersion.ts). The solution versions stay the source.
 *
 *   npx ts-node scripts/build-exercises.ts [OUT_DIR]     # default: exercises/
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { exerciseNotebook, hasSolutions } from "../src/jupyter/exerciseVersion";
import { joinLines, readNotebook, writeNotebook } from "../src/jupyter/nbformat";

const root = join(__dirname, "..");
const outDir = process.argv[2] ?? join(root, "exercises");
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()) {
  const notebook = readNotebook(join(root, "notebooks", name));
  if (!notebook.cells.some((c) => hasSolutions(joinLines(c.source)))) continue;
  const target = join(outDir, name);
  writeNotebook(target, exerciseNotebook(notebook));
  console.log(`${join("notebooks", name)} → ${target}`);
}
