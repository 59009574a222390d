/**
 * @file `Sequential`, after torch/nn/modules/container.py: children named "0", "1", … run in
 * order, each on the previous one's output.
 *
 *     const block = new nn.Sequential(new nn.ReflectionPad2d(1), new nn.Conv2d(8, 8, 3), new nn.ReLU(true));
 *     block.at(1);   // Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1))
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError } from "./errors";
import { Module } from "./module";

export class Sequential extends Module {
  /** Number of children. */
  readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      (this as unknown as Record<string, Module>)[String(i)] = m;
    });
    this.length = modules.length;
  }

  /** The i-th child (negative counts from the end), like PyTorch's `seq[i]`. */
  at(i: number): Module {
    const m = this.children()[i < 0 ? this.length + i : i];
    if (m === undefined) throw new ModuleError(`Sequential.at: index ${i} is out of range for a Sequential of ${this.length}`);
    return m;
  }

  override namedChildren(): [string, Module][] {
    // Integer-like keys come first in JS property order anyway; sort to be explicit.
    return super.namedChildren().sort(([a], [b]) => Number(a) - Number(b));
  }

  /** Runs the children in order; `start` and `end` (exclusive, negative counts from the end) run a slice, like `seq[start:end]`. */
  override forwardNHWC(x: tf.Tensor, start = 0, end = this.length): tf.Tensor {
    const [from, to] = [start < 0 ? this.length + start : start, end < 0 ? this.length + end : end];
    return tf.tidy(() => {
      let y = x;
      for (const m of this.children().slice(from, to)) {
        const next = m.forwardNHWC(y);
        // Free each intermediate as soon as it is consumed: keeps the peak memory of a
        // 28-layer generator at a few activations (the tape keeps its own copies when training).
        if (y !== x && next !== y) y.dispose();
        y = next;
      }
      return y;
    });
  }
}
