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
import { joinLines, type Notebook } from "./nbformat";

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
