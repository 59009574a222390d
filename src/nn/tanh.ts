/** @file `Tanh`, after torch/nn/modules/activation.py. `new nn.Tanh()` prints `Tanh()`. */
import * as tf from "@tensorflow/tfjs-core";
import { Module } from "./module";

export class Tanh extends Module {
  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }

  override forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x); // elementwise: any layout
  }
}
