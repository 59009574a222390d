/**
 * @file The parts of nbformat 4.5 that stripes reads and writes: the notebook and cell shapes,
 * turning kernel messages into outputs (jupyter/nbformat `output_from_msg`), and writing a
 * notebook the way Jupyter does (sorted keys, one-space indent, multi-line strings as line lists),
 * so a notebook saved by stripes and one saved by Jupyter diff cleanly.
 */
import * as fs from "node:fs";
import type { Message } from "./client";
import { writeFileAtomic, writeProblem } from "../atomicWrite";
import { oneLine, readProblem } from "../errors";
import { NotebookError } from "./errors";

export type MultilineString = string | string[];

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: Record<string, unknown>;
  source: MultilineString;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}

export function joinLines(text: MultilineString): string {
  return Array.isArray(text) ? text.join("") : text;
}

/** "a\nb\n" → ["a\n", "b\n"], as nbformat stores multi-line strings. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Reads and checks a notebook file; one-line NotebookError when it is not nbformat 4. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new NotebookError(`${file}: ${readProblem(err, "a notebook")}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text it choked on, newlines and all: keep the error on one line.
    throw new NotebookError(`${file}: not a notebook (${oneLine((err as Error).message)})`);
  }
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) {
    throw new NotebookError(`${file}: not a notebook (no "cells" list)`);
  }
  if (nb.nbformat !== 4) throw new NotebookError(`${file}: nbformat ${nb.nbformat} is not supported (expected 4)`);
  return nb;
}

/** Jupyter's layout: keys sorted, indent 1, text split into lines, trailing newline. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(splitNotebookLines(nb)), null, 1) + "\n";
}

/** Writes atomically (temp file + rename): a failed write leaves no half-written notebook. */
export function writeNotebook(file: string, nb: Notebook): void {
  try {
    writeFileAtomic(file, serializeNotebook(nb));
  } catch (err) {
    throw new NotebookError(`${file}: cannot write (${writeProblem(err)})`);
  }
}

function splitNotebookLines(nb: Notebook): Notebook {
  // nbformat v4 rwbase.split_lines: sources, stream text and text-like data (text/*, JavaScript,
  // SVG) become line lists; base64 images and JSON stay as they are.
  const cells = nb.cells.map((cell) => {
    const c: Cell = { ...cell, source: splitLines(joinLines(cell.source)) };
    if (cell.outputs) {
      c.outputs = cell.outputs.map((o) => {
        if (o.output_type === "stream") return { ...o, text: splitLines(joinLines(o.text)) };
        if (o.output_type === "display_data" || o.output_type === "execute_result") {
          const data: Record<string, unknown> = {};
          for (const [mime, value] of Object.entries(o.data)) {
            const textLike = mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";
            data[mime] = textLike && typeof value === "string" ? splitLines(value) : value;
          }
          return { ...o, data };
        }
        return o;
      });
    }
    return c;
  });
  return { ...nb, cells };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Collects a cell's outputs from iopub messages as Jupyter's front ends do: nbformat's
 * `output_from_msg`, consecutive stream text of the same name merged (as JupyterLab shows it),
 * `clear_output` honoured, and `update_display_data` applied to every output with that display id.
 */
export class OutputCollector {
  readonly outputs: Output[] = [];
  private clearOnNext = false;

  constructor(private readonly displays: Map<string, Output[]> = new Map()) {}

  add(msg: Message): void {
    const c = msg.content;
    const type = msg.header.msg_type;
    if (type === "clear_output") {
      if (c.wait) this.clearOnNext = true;
      else this.outputs.length = 0;
      return;
    }
    if (type === "update_display_data") {
      for (const o of this.displays.get(c.transient?.display_id) ?? []) {
        if (o.output_type === "display_data" || o.output_type === "execute_result") {
          o.data = c.data;
          o.metadata = c.metadata ?? {};
        }
      }
      return;
    }
    const output = outputFromMsg(msg);
    if (!output) return;
    if (this.clearOnNext) {
      this.outputs.length = 0;
      this.clearOnNext = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      last.text = joinLines(last.text) + joinLines(output.text);
      return;
    }
    this.outputs.push(output);
    const displayId = c.transient?.display_id;
    if (displayId !== undefined && output.output_type !== "stream" && output.output_type !== "error") {
      this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), output]);
    }
  }

  /** The text a failing cell left on stderr, or its error output: what went wrong. */
  errorText(): string {
    const error = this.outputs.find((o) => o.output_type === "error");
    if (error?.output_type === "error") return `${error.ename}: ${error.evalue}`;
    return this.outputs
      .filter((o) => o.output_type === "stream" && o.name === "stderr")
      .map((o) => joinLines((o as { text: MultilineString }).text))
      .join("");
  }
}

/** nbformat's `output_from_msg` for the message types that become outputs (others: undefined). */
export function outputFromMsg(msg: Message): Output | undefined {
  const c = msg.content;
  switch (msg.header.msg_type) {
    case "stream":
      return { output_type: "stream", name: c.name, text: c.text };
    case "display_data":
      return { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "execute_result":
      return { output_type: "execute_result", execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} };
    case "error":
      return { output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] };
    default:
      return undefined;
  }
}
