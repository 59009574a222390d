/**
 * @file CycleGAN's PatchGAN discriminator (junyanz/pytorch-CycleGAN-and-pix2pix,
 * models/networks.py `NLayerDiscriminator`): 4×4 convolutions, stride 2 then 1, LeakyReLU(0.2).
 * Each output value scores one overlapping patch of the input (70×70 pixels for n_layers = 3).
 *
 *     const netD = new NLayerDiscriminator(3);                 // ndf 64, 3 layers, instance norm
 *     netD.forward(tf.zeros([1, 3, 256, 256])).shape;          // [1, 1, 30, 30]
 *
 * `norm` is "instance" (CycleGAN's default: InstanceNorm2d without affine, convolutions with
 * bias) or "batch" (BatchNorm2d, convolutions before it without bias), as in networks.py.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as nn from "../nn";
import { ModelError } from "./errors";

export type NormKind = "instance" | "batch";

export class NLayerDiscriminator extends nn.Module {
  model: nn.Sequential;

  constructor(
    readonly input_nc = 3,
    readonly ndf = 64,
    readonly n_layers = 3,
    readonly norm: NormKind = "instance",
  ) {
    super();
    if (norm !== "instance" && norm !== "batch") {
      throw new ModelError(`NLayerDiscriminator: norm must be "instance" or "batch", but got ${JSON.stringify(norm)}`);
    }
    const normLayer = (c: number) => (norm === "instance" ? new nn.InstanceNorm2d(c) : new nn.BatchNorm2d(c));
    const useBias = norm === "instance"; // a bias before BatchNorm would be cancelled by it
    const kw = 4;
    const padw = 1;

    let sequence: nn.Module[] = [
      new nn.Conv2d(input_nc, ndf, kw, { stride: 2, padding: padw }),
      new nn.LeakyReLU(0.2, true),
    ];
    let nfMult = 1;
    let nfMultPrev = 1;
    for (let n = 1; n < n_layers; n++) {
      // gradually increase the number of filters, up to 8·ndf
      nfMultPrev = nfMult;
      nfMult = Math.min(2 ** n, 8);
      sequence = sequence.concat([
        new nn.Conv2d(ndf * nfMultPrev, ndf * nfMult, kw, { stride: 2, padding: padw, bias: useBias }),
        normLayer(ndf * nfMult),
        new nn.LeakyReLU(0.2, true),
      ]);
    }
    nfMultPrev = nfMult;
    nfMult = Math.min(2 ** n_layers, 8);
    sequence = sequence.concat([
      new nn.Conv2d(ndf * nfMultPrev, ndf * nfMult, kw, { stride: 1, padding: padw, bias: useBias }),
      normLayer(ndf * nfMult),
      new nn.LeakyReLU(0.2, true),
    ]);
    // one channel out: a prediction map
    sequence = sequence.concat([new nn.Conv2d(ndf * nfMult, 1, kw, { stride: 1, padding: padw })]);
    this.model = new nn.Sequential(...sequence);
  }

  override forwardNHWC(input: tf.Tensor): tf.Tensor {
    return this.model.forwardNHWC(input);
  }
}
