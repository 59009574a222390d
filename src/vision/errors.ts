/**
 * @file vision's errors. VisionError: a bad argument to Image or a transform, its message one
 * line naming the function, e.g. `Resize: size should be a positive int …`. ImageError, one of
 * them: a bad image file, `FILE: problem`, e.g.
 * `horse.jpg: image file is truncated (premature end of JPEG image)`.
 */
import { StripesError } from "../errors";

export class VisionError extends StripesError {}

export class ImageError extends VisionError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
