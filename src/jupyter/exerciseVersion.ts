/**
 * @file Exercise versions of the lesson notebooks, made from the solution versions (the only
 * ones kept in notebooks/). In a code cell:
 *
 *   const answer = /* BEGIN SOLUTION *\/ 0.6 / (0.6 + 0.2) /* END SOLUTION *\/;
 *       → const answer = undefined /* your answer *\/;
 *
 *   function cycleLoss(…) {
 *     // BEGIN SOLUTION
 *     return …;
 *     // END SOLUTION
 *   }
 *       → the lines between the markers become `return undefined as any; // your code here`
 *
 * `check(id, answer)` reads undefined as "not answered yet" and prints a hint. Outputs and
 * execution counts are cleared, so that the learner's copy shows nothing of the solutions.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { joinLines, readNotebook, writeNotebook, type Notebook } from "./nbformat";

const INLINE = /\/\* BEGIN SOLUTION \*\/[\s\S]*?\/\* END SOLUTION \*\//g;
const BLOCK = /^([ \t]*)\/\/ BEGIN SOLUTION[ \t]*\n[\s\S]*?^[ \t]*\/\/ END SOLUTION[ \t]*$/gm;

/** A cell's source with its solutions replaced by placeholders. */
export function stripSolutions(source: string): string {
  return source.replace(BLOCK, (_, indent: string) => `${indent}return undefined as any; // your code here`).replace(INLINE, "undefined /* your answer */");
}

/** True when a source holds a solution marker (so the notebook has exercises). */
export function hasSolutions(source: string): boolean {
  return source.includes("BEGIN SOLUTION");
}

/** The exercise version of a notebook: solutions stripped, outputs cleared. */
export function exerciseNotebook(notebook: Notebook): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      return { ...cell, source: stripSolutions(joinLines(cell.source)), outputs: [], execution_count: null };
    }),
  };
}

/** The package's root: src/jupyter/ and dist/jupyter/ are both two folders below it. */
const ROOT = join(__dirname, "..", "..");

/**
 * Writes the exercise version of every lesson notebook that has solutions:
 * notebooks/NN-name.ipynb → OUT_DIR/NN-name.ipynb (default exercises/). What `npm install`
 * (prepare) and `npm run exercises` run, so that a learner's copy exists after install.
 */
export function writeExerciseVersions(outDir = join(ROOT, "exercises"), notebooksDir = join(ROOT, "notebooks")): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const notebook = readNotebook(join(notebooksDir, name));
    if (!notebook.cells.some((c) => cellHasSolutions(c.source))) continue;
    const target = join(outDir, name);
    writeNotebook(target, exerciseNotebook(notebook));
    written.push(target);
    console.log(`${relative(process.cwd(), join(notebooksDir, name))} → ${relative(process.cwd(), target)}`);
  }
  return written;
}

const cellHasSolutions = (source: string | string[]) => hasSolutions(joinLines(source));
