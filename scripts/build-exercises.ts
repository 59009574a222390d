/**
 * Writes the exercise version of every lesson notebook that has solutions:
 * notebooks/NN-name.ipynb → exercises/NN-name.ipynb (solutions replaced by placeholders,
 * outputs cleared; see src/lessons/exerciseVersion.ts). The solution versions stay the source.
 *
 *   npx ts-node scripts/build-exercises.ts [OUT_DIR]     # default: exercises/
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exerciseNotebook, hasSolutions } from "../src/lessons/exerciseVersion";

const root = join(__dirname, "..");
const outDir = process.argv[2] ?? join(root, "exercises");
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()) {
  const notebook = JSON.parse(readFileSync(join(root, "notebooks", name), "utf8"));
  const sources = notebook.cells.map((c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  if (!sources.some(hasSolutions)) continue;
  const target = join(outDir, name);
  writeFileSync(`${target}.tmp`, JSON.stringify(exerciseNotebook(notebook), null, 1) + "\n");
  renameSync(`${target}.tmp`, target);
  console.log(`${join("notebooks", name)} → ${target}`);
}
