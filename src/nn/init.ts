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
  return variableOf(tf.randomUniform(shape, -bound, bound, "float32"));
}

/** A parameter filled with a constant (norm layers' weight 1, bias 0). */
export function constantParameter(shape: number[], value: number): tf.Variable {
  return variableOf(tf.fill(shape, value, "float32"));
}

/** A buffer: state that is saved and loaded but not trained (BatchNorm's running statistics). Takes `value` over. */
export function buffer(value: tf.Tensor): tf.Variable {
  return variableOf(value, false);
}

/**
 * A variable on `initial`'s values, `initial` then freed: tf.variable shares the tensor's
 * memory, so a tensor left alive would keep the initial values after the variable is assigned
 * (loadStateDict) or disposed (Module.dispose).
 */
function variableOf(initial: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}
