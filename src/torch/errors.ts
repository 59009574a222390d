/**
 * @file The one error class for checkpoints. Its message is one line, `FILE: problem`, quoting
 * the bad value (and the byte offset where it helps), e.g.
 * `horse.pth: refusing global posix.system: not allowed in a checkpoint`.
 */
import { StripesError } from "../errors";

export class CheckpointError extends StripesError {
  readonly problem: string;
  constructor(
    readonly file: string,
    problem: string,
  ) {
    // Problems quote bytes from the file: escape control characters so the message stays one line.
    const line = oneLine(problem);
    super(`${oneLine(file)}: ${line}`);
    this.problem = line;
  }
}

function oneLine(text: string): string {
  const escaped = text.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return escaped.length > 300 ? `${escaped.slice(0, 300)}…` : escaped;
}
