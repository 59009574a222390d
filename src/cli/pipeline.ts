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
import type { NCHW } from "../engine/engine";

/** Resize (unless `size` is null) and ToTensor, as a [1, C, H, W] float32 batch. */
export function preprocess(img: Image, channels: number, size: number | null): NCHW {
  const mode = modeFor(channels);
  let x = img.mode === mode ? img : img.convert(mode);
  if (size !== null) x = Resize(size)(x);
  const { width: w, height: h, data } = x;
  const plane = w * h;
  const out = new Float32Array(channels * plane);
  // Porting note: torchvision's to_tensor is `img.permute(2, 0, 1).float().div(255)`; k/255 in
  // double rounded once to float32 is the float32 quotient (the double is exact enough).
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < channels; c++) out[c * plane + i] = data[i * channels + c] / 255;
  }
  return { data: out, dims: [1, channels, h, w] };
}

/** `(y.squeeze() + 1) / 2`, then ToPILImage (`mul(255).byte()`, which truncates), all in float32. */
export function postprocess(y: NCHW): Image {
  const [, channels, h, w] = y.dims;
  const plane = w * h;
  const bytes = new Uint8Array(channels * plane);
  const f = Math.fround;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) {
      const v = f(f(f(y.data[c * plane + i] + 1) / 2) * 255);
      bytes[i * channels + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
    }
  }
  return new Image(w, h, modeFor(channels), bytes);
}
