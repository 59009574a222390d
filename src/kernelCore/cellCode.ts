/**
 * @file What both kernels (Node's interpreter and the browser worker's runner) do to the
 * JavaScript tslab's converter emits for a cell, before running it: no platform in it.
 */
import type * as TS from "typescript";

/** The converter's first lines, `exports.a = exports.b = void 0;`: one per batch of names. */
const PREAMBLE = /^(?:exports\.[\w$]+ = )+void 0;$/gm;

/**
 * Takes the converter's preamble out of `output` (it would reset names a failing cell keeps) and
 * returns the rest with the names it declared: the cell's top-level names as they run.
 */
export function withoutPreamble(output: string): { js: string; runtimeNames: Set<string> } {
  const runtimeNames = new Set<string>();
  const js = output.replace(PREAMBLE, (line) => {
    for (const m of line.matchAll(/exports\.([\w$]+) =/g)) runtimeNames.add(m[1]);
    return "";
  });
  return { js, runtimeNames };
}

/**
 * Wraps every `await X` of `js` as `await guard(X)`, the kernel's function that throws once the
 * run is interrupted, so an interrupted cell's later awaits end it. Point insertions, applied from
 * the end, so nested awaits (`await f(await g())`) nest and no line moves.
 */
export function guardAwaits(ts: typeof TS, js: string, guard: string): string {
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const inserts: [number, string][] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isAwaitExpression(node)) inserts.push([node.expression.getStart(file), `${guard}(`], [node.expression.getEnd(), ")"]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = js;
  for (const [at, text] of inserts.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
