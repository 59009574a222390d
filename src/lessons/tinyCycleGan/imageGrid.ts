/**
 * @file A grid of images as one PNG, for showing samples in a notebook (`tslab.display.png`).
 * Each row is an NCHW batch in [−1, 1] (the generator's range); rows may differ in length.
 */
import * as tf from "@tensorflow/tfjs-core";
import { LessonError } from "../shared/errors";
import { scaledPng } from "../shared/scaledPng";

/** PNG bytes of the rows of images side by side, each pixel drawn as `scale`×`scale`, with a 2 px gap. */
export async function imageGridPng(rows: tf.Tensor4D[], scale = 3): Promise<Uint8Array> {
  const [, c, h, w] = rows[0].shape;
  if (c !== 3 && c !== 1) throw new LessonError(`imageGridPng expects images of 1 or 3 channels, but got ${c} (shape [${rows[0].shape.join(", ")}])`);
  const gap = 2;
  const cols = Math.max(...rows.map((r) => r.shape[0]));
  const width = cols * (w + gap) - gap;
  const height = rows.length * (h + gap) - gap;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) => {
    const pixels = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(tf.transpose(row, [0, 2, 3, 1]), 1), 127.5)), 0, 255), "int32").dataSync()); // [N, H, W, C]
    for (let n = 0; n < row.shape[0]; n++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const to = ((r * (h + gap) + y) * width + n * (w + gap) + x) * 3;
          const from = ((n * h + y) * w + x) * c;
          for (let k = 0; k < 3; k++) rgb[to + k] = pixels[from + (c === 3 ? k : 0)];
        }
      }
    }
  });
  return scaledPng(rgb, width, height, scale);
}
