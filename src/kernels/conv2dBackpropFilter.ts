/**
 * @file `Conv2DBackpropFilter` for the wasm backend, which tfjs 4.22 does not register: without
 * it, the gradient of every conv layer's weight (and of ConvTranspose2d's) throws
 * "Cannot find registered kernel 'Conv2DBackpropFilter' for backend 'wasm'".
 *
 * The filter gradient of y = conv2d(x, w) is itself a convolution, with batch and channels
 * swapped and the stride turned into a dilation:
 *
 *   dw[i, j, c, o] = Σ_{n, p, q} xpad[n, p·s + i, q·s + j, c] · dy[n, p, q, o]
 *                  = conv2d(xpad as [C, H, W, N], dy as [oh, ow, N, O], dilation s)[c, i, j, o]
 *
 * so it runs on wasm's XNNPACK conv2d (bench/wasm-conv-grad.ts: 100–1000× the cpu backend).
 * The forward gradient asserts dilations of 1, so the original dilation never needs handling.
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisSources, hasHeapKernels, spreadPad } from "./spreadPad";

export function conv2dBackpropFilter(xIn: tf.Tensor4D, dyIn: tf.Tensor4D, attrs: tf.Conv2DBackpropFilterAttrs): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  return tf.tidy(() => {
    // Work in NHWC; tfjs's conv ops accept NCHW but the kernels below are channels-last.
    const nchw = dataFormat === "NCHW";
    const x = nchw ? tf.transpose(xIn, [0, 2, 3, 1]) : xIn; // [N, H, W, C]
    const dy = nchw ? tf.transpose(dyIn, [0, 2, 3, 1]) : dyIn; // [N, oh, ow, O]
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, "channelsLast",
    );
    const { top, bottom, left, right } = info.padInfo;
    const dilated = info.strideHeight > 1 || info.strideWidth > 1;
    const dilations: [number, number] | 1 = dilated ? [info.strideHeight, info.strideWidth] : 1;
    const [, h, w] = x.shape;
    if (hasHeapKernels()) {
      // pad-and-transpose, transpose, and crop-and-transpose as one wasm-heap pass each
      const ident = (len: number) => axisSources(len, 1, 0, len);
      const xT = spreadPad(x as tf.Tensor4D, axisSources(h, 1, top, h + top + bottom), axisSources(w, 1, left, w + left + right), "chwn");
      // [N, oh, ow, O] → [oh, ow, N, O]: for one image the same bytes, a reshape (no copy)
      const [n, oh, ow, o] = dy.shape;
      const dyT = n === 1 ? tf.reshape(dy, [oh, ow, 1, o]) as tf.Tensor4D : spreadPad(dy as tf.Tensor4D, ident(oh), ident(ow), "hwnc");
      const r = tf.conv2d(xT, dyT, 1, "valid", "NHWC", dilations);
      return spreadPad(r, axisSources(r.shape[1], 1, 0, info.filterHeight), axisSources(r.shape[2], 1, 0, info.filterWidth), "hwnc");
    }
    const xpad = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const xT = tf.transpose(xpad, [3, 1, 2, 0]); // [C, Hp, Wp, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, N, O], used as the filter
    const r = tf.conv2d(xT, dyT, 1, "valid", "NHWC", dilations); // [C, ≥kh, ≥kw, O]
    // Rows and columns the forward stride never reached come out extra: drop them.
    const cropped = tf.slice(r, [0, 0, 0, 0], [-1, info.filterHeight, info.filterWidth, -1]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D; // [kh, kw, C, O]
  });
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs }) => {
    const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
    return conv2dBackpropFilter(x, dy, attrs as unknown as tf.Conv2DBackpropFilterAttrs);
  },
};
