/**
 * @file A faster `Conv2DBackpropInput` for the wasm backend: the input gradient of every conv
 * layer (and the forward pass of tf.conv2dTranspose). tfjs 4.22's wasm kernel is a plain loop,
 * ~10× slower than its XNNPACK conv2d; here the same sum runs as one conv2d:
 *
 *   dx[n, y, x, c] = Σ_{i, j, o} dy[n, p, q, o] · w[i, j, c, o],  where y = p·s − top + i
 *
 * Spread dy out by the stride (s − 1 zeros between rows and columns), pad it by kh − 1 − top
 * above (and enough below to give H rows), and correlate with w rotated by 180° and with its
 * channel axes swapped: [kh, kw, C, O] → [kh, kw, O, C].
 *
 * On wasm this runs for every stride. With stride 2 it multiplies by the inserted zeros too, and
 * while the spreading and padding were tf.pad/tf.slice chains that lost to tfjs's loop; as one
 * wasm-heap pass (spreadPad.ts) it wins (2026-12-02, loaded 2-core machine, µs per call, tfjs loop
 * → this: lesson 03's 3×3 s2 8→16 @32 batch 4 1,069 → 364, 16→32 @16 803 → 329, PatchGAN's 4×4
 * s2 3→8 @32 409 → 336; 3×3 s2 16→32 @64 3,285 → 1,794; the book's 3×3 s2 64→128 @128 191 ms → 66 ms;
 * one case even: 4×4 s2 3→32 @64 1,010 → 1,079). Without the heap kernels (other backends'
 * callers of the exported function) stride 1 and the composed ops are as before.
 */
import * as tf from "@tensorflow/tfjs-core";
import { sharedSlot } from "../notebook/slots";
import { axisSources, hasHeapKernels, rotateFilter, spreadPad } from "./spreadPad";

/**
 * The rotated filter per filter buffer. A weight used several times in a step (lesson 03 runs
 * each generator three times) is rotated once, and its XNNPACK convolution, which tfjs caches
 * per filter tensor, is packed once too. The tape's saved copy of a weight shares the weight's
 * buffer (identity.ts), so the key is the weight's. An entry goes when its buffer is freed
 * (checked on each miss: a weight's old buffer is freed when the optimizer assigns a new one).
 * After a training loop the last step's rotations stay until the next miss; memory() frees them
 * first (the speedCaches slot), so that what it counts, and the kernel's memory guard compares,
 * is what the learner's names hold, not this cache (lesson 03's loop left one per conv weight).
 */
const rotations = new Map<tf.DataId, tf.Tensor4D>();

/** Frees every cached rotation (they are made again on next use); how many it freed. */
export function releaseRotations(): number {
  const n = rotations.size;
  for (const r of rotations.values()) r.dispose();
  rotations.clear();
  return n;
}
sharedSlot("speedCaches", () => new Set<() => unknown>()).add(releaseRotations);

function rotatedOnce(filter: tf.Tensor4D): tf.Tensor4D {
  const hit = rotations.get(filter.dataId);
  if (hit !== undefined && !hit.isDisposed) return hit;
  const storage = (tf.backend() as unknown as { dataIdMap: { has(id: tf.DataId): boolean } }).dataIdMap;
  for (const [id, r] of rotations) {
    if (!storage.has(id) || r.isDisposed) {
      r.dispose();
      rotations.delete(id);
    }
  }
  const r = tf.keep(rotateFilter(filter));
  rotations.set(filter.dataId, r);
  return r;
}

/** Pads (positive) or crops (negative) each side of axes 1 and 2 of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const cropped = tf.slice(x, [0, Math.max(0, -top), Math.max(0, -left), 0], [n, h - Math.max(0, -top) - Math.max(0, -bottom), w - Math.max(0, -left) - Math.max(0, -right), c]);
  return tf.pad(cropped, [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]);
}

export function conv2dBackpropInput(dyIn: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.Conv2DBackpropInputAttrs): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  return tf.tidy(() => {
    const nchw = dataFormat === "NCHW";
    const dy = nchw ? (tf.transpose(dyIn, [0, 2, 3, 1]) as tf.Tensor4D) : dyIn; // [N, oh, ow, O]
    const xShape = (nchw ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]] : inputShape) as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(xShape, filter.shape, strides, 1, pad, dimRoundingMode, false, "channelsLast");
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const [n, oh, ow, o] = dy.shape;
    const [h, w] = [xShape[1], xShape[2]];
    const { top, left } = info.padInfo;
    let padded: tf.Tensor4D, rotated: tf.Tensor4D;
    if (hasHeapKernels()) {
      // the spread, pad and crop below in one wasm-heap pass, and the rotation in another
      padded = spreadPad(dy, axisSources(oh, sh, kh - 1 - top, h + kh - 1), axisSources(ow, sw, kw - 1 - left, w + kw - 1));
      rotated = rotatedOnce(filter);
    } else {
      let spread = dy;
      if (sh > 1 || sw > 1) {
        // [N, oh, ow, O] → [N, oh, 1, ow, 1, O] → zeros after each row/column → [N, oh·sh, ow·sw, O]
        const r = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, o]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
        spread = tf.slice(tf.reshape(r, [n, oh * sh, ow * sw, o]), [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, o]) as tf.Tensor4D;
      }
      padded = padOrCrop(
        spread,
        kh - 1 - top,
        h + top - (oh - 1) * sh - 1,
        kw - 1 - left,
        w + left - (ow - 1) * sw - 1,
      ); // [N, h + kh − 1, w + kw − 1, O]
      rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // [kh, kw, O, C]
    }
    const dx = tf.conv2d(padded, rotated, 1, "valid"); // [N, h, w, C]
    return nchw ? (tf.transpose(dx, [0, 3, 1, 2]) as tf.Tensor4D) : dx;
  });
}

/** Wraps wasm's own kernel: every stride goes to `conv2dBackpropInput` (stride 1 only without the heap kernels). */
export function fasterConv2dBackpropInput(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const unitStride = attrs.strides === 1 || (Array.isArray(attrs.strides) && attrs.strides[0] === 1 && attrs.strides[1] === 1);
      if (!unitStride && !hasHeapKernels()) return original.kernelFunc(args);
      const { dy, filter } = args.inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
      return conv2dBackpropInput(dy, filter, attrs);
    },
  };
}
