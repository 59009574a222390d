/**
 * @file `Conv2d`, after torch/nn/modules/conv.py.
 *
 * Output size per spatial axis: ⌊(in + 2·padding − kernel_size) / stride⌋ + 1.
 *
 *     const conv = new nn.Conv2d(3, 64, 7);            // Conv2d(3, 64, kernel_size=(7, 7), stride=(1, 1))
 *     conv.forward(tf.zeros([1, 3, 32, 32])).shape;     // [1, 64, 26, 26]
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBias } from "../kernels";
import { ConvBase, ConvOptions } from "./convBase";
import { ModuleError, nchw } from "./errors";
import { IntOrPair } from "./pair";

export type Conv2dOptions = ConvOptions;

export class Conv2d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, options: Conv2dOptions = {}) {
    super(inChannels, outChannels, kernelSize, options, (kh, kw) => inChannels * kh * kw);
  }

  protected override torchToStored(name: string) {
    return name === "weight" ? [2, 3, 1, 0] : undefined; // OIHW → HWIO
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const [ph, pw] = this.padding;
    const [kh, kw] = this.kernelSize;
    const [h, w] = [x.shape[1]! + 2 * ph, x.shape[2]! + 2 * pw];
    // PyTorch's check; tfjs's wasm conv reads out of bounds instead (and is broken afterwards).
    if (h < kh || w < kw) {
      throw new ModuleError(
        `Conv2d: input ${nchw(x.shape)} is ${h}×${w} after padding, smaller than the kernel ${kh}×${kw}`,
      );
    }
    return conv2dBias({
      x: x as tf.Tensor4D,
      filter: this.weight as tf.Tensor4D,
      strides: this.stride,
      pad: ph === 0 && pw === 0 ? "valid" : [[0, 0], [ph, ph], [pw, pw], [0, 0]],
      bias: this.bias ?? undefined,
    });
  }
}
