/**
 * @file The one error class for nn's modules: a bad argument to a layer's constructor, or an
 * input it cannot take. Messages name the layer and show shapes as the caller passed them
 * (NCHW), though layers compute on NHWC inside: `nchw` turns an internal shape back.
 */
import { StripesError } from "../errors";

export class ModuleError extends StripesError {}

/** `[1, 10, 12, 4]` (NHWC, as forwardNHWC sees it) → "[1, 4, 10, 12]" (NCHW, as the caller passed it). */
export function nchw(shape: readonly number[]): string {
  const s = shape.length === 4 ? [shape[0], shape[3], shape[1], shape[2]] : shape;
  return `[${s.join(", ")}]`;
}
