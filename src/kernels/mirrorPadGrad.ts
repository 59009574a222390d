/**
 * @file A correct gradient for `MirrorPad` (tf.mirrorPad, behind ReflectionPad2d).
 *
 * Porting note: tfjs 4.22's MirrorPad_grad.ts slices the centre out of dy, as for zero padding,
 * and drops the gradient that flows through the mirrored border copies. PyTorch's
 * reflection_pad2d_backward adds those copies back onto the pixels they came from, and so do we.
 *
 * Along one axis with paddings [a, b] and length n, padded position k reads x at
 *   reflect:   k < a → a − k         k ≥ a + n → 2(n − 1) − (k − a)
 *   symmetric: k < a → a − 1 − k     k ≥ a + n → 2n − 1 − (k − a)
 * so the left strip, reversed, lands on x[1..a] (reflect) or x[0..a−1] (symmetric), and the
 * right strip, reversed, on x[n−1−b..n−2] or x[n−b..n−1].
 *
 * On wasm that fold is one kernel (`StripesMirrorPadGrad`, JS over the heap): each dy value is
 * added onto the x pixel it was read from, in dy's order, as PyTorch's backward loop does. As tf
 * ops it cost ~16 calls per ReflectionPad2d (792 of lesson 03's ~5,900 per step).
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmHeap } from "./wasmHeap";

function foldAxis(dy: tf.Tensor, axis: number, a: number, b: number, n: number, mode: "reflect" | "symmetric"): tf.Tensor {
  if (a === 0 && b === 0) return dy;
  const size = (len: number) => dy.shape.map((d, i) => (i === axis ? len : d));
  const begin = (at: number) => dy.shape.map((_, i) => (i === axis ? at : 0));
  const zeros = (before: number, after: number) => dy.shape.map((_, i) => (i === axis ? [before, after] : [0, 0])) as [number, number][];
  const shift = mode === "reflect" ? 1 : 0;
  let dx = tf.slice(dy, begin(a), size(n));
  if (a > 0) {
    const strip = tf.reverse(tf.slice(dy, begin(0), size(a)), axis);
    dx = tf.add(dx, tf.pad(strip, zeros(shift, n - shift - a)));
  }
  if (b > 0) {
    const strip = tf.reverse(tf.slice(dy, begin(a + n), size(b)), axis);
    dx = tf.add(dx, tf.pad(strip, zeros(n - shift - b, shift)));
  }
  return dx;
}

/** The gradient of mirrorPad(x, paddings, mode) with respect to x, given dy (same rank as x). */
export function mirrorPadBackward(dy: tf.Tensor, xShape: number[], paddings: [number, number][], mode: "reflect" | "symmetric"): tf.Tensor {
  return tf.tidy(() => {
    let g = dy;
    for (let axis = 0; axis < xShape.length; axis++) {
      g = foldAxis(g, axis, paddings[axis][0], paddings[axis][1], xShape[axis], mode);
    }
    return g;
  });
}

export const MIRROR_PAD_GRAD = "StripesMirrorPadGrad";

/** For one axis: the x index each padded position reads (the forward's mapping, see above). */
function sourceIndex(a: number, n: number, padded: number, mode: "reflect" | "symmetric"): Int32Array {
  const m = new Int32Array(padded);
  for (let k = 0; k < padded; k++) {
    const i = k - a;
    m[k] = i < 0 ? (mode === "reflect" ? -i : -i - 1) : i >= n ? (mode === "reflect" ? 2 * (n - 1) - i : 2 * n - 1 - i) : i;
  }
  return m;
}

export const mirrorPadGradKernelConfig: tf.KernelConfig = {
  kernelName: MIRROR_PAD_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy } = inputs as { dy: tf.TensorInfo };
    const { paddings, mode, xShape } = attrs as unknown as { paddings: [number, number][]; mode: "reflect" | "symmetric"; xShape: number[] };
    const wasm = wasmHeap(backend);
    const out = wasm.makeOutput([...xShape], "float32"); // before the views: it may grow the heap
    const dys = wasm.typedArrayFromHeap(dy), dx = wasm.typedArrayFromHeap(out);
    dx.fill(0);
    // as rank 4, leading axes of 1
    const lead = 4 - xShape.length;
    const X = [...Array(lead).fill(1), ...xShape], D = [...Array(lead).fill(1), ...dy.shape];
    const P = [...Array(lead).fill([0, 0]), ...paddings] as [number, number][];
    const [m0, m1, m2, m3] = [0, 1, 2, 3].map((ax) => sourceIndex(P[ax][0], X[ax], D[ax], mode));
    const [s0, s1, s2] = [X[1] * X[2] * X[3], X[2] * X[3], X[3]];
    let i = 0;
    for (let a = 0; a < D[0]; a++) {
      for (let b = 0; b < D[1]; b++) {
        for (let c = 0; c < D[2]; c++) {
          const row = m0[a] * s0 + m1[b] * s1 + m2[c] * s2;
          for (let d = 0; d < D[3]; d++, i++) dx[row + m3[d]] += dys[i];
        }
      }
    }
    return out;
  },
};

export const mirrorPadGradConfig: tf.GradConfig = {
  kernelName: tf.MirrorPad,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { paddings, mode } = attrs as unknown as tf.MirrorPadAttrs;
    const fused = x.rank <= 4 && x.dtype === "float32" && tf.getKernel(MIRROR_PAD_GRAD, tf.getBackend()) !== undefined;
    return {
      x: () =>
        fused
          ? (tf.engine().runKernel(MIRROR_PAD_GRAD, { dy: dy as tf.Tensor }, { paddings, mode, xShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor)
          : mirrorPadBackward(dy as tf.Tensor, x.shape, paddings, mode),
    };
  },
};
