/**
 * @file What compiles and runs cells, as the kernel core sees it: the one platform piece with
 * real work in it. Node's is src/kernel/interpreter.ts (tslab's converter, `vm` in the kernel's
 * own process); a browser worker would bring the TypeScript compiler and run cells in the worker.
 */
import type { ErrorContent } from "./cellError";

/** The outcome of one cell. `hasValue`: the cell ended in an expression worth an execute_result. */
export type RunResult = { status: "ok"; value?: unknown; hasValue: boolean } | { status: "error"; error: ErrorContent };

/**
 * What compiles and runs cells, in one shared scope (Node: src/kernel/interpreter.ts, tslab's
 * converter and `vm`). Everything else about a request (counts, replies, outputs, memory) is the
 * core's.
 */
export interface CellRunner {
  /** Compiles and runs one cell; never throws: a failure is `{status: "error"}` (cellError.ts shapes it). */
  execute(code: string): Promise<RunResult>;
  /** Ends the running cell (a no-op when none runs); the cell then resolves with KeyboardInterrupt. */
  interrupt(): void;
  /** is_complete_request's answer for `code`. */
  isComplete(code: string): { status: "complete" | "incomplete" | "invalid" | "unknown"; indent?: string };
  /** Completions at `cursor` (a UTF-16 offset into `code`). */
  complete(code: string, cursor: number): { cursor_start: number; cursor_end: number; matches: string[] };
  /** Hover text for the name at `cursor`, or undefined. */
  inspect(code: string, cursor: number): string | undefined;
  /**
   * After a cell: frees the tensors its writes replaced and `value` (its shown last value) unless
   * a name still holds them (memoryGuard.ts's freeUnheld over the runner's names). Returns how many.
   */
  freeUnheld(value?: unknown): number;
}
