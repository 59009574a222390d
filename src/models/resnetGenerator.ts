/**
 * @file The book's CycleGAN generator (Deep Learning with PyTorch, chapter 2), written as the
 * book writes it so that the state-dict keys (`model.1.weight` … `model.26.bias`) and the
 * printout are the same. With the defaults it has 48 tensors and 11,378,179 parameters.
 *
 *     const netG = new ResNetGenerator();
 *     netG.loadStateDict(torch.load("horse2zebra_0.4.0.pth"));
 *     netG.eval();
 *     const out = netG.forward(batch);   // [1, 3, H, W] in, values in [-1, 1] out
 *
 * Two options, for lesson 03's tiny CycleGAN; the keys stay the book's either way:
 * - `{ inputSkip: true }` also hands the input image to the last convolution (concatenated to
 *   the features, as a U-Net's outermost skip does), so that colours, which the normalisations
 *   wash out of flat drawings, reach the output: that conv takes ngf + input_nc channels.
 * - `{ norm: "batch" }` swaps every InstanceNorm2d for a BatchNorm2d, as CycleGAN's `--norm
 *   batch` (plus BatchNorm's running statistics in the state dict; the convs keep their biases).
 */
import * as tf from "@tensorflow/tfjs-core";
import * as nn from "../nn";
import { ModelError } from "./errors";

/** Which normalisation the generator uses: the book's InstanceNorm2d, or BatchNorm2d. */
export type GeneratorNorm = "instance" | "batch";

export interface ResNetGeneratorOptions {
  norm?: GeneratorNorm;
  inputSkip?: boolean;
}

const normLayer = (norm: GeneratorNorm, channels: number): nn.Module =>
  norm === "batch" ? new nn.BatchNorm2d(channels) : new nn.InstanceNorm2d(channels);

/** A residual block: x + (pad, conv 3×3, norm, ReLU, pad, conv 3×3, norm)(x). */
export class ResNetBlock extends nn.Module {
  conv_block: nn.Sequential;

  constructor(dim: number, readonly norm: GeneratorNorm = "instance") {
    super();
    this.conv_block = this.buildConvBlock(dim);
  }

  buildConvBlock(dim: number): nn.Sequential {
    const convBlock: nn.Module[] = [];
    convBlock.push(new nn.ReflectionPad2d(1));
    convBlock.push(new nn.Conv2d(dim, dim, 3, { padding: 0, bias: true }), normLayer(this.norm, dim), new nn.ReLU(true));
    convBlock.push(new nn.ReflectionPad2d(1));
    convBlock.push(new nn.Conv2d(dim, dim, 3, { padding: 0, bias: true }), normLayer(this.norm, dim));
    return new nn.Sequential(...convBlock);
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(x, this.conv_block.forwardNHWC(x))); // the skip connection
  }
}

export class ResNetGenerator extends nn.Module {
  model: nn.Sequential;
  readonly inputSkip: boolean;

  constructor(
    readonly input_nc = 3,
    readonly output_nc = 3,
    readonly ngf = 64,
    readonly n_blocks = 9,
    { norm = "instance", inputSkip = false }: ResNetGeneratorOptions = {},
  ) {
    super();
    this.inputSkip = inputSkip;
    if (norm !== "instance" && norm !== "batch") throw new ModelError(`ResNetGenerator: norm must be "instance" or "batch", but got ${JSON.stringify(norm)}`);
    for (const [name, v] of Object.entries({ input_nc, output_nc, ngf, n_blocks })) {
      if (!Number.isInteger(v) || v < (name === "n_blocks" ? 0 : 1)) {
        throw new ModelError(`ResNetGenerator: ${name} must be an integer ≥ ${name === "n_blocks" ? 0 : 1}, but got ${v}`);
      }
    }

    let model: nn.Module[] = [
      new nn.ReflectionPad2d(3),
      new nn.Conv2d(input_nc, ngf, 7, { padding: 0, bias: true }),
      normLayer(norm, ngf),
      new nn.ReLU(true),
    ];

    const nDownsampling = 2;
    for (let i = 0; i < nDownsampling; i++) {
      const mult = 2 ** i;
      model = model.concat([
        new nn.Conv2d(ngf * mult, ngf * mult * 2, 3, { stride: 2, padding: 1, bias: true }),
        normLayer(norm, ngf * mult * 2),
        new nn.ReLU(true),
      ]);
    }

    const mult = 2 ** nDownsampling;
    for (let i = 0; i < n_blocks; i++) {
      model = model.concat([new ResNetBlock(ngf * mult, norm)]);
    }

    for (let i = 0; i < nDownsampling; i++) {
      const mult = 2 ** (nDownsampling - i);
      model = model.concat([
        new nn.ConvTranspose2d(ngf * mult, Math.trunc((ngf * mult) / 2), 3, { stride: 2, padding: 1, outputPadding: 1, bias: true }),
        normLayer(norm, Math.trunc((ngf * mult) / 2)),
        new nn.ReLU(true),
      ]);
    }

    model = model.concat([new nn.ReflectionPad2d(3)]);
    model = model.concat([new nn.Conv2d(inputSkip ? ngf + input_nc : ngf, output_nc, 7, { padding: 0 })]);
    model = model.concat([new nn.Tanh()]);

    this.model = new nn.Sequential(...model);
  }

  override forwardNHWC(input: tf.Tensor): tf.Tensor {
    if (!this.inputSkip) return this.model.forwardNHWC(input);
    return tf.tidy(() => {
      const features = this.model.forwardNHWC(input, 0, -3);
      return this.model.forwardNHWC(tf.concat([features, input], 3), -3); // pad, conv, tanh over features + image
    });
  }
}
