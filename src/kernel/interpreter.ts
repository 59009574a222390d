/**
 * @file The interpreter: compiles a TypeScript cell with tslab's converter (tslab/dist/converter:
 * type-checks the cell against the earlier cells' declarations and emits CommonJS) and runs it in
 * this process, one shared scope for all cells.
 *
 * It follows tslab's executor (tslab/dist/executor) — the converted code runs as
 * `(function (exports, require) {…})` under `vm.runInThisContext` with `breakOnSigint`, the
 * cells' names live on one `exports` object, `require("tslab")` is tslab's own module — and
 * differs where the protocol needs it:
 * - errors are returned as Jupyter error content (cellError.ts), not printed;
 * - a failing cell keeps what it declared before the failing statement (keptNames.ts). For that
 *   the converter's `exports.a = exports.b = void 0;` preamble is removed (it would clobber an
 *   earlier cell's `a` even when the statement defining the new one never runs), and every
 *   write into the shared scope is recorded;
 * - an interrupt ends an awaiting cell at once, and its later `await`s throw (a loop with
 *   `await tf.nextFrame()` stops instead of running on in the background);
 * - every loop of the cell checks the shared interrupt flag (loopGuard.ts, interruptFlag.ts), so a
 *   synchronous loop after an `await`, which neither breakOnSigint nor a listener can reach, ends;
 * - the cell's last value is returned for execute_result instead of being `console.log`-ed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import Module from "node:module";
import * as path from "node:path";
import { inspect } from "node:util";
import * as vm from "node:vm";
import { compileContent, interruptContent, KeyboardInterrupt, thrownContent, type ErrorContent } from "../kernelCore/cellError";
import type { CellRunner, RunResult } from "../kernelCore/cellRunner";
import { keptDeclarations } from "../kernelCore/keptNames";
import { freeUnheld } from "../kernelCore/memoryGuard";
import { InterruptFlag, newInterruptCells } from "../kernelCore/interruptFlag";
import { guardAwaits, withoutPreamble } from "../kernelCore/cellCode";
import { CHECK, guardLoops } from "../kernelCore/loopGuard";
import { setSlot } from "../notebook/slots";
import { aliasEntry, forwardAliasInTypeScript, isAlias } from "./packageAlias";

// tslab's pieces, typed by its .d.ts files.
type ConverterModule = typeof import("tslab/dist/converter");
type Converter = import("tslab/dist/converter").Converter;

export type { RunResult };

/** Where tslab lives: the one whose converter compiles and whose `display` the cells import. */
export function tslabDir(): string {
  return path.dirname(require.resolve("tslab/package.json"));
}

const GUARD = "__stripes_await__";

export class Interpreter implements CellRunner {
  private readonly ts: typeof import("typescript");
  private readonly converterModule: ConverterModule;
  private conv: Converter | undefined;
  private readonly js: boolean;
  private readonly metadata: typeof import("tslab/dist/metadata");
  private prevDecl = "";
  /** The shared scope: every cell's top-level names. */
  readonly locals: Record<string, unknown> = {};
  private readonly scope: Record<string, unknown>;
  private written = new Set<string>();
  /** Objects the running cell's writes replaced (a re-run `const out = …`'s previous `out`). */
  private replaced = new Set<object>();
  private readonly cellRequire: NodeJS.Require;
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private interruptNow: (() => void) | undefined;
  /**
   * One per run of a cell, and carried by everything that run starts (AsyncLocalStorage): an
   * interrupted run's background work stops at its next await, while a function it defined,
   * called again from a later cell, runs under that later cell's token.
   */
  private token = { interrupted: false };
  private readonly runs = new AsyncLocalStorage<{ interrupted: boolean }>();
  private cellNumber = 0;
  /** Shared with the socket thread, which sets it on Stop; read by every loop of the cells. */
  private readonly flag: InterruptFlag;
  private runNumber = 0;
  /** Per cell file name: emitted line (1-based) → the cell's line; 0 for the kernel's wrapper. */
  private readonly lineMaps = new Map<string, number[]>();

  constructor(
    readonly rootDir: string,
    options: { js?: boolean; interruptCells?: Int32Array } = {},
  ) {
    const dir = tslabDir();
    this.converterModule = require(path.join(dir, "dist", "converter"));
    this.metadata = require(path.join(dir, "dist", "metadata"));
    this.ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [dir] }));
    forwardAliasInTypeScript(this.ts.sys as any, this.ts.sys.getCurrentDirectory());
    this.js = options.js ?? false;
    const locals = this.locals;
    this.scope = new Proxy(locals, {
      // TypeScript emits named imports as defineProperty with a getter; store the value so a
      // later cell may reassign the name (as tslab does), and note the write.
      defineProperty: (_t, prop, attrs) => {
        if (prop === "__esModule") return true;
        if (typeof prop === "string") this.written.add(prop);
        const old = (locals as any)[prop];
        const value = attrs.get ? attrs.get() : attrs.value;
        if (typeof old === "object" && old !== null && old !== value) this.replaced.add(old);
        (locals as any)[prop] = value;
        return true;
      },
    });
    this.cellRequire = this.wrapRequire(Module.createRequire(path.join(rootDir, "src.js")), rootDir);
    (globalThis as any).__tslab__ = { exports: this.scope, require: this.cellRequire };
    (globalThis as any)[GUARD] = (v: unknown) => this.guardAwait(v);
    this.flag = new InterruptFlag(options.interruptCells ?? newInterruptCells(), () => new KeyboardInterrupt());
    (globalThis as any)[CHECK] = this.flag.check;
    setSlot("kernelNames", () => this.locals); // memory() reports which names hold tensors
  }

  /**
   * Frees what a garbage collector would after a cell: tensors the cell's writes replaced, and
   * `value` (the displayed last value), unless a name still holds them. Returns how many.
   */
  freeUnheld(value?: unknown): number {
    const candidates: unknown[] = [...this.replaced];
    this.replaced = new Set();
    if (value !== undefined) candidates.push(value);
    return freeUnheld(candidates, this.locals);
  }

  /**
   * tslab's converter (the TypeScript compiler with its watch program): made on first use, as it
   * takes seconds; `warm()` makes it early without holding up the kernel's first replies.
   */
  private get converter(): Converter {
    this.conv ??= this.converterModule.createConverter({ isJS: this.js, isBrowser: false });
    return this.conv;
  }

  warm(): void {
    void this.converter;
  }

  get typescriptVersion(): string {
    return this.ts.version;
  }

  /** `require` for cells: "tslab" is tslab's own module, the learner's .ts files come compiled. */
  private wrapRequire(req: NodeJS.Require, dirname: string): NodeJS.Require {
    const fromSide = (id: string): unknown => {
      let file = path.join(dirname, id);
      if (path.extname(file) === "") file += ".js";
      const cached = this.sideModules.get(file);
      if (cached) return cached.exports;
      const code = this.sideOutputs.get(file);
      if (code === undefined) return undefined;
      const mod = new Module(file, module);
      mod.filename = file;
      mod.paths = (Module as any)._nodeModulePaths(path.dirname(file));
      (mod as any).require = this.wrapRequire(mod.require as NodeJS.Require, path.dirname(file));
      (mod as any)._compile(code, file);
      this.sideModules.set(file, mod);
      return mod.exports;
    };
    const tslab = path.join(tslabDir(), "dist", "public.js");
    return new Proxy(req, {
      apply: (_t, thisArg, args: [string]) => {
        if (args.length !== 1) return Reflect.apply(req, thisArg, args);
        if (args[0] === "tslab") return require(tslab);
        if (isAlias(args[0])) return require(aliasEntry());
        if (args[0].startsWith(".")) {
          const side = fromSide(args[0]);
          if (side !== undefined) return side;
        }
        return Reflect.apply(req, thisArg, args);
      },
    });
  }

  /** Frames worth showing: the cells', and the learner's own files under rootDir. */
  private isLearnerFrame = (line: string): boolean => {
    if (/\(<cell \d+>:|at <cell \d+>:/.test(line)) return true;
    const file = /\(?((?:\/|[A-Za-z]:\\)[^:()]+):\d+:\d+\)?$/.exec(line)?.[1];
    return file !== undefined && this.sideOutputs.has(file);
  };

  /** `at f (<cell 3>:12:5)` → `at f (cell 3, line 4)`; the wrapper's own frame is dropped. */
  private rewriteFrame = (line: string): string | undefined => {
    const m = /<cell (\d+)>:(\d+):\d+/.exec(line);
    if (!m) return line;
    const cellLine = this.lineMaps.get(`<cell ${m[1]}>`)?.[Number(m[2])];
    if (!cellLine) return undefined;
    return line.replace(m[0], `cell ${m[1]}, line ${cellLine}`);
  };

  /**
   * A SIGINT arrived: ends the running cell (a synchronous one is ended by SIGINT itself, vm
   * breakOnSigint). A signal meant for a run that is over is ignored (interruptFlag.ts).
   */
  interrupt(): void {
    if (!this.flag.fromSignal()) return;
    this.token.interrupted = true;
    this.interruptNow?.();
  }

  private async guardAwait(value: unknown): Promise<unknown> {
    const run = this.runs.getStore();
    if (run?.interrupted) throw new KeyboardInterrupt();
    const result = await value;
    if (run?.interrupted) throw new KeyboardInterrupt();
    return result;
  }

  async execute(src: string): Promise<RunResult> {
    this.flag.begin(++this.runNumber);
    try {
      return await this.run(src);
    } finally {
      this.flag.end();
      // A SIGINT sent during the run whose listener has not run yet (a loop kept the event loop
      // from it) is handled now, while no run is marked: it must not end the next cell.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async run(src: string): Promise<RunResult> {
    const token = (this.token = { interrupted: false });
    const meta = this.metadata.getCodeMetadata(src);
    if (meta.module) {
      const diagnostics = this.converter.addModule(meta.module, src, meta);
      if (diagnostics.length > 0) return { status: "error", error: compileContent(diagnostics.map(flat), src) };
      return { status: "ok", hasValue: false };
    }
    const converted = this.converter.convert(this.prevDecl, src);
    for (const side of converted.sideOutputs ?? []) {
      this.sideModules.delete(side.path);
      this.sideOutputs.set(side.path, guardLoops(this.ts, side.data));
    }
    if (converted.diagnostics.length > 0) {
      return { status: "error", error: compileContent(converted.diagnostics.map(flat), src) };
    }
    // An interrupt that came while the compiler ran (seconds, on a loaded machine) reaches the
    // SIGINT listener only in the event loop's next poll phase; let one pass before running, or a
    // synchronous loop would start with the signal already spent. (Two immediates: this code runs
    // from a poll-phase callback, so the first one runs before any new poll.)
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    if (token.interrupted || this.flag.isSet()) return { status: "error", error: interruptContent() };
    const declOutput = converted.declOutput ?? "";
    if (!converted.output) {
      this.prevDecl = declOutput;
      return { status: "ok", hasValue: false };
    }
    const { runtimeNames, js: body } = withoutPreamble(converted.output);
    let js = converted.hasToplevelAwait ? guardAwaits(this.ts, body, GUARD) : body;
    // The line map reads the code before the loop checks go in: they change no line's place, but
    // a guarded line no longer matches the cell's text.
    const lines = lineMap(js, src);
    js = guardLoops(this.ts, js);
    const lastVar = converted.lastExpressionVar;
    if (lastVar) runtimeNames.delete(lastVar);
    this.written = new Set();
    this.replaced = new Set();
    const filename = `<cell ${++this.cellNumber}>`;
    const wrapped =
      (converted.hasToplevelAwait ? "(async function (exports, require) { " : "(function (exports, require) { ") +
      js +
      "\n})(__tslab__.exports, __tslab__.require)";
    this.lineMaps.set(filename, lines);
    let error: ErrorContent | undefined;
    try {
      const ret = this.runs.run(token, () => vm.runInThisContext(wrapped, { filename, breakOnSigint: true }));
      if (converted.hasToplevelAwait) {
        await new Promise<void>((resolve, reject) => {
          this.interruptNow = () => reject(new KeyboardInterrupt());
          if (token.interrupted) this.interruptNow();
          (ret as Promise<void>).then(resolve, reject);
        });
      }
    } catch (err) {
      error = thrownContent(err, this.isLearnerFrame, this.rewriteFrame, inspect);
    } finally {
      this.interruptNow = undefined;
    }
    if (error) {
      this.prevDecl = keptDeclarations(this.ts as any, this.prevDecl, declOutput, runtimeNames, this.written);
      if (lastVar) delete this.locals[lastVar];
      return { status: "error", error };
    }
    this.prevDecl = declOutput;
    if (lastVar && lastVar in this.locals) {
      const value = this.locals[lastVar];
      delete this.locals[lastVar];
      return { status: "ok", value, hasValue: value !== undefined && value !== null };
    }
    return { status: "ok", hasValue: false };
  }

  isComplete(code: string): { status: "complete" | "incomplete"; indent?: string } {
    const r = this.converterModule.isCompleteCode(code);
    return r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" };
  }

  complete(code: string, cursor: number): { cursor_start: number; cursor_end: number; matches: string[] } {
    const info = this.converter.complete(this.prevDecl, code, cursor);
    return { cursor_start: info.start, cursor_end: info.end, matches: info.candidates };
  }

  /** Hover text for the name at `cursor`, or undefined. */
  inspect(code: string, cursor: number): string | undefined {
    const info = this.converter.inspect(this.prevDecl, code, cursor);
    if (!info) return undefined;
    const { printQuickInfo } = require(path.join(tslabDir(), "dist", "inspect"));
    return printQuickInfo(info);
  }

  /** Forgets every cell (a restart without a new process is not used by Jupyter; tests use it). */
  reset(): void {
    this.prevDecl = "";
    for (const k of Object.keys(this.locals)) delete this.locals[k];
  }

  close(): void {
    this.conv?.close();
  }
}

/**
 * Which cell line each emitted line came from. The converter keeps statements in order and
 * mostly verbatim (types stripped, `exports.x = x;` added), so a monotone match of trimmed lines
 * (or of their first two words, for lines that lost a type annotation) finds them; an added line
 * counts as the line before it. Index 0 and the line after the last are the wrapper's (0).
 */
export function lineMap(js: string, src: string): number[] {
  const norm = (l: string) => l.trim().replace(/;$/, "");
  const head = (l: string) => norm(l).split(/[\s:=(]+/).slice(0, 2).join(" ");
  const srcLines = src.split("\n");
  const map = [0];
  let next = 0; // first source line not matched yet
  let last = 1;
  for (const line of js.split("\n")) {
    const n = norm(line);
    let found = -1;
    if (n !== "") {
      for (let i = next; i < Math.min(srcLines.length, next + 50); i++) {
        if (norm(srcLines[i]) === n) {
          found = i;
          break;
        }
      }
      if (found < 0 && next < srcLines.length && head(srcLines[next]) === head(line) && head(line) !== "") found = next;
    }
    if (found >= 0) {
      last = found + 1;
      next = found + 1;
    }
    map.push(last);
  }
  map.push(0); // the wrapper's closing line, where the cell function is called
  return map;
}

function flat(d: { start: { line: number; character: number }; messageText: string; fileName?: string }) {
  return { line: d.start.line, character: d.start.character, messageText: d.messageText, fileName: d.fileName };
}
