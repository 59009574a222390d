/**
 * @file The book's inference pipeline on one photo, on plain arrays so that any engine can run
 * the generator in between:
 *
 *     preprocess = transforms.Compose([transforms.Resize(256), transforms.ToTensor()])
 *     batch = torch.unsqueeze(preprocess(img), 0)          # [1, C, H, W] in [0, 1]
 *     out_t = (netG(batch).data.squeeze() + 1.0) / 2.0
 *     out_img = transforms.ToPILImage()(out_t)
 *
 * The photo is first converted to the generator's channel count (L for 1, RGB for 3), as PIL's
 * `convert` would.
 */
import { Image } from "../vision/image";
import { modeFor } from "../vision/convert";
import { Resize } from "../vision/transforms/resize";
import { fromCHW, toCHW } from "../vision/chw";
import type { NCHW } from "../engine/engine";

/** Resize (unless `size` is null) and ToTensor, as a [1, C, H, W] float32 batch. */
export function preprocess(img: Image, channels: number, size: number | null): NCHW {
  const mode = modeFor(channels);
  let x = img.mode === mode ? img : img.convert(mode);
  if (size !== null) x = Resize(size)(x);
  return { data: toCHW(x), dims: [1, channels, x.height, x.width] };
}

/** `(y.squeeze() + 1) / 2`, then ToPILImage (`mul(255).byte()`, which truncates), all in float32. */
export function postprocess(y: NCHW): Image {
  const [, channels, h, w] = y.dims;
  // (v + 1) / 2 in double, stored as float32, is float32's (v + 1) then / 2: double has over
  // twice float32's precision, so rounding twice gives the same float.
  const out_t = y.data.map((v) => (v + 1) / 2);
  return new Image(w, h, modeFor(channels), fromCHW(out_t, channels, h, w, true));
}
