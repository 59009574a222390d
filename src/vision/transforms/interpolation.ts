/**
 * @file torchvision's InterpolationMode and the PIL filter each one selects
 * (torchvision/transforms/functional.py `pil_modes_mapping`).
 */
import { Resampling, ResamplingCode } from "../resample";
import { VisionError } from "../errors";

export const InterpolationMode = {
  NEAREST: "nearest",
  NEAREST_EXACT: "nearest-exact",
  BILINEAR: "bilinear",
  BICUBIC: "bicubic",
  BOX: "box",
  HAMMING: "hamming",
  LANCZOS: "lanczos",
} as const;
export type InterpolationMode = (typeof InterpolationMode)[keyof typeof InterpolationMode];

const PIL_MODES: Record<InterpolationMode, ResamplingCode> = {
  nearest: Resampling.NEAREST,
  "nearest-exact": Resampling.NEAREST,
  bilinear: Resampling.BILINEAR,
  bicubic: Resampling.BICUBIC,
  box: Resampling.BOX,
  hamming: Resampling.HAMMING,
  lanczos: Resampling.LANCZOS,
};

/** The PIL filter for a mode name or a PIL integer code (torchvision still accepts both). */
export function pilFilter(mode: InterpolationMode | ResamplingCode): { code: ResamplingCode; name: InterpolationMode } {
  if (typeof mode === "number") {
    const name = (Object.keys(PIL_MODES) as InterpolationMode[]).find((k) => PIL_MODES[k] === mode);
    if (name === undefined) throw new VisionError(`unknown PIL interpolation code ${mode} (0 to 5)`);
    return { code: mode, name };
  }
  const code = PIL_MODES[mode];
  if (code === undefined) {
    throw new VisionError(`unknown interpolation '${mode}' (choose one of ${Object.keys(PIL_MODES).join(", ")})`);
  }
  return { code, name: mode };
}
