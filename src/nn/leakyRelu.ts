/**
 * @file `LeakyReLU`, after torch/nn/modules/activation.py: x if x ≥ 0, else negative_slope·x.
 *
 *     new nn.LeakyReLU(0.2, true);   // LeakyReLU(negative_slope=0.2, inplace)
 *
 * `inplace` only changes the printout (PyTorch 0.4 style, as `ReLU`).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Module, pyFloat } from "./module";

export class LeakyReLU extends Module {
  constructor(
    readonly negativeSlope = 0.01,
    readonly inplace = false,
  ) {
    super();
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.negativeSlope);
  }

  override forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.negativeSlope); // elementwise: any layout
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ", inplace" : ""}`;
  }
}
