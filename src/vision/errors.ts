/**
 * @file The one error class for images. Its message is one line, `FILE: problem`, e.g.
 * `horse.jpg: image file is truncated (premature end of JPEG image)`.
 */
import { StripesError } from "../errors";

export class ImageError extends StripesError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
