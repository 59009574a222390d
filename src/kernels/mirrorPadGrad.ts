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
 */
import * as tf from "@tensorflow/tfjs";

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

export const mirrorPadGradConfig: tf.GradConfig = {
  kernelName: tf.MirrorPad,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { paddings, mode } = attrs as unknown as tf.MirrorPadAttrs;
    return { x: () => mirrorPadBackward(dy as tf.Tensor, x.shape, paddings, mode) };
  },
};
