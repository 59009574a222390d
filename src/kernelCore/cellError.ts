/**
 * @file How a failing cell is told to the learner: Jupyter's `error` content (ename, evalue,
 * traceback), the traceback cut down to the learner's own code.
 *
 * - A thrown error: `Name: message`, then only the stack frames in the cell (or in the learner's
 *   own .ts files next to the notebook); frames of the kernel, of node_modules and of Node's
 *   internals are dropped.
 * - A StripesError (a user's mistake the library explains): its one line, no frames.
 * - A TypeScript diagnostic: `line:column - message` of the cell, the line, and a caret.
 * - An interrupt: one line, `KeyboardInterrupt: …`, as IPython says it.
 *
 * No Node here: a thrown non-Error is described by the `describe` the runner passes (Node's
 * `util.inspect` in the Node kernel), so a browser worker can shape errors with the same rules.
 */
import { firstLine } from "../errors";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** vm's `breakOnSigint` code for a synchronous run stopped by SIGINT. */
const INTERRUPTED = "ERR_SCRIPT_EXECUTION_INTERRUPTED";

/** Thrown (or raced) when an interrupt ends an awaiting cell. */
export class KeyboardInterrupt extends Error {
  constructor() {
    super("the cell was interrupted");
    this.name = "KeyboardInterrupt";
  }
}

export function interruptContent(): ErrorContent {
  const evalue = "the cell was interrupted";
  return { ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`] };
}

/** True for a StripesError from any copy of the library (its class is found by name). */
function isStripesError(err: unknown): boolean {
  for (let p = Object.getPrototypeOf(err); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === "StripesError") return true;
  }
  return false;
}

/**
 * The error content for something a cell threw. `isLearnerFrame` says whether a stack line
 * points at the learner's code; `rewrite` turns a kept frame into what the learner reads;
 * `describe` writes a thrown value that is not an Error (`throw {code: 1}`).
 */
export function thrownContent(
  err: unknown,
  isLearnerFrame: (line: string) => boolean,
  rewrite: (line: string) => string | undefined = (l) => l,
  describe: (value: unknown) => string = String,
): ErrorContent {
  if (err instanceof KeyboardInterrupt || (err as { code?: unknown } | undefined)?.code === INTERRUPTED) return interruptContent();
  if (!(err instanceof Error)) {
    // `throw "text"` or a thrown object: no stack to show.
    const evalue = typeof err === "string" ? err : describe(err);
    return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = err.name || err.constructor?.name || "Error";
  const evalue = err.message;
  const head = `${ename}: ${evalue}`;
  if (isStripesError(err)) return { ename, evalue, traceback: [firstLine(head)] };
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .filter(isLearnerFrame)
    .map(rewrite)
    .filter((l): l is string => l !== undefined)
    .map((l) => l.replace(/^\s+/, "    "));
  return { ename, evalue, traceback: [head, ...frames] };
}

export interface CellDiagnostic {
  line: number; // 0-based
  character: number; // 0-based
  messageText: string;
  fileName?: string;
}

/** A TypeScript compile error of the cell: evalue `line:col - message` (1-based, as editors count). */
export function compileContent(diagnostics: CellDiagnostic[], source: string): ErrorContent {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.fileName ? d.fileName + " " : ""}${d.line + 1}:${d.character + 1}`;
    traceback.push(`${where} - ${d.messageText}`);
    if (!d.fileName && lines[d.line] !== undefined) {
      traceback.push(`    ${lines[d.line]}`, `    ${" ".repeat(d.character)}^`);
    }
  }
  const first = diagnostics[0];
  const evalue = `${first.fileName ? first.fileName + " " : ""}${first.line + 1}:${first.character + 1} - ${first.messageText}` +
    (diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "");
  return { ename: "TypeScriptError", evalue, traceback };
}
