/**
 * @file A lesson's own code, taken from its source (notebooks/src/*.md) at test time, so a test
 * runs what the learner runs and cannot drift from it: `lessonClasses("01-horse-to-zebra",
 * "generator", ["ResNetGenerator"])` compiles that cell with TypeScript and returns the classes
 * it declares, its `import … from "stripes"` bound to this checkout's src/index.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { buildNotebook } from "../../scripts/build-notebooks";

const SOURCES = join(__dirname, "..", "..", "notebooks", "src");

/** The source of cell `id` of lesson `lesson` (its file name without `.md`). */
export function lessonCell(lesson: string, id: string): string {
  const notebook = buildNotebook(readFileSync(join(SOURCES, `${lesson}.md`), "utf8"), lesson);
  const cell = notebook.cells.find((c) => c.id === id);
  if (cell === undefined) throw new Error(`${lesson}.md has no cell '${id}'`);
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The values the cell's code names `names` (classes, functions), after running the cell. */
export function lessonClasses(lesson: string, id: string, names: string[]): Record<string, any> {
  const js = ts.transpileModule(lessonCell(lesson, id), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  const requireHere = (name: string) => (name === "stripes" ? require("../../src/index") : require(name));
  const run = new Function("require", "exports", `${js}\nreturn { ${names.join(", ")} };`);
  return run(requireHere, {});
}
