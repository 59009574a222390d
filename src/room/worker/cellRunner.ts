/**
 * @file The CellRunner of the kernel in a Web Worker: tslab's converter (the same one the Node
 * kernel uses, src/kernel/interpreter.ts) compiles each cell against the earlier cells'
 * declarations, over an in-memory file system (memorySys.ts), and the emitted CommonJS runs in
 * the worker's own global scope, every cell's top-level names on one shared `exports` object.
 *
 * Same as Node: declarations carry to later cells and are type-checked against them; a failing
 * cell keeps the names it reached (keptNames.ts); the last expression's value comes back for
 * execute_result; errors are shaped by cellError.ts; an interrupt ends an awaiting cell at once
 * and makes its later `await`s throw. Different from Node:
 * - no `vm`: the cell is an indirect `eval` of a function, named `<cell N>` for stack frames;
 * - `require` is a registry of modules the worker provides ("stripes": the library's browser
 *   bundle), not node_modules; the learner's side .ts files are not supported;
 * - the run token travels with the cell's code (each cell's `await`s check the token of the run
 *   that defined them), as workers have no AsyncLocalStorage: a function defined in an
 *   interrupted cell and called from a later one still throws at its awaits;
 * - a synchronous loop is stopped as in Node, by the loop checks kernelCore/loopGuard.ts puts in
 *   and the shared flag kernelCore/interruptFlag.ts reads; but only when the page is cross-origin
 *   isolated (no SharedArrayBuffer otherwise), else the page restarts the worker.
 */
import type * as TS from "typescript";
import { compileContent, interruptContent, KeyboardInterrupt, thrownContent, type ErrorContent } from "../../kernelCore/cellError";
import type { CellRunner, RunResult } from "../../kernelCore/cellRunner";
import { guardAwaits, withoutPreamble } from "../../kernelCore/cellCode";
import { InterruptFlag } from "../../kernelCore/interruptFlag";
import { keptDeclarations } from "../../kernelCore/keptNames";
import { CHECK, guardLoops } from "../../kernelCore/loopGuard";
import { freeUnheld } from "../../kernelCore/memoryGuard";
import { setSlot } from "../../notebook/slots";

type ConverterModule = typeof import("tslab/dist/converter");
type Converter = import("tslab/dist/converter").Converter;

/** tslab's pieces, loaded by the caller once `ts.sys` is the in-memory one (compiler.ts). */
export interface CompilerParts {
  ts: typeof TS;
  converter: ConverterModule;
  metadata: typeof import("tslab/dist/metadata");
  printQuickInfo(info: unknown): string;
}

export interface WorkerRunnerOptions {
  /** Modules cells may import, by specifier ("stripes" → the library). */
  modules?: Record<string, unknown>;
  /**
   * The page's interrupt cells (kernelCore/interruptFlag.ts's `newInterruptCells`, over a
   * SharedArrayBuffer), which the page writes with `requestInterrupt` while this thread is busy
   * and the cells' loop checks read. Only when the page is cross-origin isolated; without them
   * loops are still guarded, against cells of this worker's own that nobody else can set.
   */
  interruptFlag?: Int32Array;
  /** Writes a thrown value that is not an Error. */
  describe?: (value: unknown) => string;
}


type Token = { interrupted: boolean };

export class WorkerCellRunner implements CellRunner {
  private readonly ts: typeof TS;
  private conv: Converter | undefined;
  private prevDecl = "";
  readonly locals: Record<string, unknown> = {};
  private readonly scope: Record<string, unknown>;
  private written = new Set<string>();
  private replaced = new Set<object>();
  private token: Token = { interrupted: false };
  private interruptNow: (() => void) | undefined;
  private cellNumber = 0;
  private readonly flag: InterruptFlag;
  private runNumber = 0;
  private readonly modules: Record<string, unknown>;

  constructor(
    private readonly parts: CompilerParts,
    private readonly options: WorkerRunnerOptions = {},
  ) {
    this.ts = parts.ts;
    this.modules = { ...(options.modules ?? {}) };
    const locals = this.locals;
    this.scope = new Proxy(locals, {
      // As in Node: named imports arrive as getters; keep the value so a later cell may reassign.
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
    setSlot("kernelNames", () => this.locals);
    // Plain (unshared) cells when the page could not share memory: the checks then never fire.
    this.flag = new InterruptFlag(options.interruptFlag ?? new Int32Array(4), () => new KeyboardInterrupt());
    (globalThis as any)[CHECK] = this.flag.check;
  }

  /** Registers (or replaces) a module cells can import. */
  register(specifier: string, module: unknown): void {
    this.modules[specifier] = module;
  }

  private get converter(): Converter {
    this.conv ??= this.parts.converter.createConverter({ isJS: false, isBrowser: true });
    return this.conv;
  }

  /** Builds the compiler's program now (the first cell would otherwise pay for it). */
  warm(): void {
    void this.converter;
  }

  /**
   * Type-checks a throw-away cell importing `specifier`, without running it or keeping its
   * declarations: the compiler then holds the package's declarations (for stripes, tfjs-core's
   * too, seconds to read) before a learner's first import needs them.
   */
  warmImport(specifier: string): void {
    this.converter.convert(this.prevDecl, `import * as __warm__ from ${JSON.stringify(specifier)};\n__warm__;`);
  }

  get typescriptVersion(): string {
    return this.ts.version;
  }

  private cellRequire = (id: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(this.modules, id)) return this.modules[id];
    const known = Object.keys(this.modules).map((m) => `"${m}"`).join(", ") || "none";
    throw new Error(`cannot import "${id}" here: in the browser, cells can import only ${known}`);
  };

  freeUnheld(value?: unknown): number {
    const candidates: unknown[] = [...this.replaced];
    this.replaced = new Set();
    if (value !== undefined) candidates.push(value);
    return freeUnheld(candidates, this.locals);
  }

  interrupt(): void {
    this.token.interrupted = true;
    this.interruptNow?.();
  }

  private isLearnerFrame = (line: string): boolean => /<cell \d+>:/.test(line);

  private guardFor(token: Token) {
    return async (value: unknown): Promise<unknown> => {
      if (token.interrupted) throw new KeyboardInterrupt();
      const result = await value;
      if (token.interrupted) throw new KeyboardInterrupt();
      return result;
    };
  }

  /** Each run under its own id in the shared flag, so a Stop ends only the run it was sent for. */
  async execute(src: string): Promise<RunResult> {
    this.flag.begin(++this.runNumber);
    try {
      return await this.run(src);
    } finally {
      this.flag.end();
    }
  }

  private async run(src: string): Promise<RunResult> {
    const token = (this.token = { interrupted: false });
    let converted;
    try {
      const meta = this.parts.metadata.getCodeMetadata(src);
      if (meta.module) {
        const diagnostics = this.converter.addModule(meta.module, src, meta);
        if (diagnostics.length > 0) return { status: "error", error: compileContent(diagnostics.map(flat), src) };
        return { status: "ok", hasValue: false };
      }
      converted = this.converter.convert(this.prevDecl, src);
    } catch (err) {
      return { status: "error", error: thrownContent(err, () => false) };
    }
    if (converted.diagnostics.length > 0) return { status: "error", error: compileContent(converted.diagnostics.map(flat), src) };
    // Let an interrupt that arrived while the compiler ran be seen before the cell starts.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (token.interrupted || this.flag.isSet()) return { status: "error", error: interruptContent() };
    const declOutput = converted.declOutput ?? "";
    if (!converted.output) {
      this.prevDecl = declOutput;
      return { status: "ok", hasValue: false };
    }
    const { runtimeNames, js: body } = withoutPreamble(converted.output);
    let js = converted.hasToplevelAwait ? guardAwaits(this.ts, body, "__stripes_await__") : body;
    js = guardLoops(this.ts, js);
    const lastVar = converted.lastExpressionVar;
    if (lastVar) runtimeNames.delete(lastVar);
    this.written = new Set();
    this.replaced = new Set();
    const name = `<cell ${++this.cellNumber}>`;
    const source =
      (converted.hasToplevelAwait ? "(async function (exports, require, __stripes_await__) { " : "(function (exports, require, __stripes_await__) { ") +
      js +
      `\n})\n//# sourceURL=${name}`;
    let error: ErrorContent | undefined;
    try {
      const fn = (0, eval)(source) as (e: unknown, r: unknown, g: unknown) => unknown;
      const ret = fn(this.scope, this.cellRequire, this.guardFor(token));
      if (converted.hasToplevelAwait) {
        await new Promise<void>((resolve, reject) => {
          this.interruptNow = () => reject(new KeyboardInterrupt());
          if (token.interrupted) this.interruptNow();
          (ret as Promise<void>).then(resolve, reject);
        });
      }
    } catch (err) {
      error = thrownContent(err, this.isLearnerFrame, (l) => l, this.options.describe ?? describeValue);
    } finally {
      this.interruptNow = undefined;
    }
    if (error) {
      this.prevDecl = keptDeclarations(this.ts, this.prevDecl, declOutput, runtimeNames, this.written);
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
    const r = this.parts.converter.isCompleteCode(code);
    return r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" };
  }

  complete(code: string, cursor: number): { cursor_start: number; cursor_end: number; matches: string[] } {
    const info = this.converter.complete(this.prevDecl, code, cursor);
    return { cursor_start: info.start, cursor_end: info.end, matches: info.candidates };
  }

  inspect(code: string, cursor: number): string | undefined {
    const info = this.converter.inspect(this.prevDecl, code, cursor);
    return info ? this.parts.printQuickInfo(info) : undefined;
  }
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function flat(d: { start: { line: number; character: number }; messageText: string; fileName?: string }) {
  return { line: d.start.line, character: d.start.character, messageText: d.messageText, fileName: d.fileName };
}
