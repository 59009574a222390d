/**
 * @file PyTorch-named tensor helpers the book's cells use, over plain tfjs tensors.
 *
 *     unsqueeze(img, 0).shape;   // [3, 256, 314] → [1, 3, 256, 314]   (torch.unsqueeze(img, 0))
 *     squeeze(out).shape;        // [1, 3, 256, 316] → [3, 256, 316]   (out.squeeze())
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError } from "./errors";

/** A bad argument to a tensor helper (a dim out of range, a non-tensor). */
export class TensorError extends StripesError {}

function checkTensor(name: string, x: unknown): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new TensorError(`${name} expects a tensor, but got ${x === null ? "null" : typeof x}`);
}

/** A new axis of size 1 at `dim` (negative counts from the end, as PyTorch's). */
export function unsqueeze<T extends tf.Tensor>(x: T, dim: number): tf.Tensor {
  checkTensor("unsqueeze", x);
  const d = dim < 0 ? dim + x.rank + 1 : dim;
  if (!Number.isInteger(dim) || d < 0 || d > x.rank) {
    throw new TensorError(`unsqueeze: dim ${dim} is out of range for a tensor of rank ${x.rank} (expected -${x.rank + 1}…${x.rank})`);
  }
  return tf.expandDims(x, d);
}

/** Drops axes of size 1: all of them, or only `dim` (left as is if its size is not 1, as PyTorch does). */
export function squeeze<T extends tf.Tensor>(x: T, dim?: number): tf.Tensor {
  checkTensor("squeeze", x);
  if (dim === undefined) return tf.squeeze(x);
  const d = dim < 0 ? dim + x.rank : dim;
  if (!Number.isInteger(dim) || d < 0 || d >= x.rank) {
    throw new TensorError(`squeeze: dim ${dim} is out of range for a tensor of rank ${x.rank} (expected -${x.rank}…${x.rank - 1})`);
  }
  return x.shape[d] === 1 ? tf.squeeze(x, [d]) : tf.clone(x);
}
