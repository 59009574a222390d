/**
 * @file The one error class for checkpoints. Its message is one line, `FILE: problem`, quoting
 * the bad value (and the byte offset where it helps), e.g.
 * `horse.pth: refusing global posix.system: not allowed in a checkpoint`.
 */
import { StripesError } from "../errors";

export class CheckpointError extends StripesError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
