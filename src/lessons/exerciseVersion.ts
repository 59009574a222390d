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

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** The exercise version of a notebook (nbformat 4 JSON): solutions stripped, outputs cleared. */
export function exerciseNotebook(notebook: { cells: Cell[]; [key: string]: unknown }): { cells: Cell[]; [key: string]: unknown } {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      return { ...cell, source: stripSolutions(source), outputs: [], execution_count: null };
    }),
  };
}
