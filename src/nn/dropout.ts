/**
 * @file `Dropout`, after torch/nn/modules/dropout.py: in training, zeroes each element with
 * probability p and scales the rest by 1/(1 − p); in eval mode, the identity.
 *
 *     new nn.Dropout(0.5);   // Dropout(p=0.5)   (PyTorch 0.4's printout)
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError } from "./errors";
import { Module, pyFloat } from "./module";

export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly inplace = false,
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ModuleError(`Dropout: probability has to be between 0 and 1, but got ${p}`);
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return this.forward(x);
  }

  override forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return tf.clone(x); // a new handle, as every layer returns
    if (this.p === 1) return tf.zerosLike(x);
    return tf.dropout(x, this.p);
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}${this.inplace ? ", inplace" : ""}`;
  }
}
