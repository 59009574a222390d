/**
 * @file `ReLU`, after torch/nn/modules/activation.py: max(0, x).
 *
 *     new nn.ReLU(true);   // ReLU(inplace)
 *
 * Porting note: tfjs tensors are immutable, so `inplace` changes nothing but the printout, which
 * follows PyTorch 0.4 (the article's version): `ReLU(inplace)`, where PyTorch ≥ 1.0 prints
 * `ReLU(inplace=True)`.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Module } from "./module";

export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }

  override forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x); // elementwise: any layout
  }

  override extraRepr(): string {
    return this.inplace ? "inplace" : "";
  }
}
