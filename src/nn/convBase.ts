/**
 * @file What Conv2d and ConvTranspose2d share, as PyTorch's `_ConvNd`
 * (torch/nn/modules/conv.py): argument checks, parameters, the input check and the repr.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModuleError, nchw } from "./errors";
import { Module, pyTuple } from "./module";
import { uniformParameter } from "./init";
import { IntOrPair, pair } from "./pair";

export interface ConvOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  bias?: boolean;
}

export abstract class ConvBase extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  /** Stored `[kh, kw, in, out]` (tfjs's HWIO); PyTorch's layout is the subclass's `torchToStored`. */
  weight: tf.Variable;
  bias: tf.Variable | null;

  /** `fanIn(kh, kw)`: PyTorch's fan-in for the default initialisation (see init.ts). */
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: IntOrPair,
    { stride = 1, padding = 0, bias = true }: ConvOptions,
    fanIn: (kh: number, kw: number) => number,
  ) {
    super();
    const layer = new.target.name;
    for (const [name, v] of [["in_channels", inChannels], ["out_channels", outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ModuleError(`${layer}: ${name} must be a positive integer, but got ${v}`);
    }
    this.kernelSize = pair(layer, "kernel_size", kernelSize, 1);
    this.stride = pair(layer, "stride", stride, 1);
    this.padding = pair(layer, "padding", padding, 0);
    const [kh, kw] = this.kernelSize;
    this.weight = uniformParameter([kh, kw, inChannels, outChannels], fanIn(kh, kw));
    this.bias = bias ? uniformParameter([outChannels], fanIn(kh, kw)) : null;
  }

  protected checkInput(x: tf.Tensor): void {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      // PyTorch: "expected input[1, 4, 10, 12] to have 3 channels, but got 4 channels instead"
      throw new ModuleError(
        `${this.constructor.name}(${this.inChannels}, ${this.outChannels}): expected input ${nchw(x.shape)} to have ` +
          `${this.inChannels} channels, but got ${x.shape[3]} channels instead`,
      );
    }
  }

  /** Options a subclass prints between padding and bias (ConvTranspose2d's output_padding). */
  protected extraOptions(): string {
    return "";
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    s += this.extraOptions();
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}
