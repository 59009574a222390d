/**
 * @file The data movement around the conv gradients (conv2dBackpropInput.ts,
 * conv2dBackpropFilter.ts) as one wasm kernel each instead of chains of pad, slice, reshape,
 * reverse and transpose: on wasm those small tfjs kernels cost 40–500 µs each at lesson 03's
 * sizes (Reverse of a 3×3×32×32 filter ~0.5 ms, PadV2 of 12×12×32 ~0.3 ms; bench/step-profile.ts
 * counts them), more than the XNNPACK convolution they feed. JavaScript over the wasm heap:
 *
 * - `StripesSpreadPad`: out[n, i, j, c] = x[n, rows[i], cols[j], c], or 0 where rows[i] or
 *   cols[j] is −1, written as `[N, H, W, C]` ("nhwc"), `[C, H, W, N]` ("chwn") or `[H, W, N, C]`
 *   ("hwnc"). Zero padding, cropping, spreading by a stride (zeros between rows) and a following
 *   transpose, in one pass.
 * - `StripesRotateFilter`: w [kh, kw, C, O] → w[kh − 1 − i, kw − 1 − j, c, o] as [kh, kw, O, C],
 *   the filter the input gradient correlates with.
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";

export const SPREAD_PAD = "StripesSpreadPad";
export const ROTATE_FILTER = "StripesRotateFilter";

export type SpreadPadLayout = "nhwc" | "chwn" | "hwnc";

export const spreadPadConfig: tf.KernelConfig = {
  kernelName: SPREAD_PAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { rows, cols, layout } = attrs as unknown as { rows: number[]; cols: number[]; layout: SpreadPadLayout };
    const [n, h, w, c] = x.shape;
    const [H, W] = [rows.length, cols.length];
    const shape = layout === "nhwc" ? [n, H, W, c] : layout === "chwn" ? [c, H, W, n] : [H, W, n, c];
    const heap = wasmHeap(backend);
    const out = heap.makeOutput(shape, "float32"); // before the views: it may grow the heap
    const xs = heap.typedArrayFromHeap(x), ys = heap.typedArrayFromHeap(out);
    ys.fill(0);
    // where out[b, i, j, k] goes, as strides over (b, i, j, k)
    const [sb, si, sj, sk] = layout === "nhwc" ? [H * W * c, W * c, c, 1] : layout === "chwn" ? [1, W * n, n, H * W * n] : [c, W * n * c, n * c, 1];
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < H; i++) {
        const r = rows[i];
        if (r < 0) continue;
        for (let j = 0; j < W; j++) {
          const q = cols[j];
          if (q < 0) continue;
          const src = ((b * h + r) * w + q) * c, dst = b * sb + i * si + j * sj;
          if (sk === 1) for (let k = 0; k < c; k++) ys[dst + k] = xs[src + k];
          else for (let k = 0; k < c; k++) ys[dst + k * sk] = xs[src + k];
        }
      }
    }
    return out;
  },
};

export const rotateFilterConfig: tf.KernelConfig = {
  kernelName: ROTATE_FILTER,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { filter } = inputs as { filter: tf.TensorInfo };
    const [kh, kw, c, o] = filter.shape;
    const heap = wasmHeap(backend);
    const out = heap.makeOutput([kh, kw, o, c], "float32");
    const ws = heap.typedArrayFromHeap(filter), rs = heap.typedArrayFromHeap(out);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * c * o, dst = (i * kw + j) * o * c;
        for (let ci = 0; ci < c; ci++) for (let oi = 0; oi < o; oi++) rs[dst + oi * c + ci] = ws[src + ci * o + oi];
      }
    }
    return out;
  },
};

export const hasHeapKernels = () => tf.getKernel(SPREAD_PAD, tf.getBackend()) !== undefined;

/**
 * Row (or column) sources for an axis of length n: spread by `stride` (stride − 1 zeros between
 * entries), then `before` zeros in front (negative: that many dropped) and cut or zero-filled to `size`.
 */
export function axisSources(n: number, stride: number, before: number, size: number): number[] {
  const out = new Array<number>(size).fill(-1);
  for (let k = 0; k < n; k++) {
    const at = k * stride + before;
    if (at >= 0 && at < size) out[at] = k;
  }
  return out;
}

export function spreadPad(x: tf.Tensor4D, rows: number[], cols: number[], layout: SpreadPadLayout = "nhwc"): tf.Tensor4D {
  return tf.engine().runKernel(SPREAD_PAD, { x }, { rows, cols, layout } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

export function rotateFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.engine().runKernel(ROTATE_FILTER, { filter }) as tf.Tensor4D;
}
