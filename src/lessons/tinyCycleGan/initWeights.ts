/**
 * @file CycleGAN's weight initialisation (pytorch-CycleGAN-and-pix2pix, models/networks.py,
 * `init_weights(net, init_type='normal', init_gain=0.02)`): every conv and transposed conv
 * weight from N(0, 0.02²) and bias 0; BatchNorm weights from N(1, 0.02²) and bias 0.
 *
 * It matters at toy scale: with PyTorch's default init (uniform, scaled by fan-in) the tiny
 * generator first learns to copy its input and paints stripes only after ~1,500 steps; from
 * N(0, 0.02²) it paints them within ~600 (lesson 03, measured on this project's machine).
 *
 * Example:
 *   for (const net of [G_AB, G_BA, D_A, D_B]) initWeights(net);
 */
import * as tf from "@tensorflow/tfjs-core";
import * as nn from "../../nn";

/** Re-initialises `module`'s conv and norm parameters in place, seeded; returns the module. */
export function initWeights<M extends nn.Module>(module: M, gain = 0.02, seed = 1): M {
  let next = seed;
  const visit = (m: nn.Module) => {
    const layer = m as unknown as { weight?: tf.Variable | null; bias?: tf.Variable | null };
    const isConv = m instanceof nn.Conv2d || m instanceof nn.ConvTranspose2d;
    const isBatchNorm = m instanceof nn.BatchNorm2d;
    if ((isConv || isBatchNorm) && layer.weight) {
      layer.weight.assign(tf.randomNormal(layer.weight.shape, isBatchNorm ? 1 : 0, gain, "float32", next++));
    }
    if ((isConv || isBatchNorm) && layer.bias) layer.bias.assign(tf.zerosLike(layer.bias));
    for (const child of m.children()) visit(child);
  };
  tf.tidy(() => visit(module));
  return module;
}
