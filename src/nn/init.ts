/**
 * @file PyTorch's default initialisation for convolutions, so an untrained stripes layer draws
 * from the same distributions as an untrained PyTorch one (torch/nn/modules/conv.py
 * `reset_parameters`, torch/nn/init.py).
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * `kaiming_uniform_(w, a=√5)` gives U(-b, b) with b = gain·√(3/fan_in), gain = √(2/(1+a²)),
 * which simplifies to b = 1/√fan_in; the bias is drawn from the same U(-b, b).
 * `fanIn` is PyTorch's: weight.size(1) × kernel area (for a transposed conv that is
 * out_channels × kh × kw, a quirk PyTorch keeps).
 */
export function uniformParameter(shape: number[], fanIn: number): tf.Variable {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return tf.variable(tf.randomUniform(shape, -bound, bound, "float32"));
}

/** A parameter filled with a constant (norm layers' weight 1, bias 0). */
export function constantParameter(shape: number[], value: number): tf.Variable {
  return tf.variable(tf.fill(shape, value, "float32"));
}

/** A buffer: state that is saved and loaded but not trained (BatchNorm's running statistics). */
export function buffer(value: tf.Tensor): tf.Variable {
  return tf.variable(value, false);
}
