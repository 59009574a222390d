/**
 * @file `ReflectionPad2d`, after torch/nn/modules/padding.py: pads by mirroring the input
 * without repeating the edge (`[1, 2, 3]` padded by 2 → `[3, 2, 1, 2, 3, 2, 1]`).
 *
 *     new nn.ReflectionPad2d(3);             // ReflectionPad2d((3, 3, 3, 3))
 *     new nn.ReflectionPad2d([1, 2, 0, 3]);  // (left, right, top, bottom), PyTorch's order
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError, nchw } from "./errors";
import { Module, pyTuple } from "./module";

export class ReflectionPad2d extends Module {
  /** (left, right, top, bottom) */
  readonly padding: [number, number, number, number];

  constructor(padding: number | [number, number, number, number]) {
    super();
    const p = typeof padding === "number" ? [padding, padding, padding, padding] : padding;
    if (p.length !== 4 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ModuleError(`ReflectionPad2d: padding must be an integer ≥ 0 or 4 of them, but got ${JSON.stringify(padding)}`);
    }
    this.padding = p as [number, number, number, number];
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    const [left, right, top, bottom] = this.padding;
    const [h, w] = [x.shape[1] ?? 0, x.shape[2] ?? 0];
    // Reflection needs an edge pixel plus `pad` more on each side, as PyTorch checks.
    if (x.rank !== 4 || Math.max(top, bottom) >= h || Math.max(left, right) >= w) {
      throw new ModuleError(
        `ReflectionPad2d: padding ${pyTuple(this.padding)} must be smaller than the input's height and width, ` +
          `but got input of shape ${nchw(x.shape)}`,
      );
    }
    return tf.mirrorPad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], "reflect");
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}
