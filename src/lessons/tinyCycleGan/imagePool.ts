/**
 * @file CycleGAN's image pool (pytorch-CycleGAN-and-pix2pix, util/image_pool.py): the
 * discriminators learn from a history of generated images, not only the latest ones, which
 * damps the oscillation of the two players (Shrivastava et al., 2017).
 *
 * Porting note: as the original, until the pool is full every image goes in and comes back out;
 * afterwards each image, with probability ½, is swapped for a random stored one (which is
 * returned) or else returned as is. The random source is seeded here, so runs repeat.
 *
 * Example:
 *   const poolB = new ImagePool(50);
 *   const fakeForD = poolB.query(fakeB);   // [N, C, H, W], some images from earlier steps
 */
import * as tf from "@tensorflow/tfjs-core";
import { seededRandom } from "../shared/random";

export class ImagePool {
  private readonly images: tf.Tensor3D[] = [];
  private readonly random: () => number;

  constructor(
    readonly poolSize = 50,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  /** Images the discriminator should see instead of `images` ([N, C, H, W]); the caller owns the result. */
  query(images: tf.Tensor4D): tf.Tensor4D {
    if (this.poolSize === 0) return tf.clone(images);
    const out: tf.Tensor3D[] = [];
    for (const image of tf.unstack(images) as tf.Tensor3D[]) {
      const kept = tf.keep(image);
      if (this.images.length < this.poolSize) {
        this.images.push(kept);
        out.push(kept);
      } else if (this.random() > 0.5) {
        const k = Math.floor(this.random() * this.poolSize);
        out.push(this.images[k]);
        this.images[k] = kept;
      } else {
        out.push(kept);
      }
    }
    const batch = tf.stack(out) as tf.Tensor4D;
    for (const t of out) if (!this.images.includes(t)) t.dispose(); // neither stored nor still in the pool
    return batch;
  }

  get size(): number {
    return this.images.length;
  }

  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images.length = 0;
  }
}
