/**
 * @file The PatchGAN discriminator's view, as a picture: each image beside its grid of patch
 * verdicts, for lesson 03.
 *
 * A least-squares PatchGAN learns to output 1 on real patches and 0 on fakes. Each verdict is
 * drawn as one square over the image's area, blended from red (0, "fake") through yellow (½) to
 * green (1, "real"); values outside [0, 1] are clipped. Rows are the images and, beside each, its
 * map, so a learner sees which patches D believes.
 *
 * Example:
 *   const maps = D_B.forward(images);                      // [N, 1, 6, 6]
 *   display.png(await verdictMapPng(images, maps, ["real striped", "G_AB(a)", "plain"]));
 */
import * as tf from "@tensorflow/tfjs-core";
import { StripesError } from "../../errors";
import { scaledPng } from "../shared/scaledPng";

/** red → yellow → green for a verdict in [0, 1] */
function verdictColour(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  return t < 0.5 ? [220, Math.round(60 + 2 * t * 160), 60] : [Math.round(220 - (t - 0.5) * 2 * 170), 220, 60];
}

/**
 * PNG bytes: image i (NCHW in [−1, 1]) and its verdict map i ([N, 1, h, w]) side by side, in one
 * column per image, `scale` screen pixels per image pixel.
 */
export async function verdictMapPng(images: tf.Tensor4D, maps: tf.Tensor4D, scale = 4): Promise<Uint8Array> {
  const [n, c, h, w] = images.shape;
  const [m, mc, mh, mw] = maps.shape;
  if (c !== 3 || m !== n || mc !== 1) {
    throw new StripesError(`verdictMapPng: expected images [N, 3, H, W] and maps [N, 1, h, w], but got [${images.shape.join(", ")}] and [${maps.shape.join(", ")}]`);
  }
  const gap = 2;
  const width = n * (w + gap) - gap;
  const height = 2 * h + gap;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const pixels = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255).dataSync());
  const verdicts = maps.dataSync();
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const to = (y * width + i * (w + gap) + x) * 3;
        for (let k = 0; k < 3; k++) rgb[to + k] = pixels[((i * 3 + k) * h + y) * w + x];
        // the map below the image, each verdict stretched over its share of the image's area
        const v = verdicts[(i * mh + Math.floor((y * mh) / h)) * mw + Math.floor((x * mw) / w)];
        const below = ((h + gap + y) * width + i * (w + gap) + x) * 3;
        rgb.set(verdictColour(v), below);
      }
    }
  }
  return scaledPng(rgb, width, height, scale);
}
