/**
 * @file `ConvTranspose2d`, after torch/nn/modules/conv.py.
 *
 * Output size per spatial axis: (in − 1)·stride − 2·padding + kernel_size + output_padding.
 *
 *     const up = new nn.ConvTranspose2d(256, 128, 3, { stride: 2, padding: 1, outputPadding: 1 });
 *     up.forward(tf.zeros([1, 256, 64, 79])).shape;    // [1, 128, 128, 158]
 *
 * Porting note: tfjs's `conv2dTranspose` has no `output_padding` (its 'same' padding is not
 * PyTorch's padding=1, output_padding=1) and on wasm it is slow (≈0.8 s for the generator's
 * first upsampling). We compute the same sums as stride² stride-1 convolutions, one per output
 * phase, packed into ONE convolution whose output channels hold every phase, followed by
 * depth-to-space ("sub-pixel convolution"). See `phaseTaps` for the index arithmetic.
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBias } from "../kernels";
import { ModuleError } from "./errors";
import { pyTuple } from "./module";
import { ConvBase, ConvOptions } from "./convBase";
import { IntOrPair, pair } from "./pair";

export interface ConvTranspose2dOptions extends ConvOptions {
  outputPadding?: IntOrPair;
}

/**
 * One spatial axis of a transposed convolution as `stride` ordinary convolutions.
 *
 * Output u comes from input i through kernel tap k when i·s + k = u + p. Writing u = q·s + r
 * (phase r), the taps of phase r are k = b + j·s (j = 0, 1, …; k < kernel) with input
 * i = q + a − j, where a·s + b = r + p. So every phase reads inputs q + d for offsets d in a small
 * window [dMin, dMax]; `taps[t][r]` is the kernel tap that offset dMin + t uses in phase r, or −1.
 */
export function phaseTaps(kernel: number, stride: number, padding: number): { dMin: number; taps: number[][] } {
  const entries: { d: number; r: number; k: number }[] = [];
  for (let r = 0; r < stride; r++) {
    const a = Math.floor((r + padding) / stride);
    const b = (r + padding) % stride;
    for (let j = 0; b + j * stride < kernel; j++) entries.push({ d: a - j, r, k: b + j * stride });
  }
  const ds = entries.map((e) => e.d);
  const dMin = Math.min(...ds);
  const dMax = Math.max(...ds);
  const taps = Array.from({ length: dMax - dMin + 1 }, () => new Array<number>(stride).fill(-1));
  for (const { d, r, k } of entries) taps[d - dMin][r] = k;
  return { dMin, taps };
}

export class ConvTranspose2d extends ConvBase {
  readonly outputPadding: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, options: ConvTranspose2dOptions = {}) {
    // PyTorch's fan_in for a transposed conv comes from weight.size(1), i.e. out_channels.
    super(inChannels, outChannels, kernelSize, options, (kh, kw) => outChannels * kh * kw);
    this.outputPadding = pair("ConvTranspose2d", "output_padding", options.outputPadding ?? 0, 0);
    if (this.outputPadding.some((op, i) => op >= this.stride[i])) {
      throw new ModuleError(
        `ConvTranspose2d: output_padding ${pyTuple(this.outputPadding)} must be smaller than stride ${pyTuple(this.stride)}`,
      );
    }
  }

  protected override torchToStored(name: string) {
    return name === "weight" ? [2, 3, 0, 1] : undefined; // IOHW → HWIO
  }

  /** Output length of one spatial axis for an input of length n (PyTorch's formula). */
  outputSize(n: number, axis: 0 | 1): number {
    return (n - 1) * this.stride[axis] - 2 * this.padding[axis] + this.kernelSize[axis] + this.outputPadding[axis];
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const [n, h, w] = x.shape;
    const [sh, sw] = this.stride;
    const [kh, kw] = this.kernelSize;
    const [outH, outW] = [this.outputSize(h, 0), this.outputSize(w, 1)];
    if (outH < 1 || outW < 1) {
      throw new ModuleError(`ConvTranspose2d: input of size ${h}×${w} gives an empty output (${outH}×${outW})`);
    }
    const rows = phaseTaps(kh, sh, this.padding[0]);
    const cols = phaseTaps(kw, sw, this.padding[1]);
    const [th, tw] = [rows.taps.length, cols.taps.length];
    const [qh, qw] = [Math.ceil(outH / sh), Math.ceil(outW / sw)]; // outputs per phase

    return tf.tidy(() => {
      // The phase kernel [th, tw, in, sh·sw·out]: slot (t, u, ·, (rh, rw, c)) holds tap
      // (rows.taps[t][rh], cols.taps[u][rw]) of the weight, or 0 where the phase has no tap.
      // Picked by a 0/1 selection matrix product rather than tf.gather, whose gradient
      // (UnsortedSegmentSum) the wasm backend lacks.
      const slots = th * tw * sh * sw;
      const selection = new Float32Array(slots * kh * kw);
      let slot = 0;
      for (let t = 0; t < th; t++)
        for (let u = 0; u < tw; u++)
          for (let rh = 0; rh < sh; rh++)
            for (let rw = 0; rw < sw; rw++, slot++) {
              const [a, b] = [rows.taps[t][rh], cols.taps[u][rw]];
              if (a >= 0 && b >= 0) selection[slot * kh * kw + a * kw + b] = 1;
            }
      const picked = tf.matMul(
        tf.tensor2d(selection, [slots, kh * kw]),
        tf.reshape(this.weight, [kh * kw, this.inChannels * this.outChannels]),
      ); // [th·tw·sh·sw, in·out]
      const kernel = tf.reshape(
        tf.transpose(tf.reshape(picked, [th, tw, sh, sw, this.inChannels, this.outChannels]), [0, 1, 4, 2, 3, 5]),
        [th, tw, this.inChannels, sh * sw * this.outChannels],
      );

      // Input window: phase output q reads inputs q + dMin … q + dMin + t − 1; pad with zeros
      // (or crop) so the valid convolution yields exactly qh × qw outputs per phase.
      const window = (len: number, dMin: number, taps: number, q: number) => {
        const begin = Math.max(0, dMin);
        const end = Math.min(len, q + taps - 1 + dMin);
        const before = Math.max(0, -dMin);
        return { begin, size: Math.max(0, end - begin), before, after: q + taps - 1 - before - Math.max(0, end - begin) };
      };
      const wr = window(h, rows.dMin, th, qh);
      const wc = window(w, cols.dMin, tw, qw);
      let input = tf.slice(x, [0, wr.begin, wc.begin, 0], [n, wr.size, wc.size, this.inChannels]);
      input = tf.pad(input, [[0, 0], [wr.before, wr.after], [wc.before, wc.after], [0, 0]]);

      const phases = conv2dBias({
        x: input as tf.Tensor4D,
        filter: kernel as tf.Tensor4D,
        strides: 1,
        pad: "valid",
        bias: this.bias ? tf.tile(this.bias, [sh * sw]) : undefined,
      }); // [n, qh, qw, sh·sw·out]
      // Depth-to-space by reshape + transpose (tf.depthToSpace is slower on wasm and has no gradient).
      const interleaved = tf.reshape(
        tf.transpose(tf.reshape(phases, [n, qh, qw, sh, sw, this.outChannels]), [0, 1, 3, 2, 4, 5]),
        [n, qh * sh, qw * sw, this.outChannels],
      );
      return qh * sh === outH && qw * sw === outW
        ? interleaved
        : tf.slice(interleaved, [0, 0, 0, 0], [n, outH, outW, this.outChannels]);
    });
  }

  protected override extraOptions(): string {
    return this.outputPadding.some((p) => p !== 0) ? `, output_padding=${pyTuple(this.outputPadding)}` : "";
  }
}
