/**
 * @file Puts an interrupt check at the top of every loop body of a cell's compiled JavaScript:
 * `for`, `while`, `do`, `for…of`, `for…in`, at the top level and inside the functions the cell
 * defines (so a function from an earlier cell, called later, checks as well). The check
 * (interruptFlag.ts) throws KeyboardInterrupt when Stop targets the running cell; it is what ends
 * a synchronous loop that runs after an `await`, where nothing else can.
 *
 * TypeScript's parser finds the loops; the calls go in as point insertions into the text rather
 * than through a printer, so every emitted line stays where it was and the line map that turns
 * stack frames into cell lines (interpreter.ts) keeps working. Inserted text has no newlines.
 *
 * No Node imports here (and `typescript` is taken as a parameter, its types only): the
 * in-browser kernel is to guard its cells the same way.
 */
import type * as TS from "typescript";

/** The global the inserted calls name. */
export const CHECK = "__stripesInterruptCheck";

/** `js` with `CHECK();` as the first statement of each loop body (a lone statement gets braces). */
export function guardLoops(ts: typeof TS, js: string): string {
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const call = `${CHECK}();`;
  const inserts: [number, string][] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIterationStatement(node, false)) {
      const body = node.statement;
      if (ts.isBlock(body)) inserts.push([body.getStart(file) + 1, ` ${call}`]);
      else inserts.push([body.getStart(file), `{ ${call} `], [body.getEnd(), " }"]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (inserts.length === 0) return js;
  // Applied from the end, so earlier positions stay valid.
  let out = js;
  for (const [at, text] of inserts.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
