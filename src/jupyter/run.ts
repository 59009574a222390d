/**
 * @file Running a notebook headlessly on a real kernel process (the stripes kernel; tslab's for
 * notebooks whose kernelspec is `tslab` or `jslab`), like `jupyter nbconvert --execute`:
 * the kernel starts in the notebook's folder, code cells run one at a time in order, their outputs
 * are recorded into the notebook, and the first failing or timed-out cell stops the run with its
 * number and error. The kernel is shut down on every path.
 */
import * as path from "node:path";
import { NotebookError, KernelError } from "./errors";
import { Kernel, TimeoutError, stripesKernelArgv, tslabArgv, type KernelStartOptions } from "./client";
import { OutputCollector, joinLines, readNotebook, type Notebook, type Output } from "./nbformat";
import { WidgetStateCollector } from "./widgetState";

export interface RunOptions {
  /** Seconds one cell may take (default 600). */
  timeout?: number;
  /** Seconds the kernel may take to start (default 60). */
  startTimeout?: number;
  /** Kernel command (default: the one the notebook's kernelspec names). */
  argv?: string[];
  /** Environment for the kernel (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Called after each code cell. */
  onCell?: (event: CellEvent) => void;
  /** Called with each output as it arrives. */
  onOutput?: (output: Output, cellIndex: number) => void;
}

export interface CellEvent {
  /** Index in the notebook's `cells` (0-based, all cell types). */
  index: number;
  /** Number of code cells in the notebook, and this one's position among them (1-based). */
  codeCells: number;
  codeNumber: number;
  status: "ok" | "error" | "timeout";
  seconds: number;
}

/** A cell failed: its index, its error text, and the notebook as executed so far. */
export class CellError extends NotebookError {
  constructor(
    message: string,
    readonly cellIndex: number,
    readonly errorText: string,
    readonly notebook: Notebook,
  ) {
    super(message);
  }
}

/** The line of a kernel's error text worth putting in a one-line message. */
export function errorSummary(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const line =
    lines.find((l) => /^\d+:\d+ - /.test(l)) ?? // TypeScript diagnostic, as tslab prints it
    lines.find((l) => /^[\w.$]*(Error|Exception)\b(: |$)/.test(l)) ?? // an exception's "Name: message"
    lines.find((l) => /^Uncaught\b/.test(l)) ??
    lines[lines.length - 1] ??
    "(no error text)";
  return line.length > 300 ? line.slice(0, 297) + "..." : line;
}

/** Runs `file` and returns the executed notebook (the file is not modified). */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<Notebook> {
  const nb = readNotebook(file);
  return executeNotebook(nb, path.dirname(path.resolve(file)), { ...options, name: file });
}

/** Runs a notebook object with the kernel in `cwd`; returns a new, executed notebook. */
export async function executeNotebook(input: Notebook, cwd: string, options: RunOptions & { name?: string } = {}): Promise<Notebook> {
  const name = options.name ?? "notebook";
  const nb: Notebook = structuredClone(input);
  const timeoutMs = (options.timeout ?? 600) * 1000;
  const codeCells = nb.cells.filter((c) => c.cell_type === "code").length;
  // The notebook's kernelspec decides: the stripes kernel, or tslab's two; others are refused.
  const spec = nb.metadata?.kernelspec?.name ?? "stripes";
  if (options.argv === undefined && spec !== "stripes" && spec !== "tslab" && spec !== "jslab") {
    throw new NotebookError(`${name}: its kernel is '${spec}'; stripes run starts the stripes kernel (TypeScript) and tslab's (tslab for TypeScript, jslab for JavaScript)`);
  }
  const argv = options.argv ?? (spec === "stripes" ? stripesKernelArgv() : tslabArgv(spec === "jslab"));
  const start: KernelStartOptions = { cwd, argv, env: options.env, kernelName: spec, startTimeoutMs: (options.startTimeout ?? 60) * 1000 };
  let kernel: Kernel;
  try {
    kernel = await Kernel.start(start);
  } catch (err) {
    if (err instanceof KernelError) throw new KernelError(`${name}: ${err.message}`);
    throw err;
  }
  const widgetState = new WidgetStateCollector(); // for metadata.widgets, as nbclient saves it
  const stopOnSignal = () => void kernel.shutdown().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    if (kernel.languageInfo) nb.metadata.language_info = kernel.languageInfo;
    const displays = new Map<string, Output[]>();
    let codeNumber = 0;
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      codeNumber++;
      const source = joinLines(cell.source);
      cell.outputs = [];
      cell.execution_count = null;
      if (source.trim() === "") continue; // as nbclient: empty cells are not sent
      const collector = new OutputCollector(displays);
      const began = Date.now();
      const where = `${name}: cell ${index + 1} of ${nb.cells.length} (code cell ${codeNumber} of ${codeCells}, "${firstLine(source)}")`;
      let reply;
      try {
        reply = await kernel.execute(source, {
          timeoutMs,
          onIopub: (msg) => {
            if (widgetState.add(msg)) return; // an Output widget's, not the cell's
            const before = collector.outputs.length;
            collector.add(msg);
            if (options.onOutput && collector.outputs.length > before) options.onOutput(collector.outputs[collector.outputs.length - 1], index);
          },
        });
      } catch (err) {
        cell.outputs = collector.outputs;
        const seconds = (Date.now() - began) / 1000;
        if (err instanceof TimeoutError) {
          options.onCell?.({ index, codeCells, codeNumber, status: "timeout", seconds });
          kernel.interrupt();
          throw new CellError(`${where} ${err.message} (--timeout)`, index, collector.errorText(), nb);
        }
        if (err instanceof KernelError) throw new CellError(`${where}: ${err.message}`, index, collector.errorText(), nb);
        throw err;
      }
      cell.outputs = collector.outputs;
      cell.execution_count = reply.execution_count ?? null;
      const seconds = (Date.now() - began) / 1000;
      if (reply.status !== "ok") {
        options.onCell?.({ index, codeCells, codeNumber, status: "error", seconds });
        const text = reply.ename ? `${reply.ename}: ${reply.evalue}` : collector.errorText();
        throw new CellError(`${where} failed: ${errorSummary(text)}`, index, text, nb);
      }
      options.onCell?.({ index, codeCells, codeNumber, status: "ok", seconds });
    }
    return nb;
  } finally {
    const widgets = widgetState.metadata(); // also on a failed run: the CellError carries nb
    if (widgets) nb.metadata.widgets = widgets;
    process.removeListener("SIGINT", stopOnSignal);
    process.removeListener("SIGTERM", stopOnSignal);
    await kernel.shutdown();
  }
}

function firstLine(source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > 50 ? line.slice(0, 47) + "..." : line;
}
