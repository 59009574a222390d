/**
 * @file The `transforms` namespace, as torchvision.transforms: each transform is a function that
 * returns a callable (`transforms.Resize(256)(img)`), composable with `transforms.Compose`.
 */
export { Compose } from "./compose";
export { Resize, resizedSize } from "./resize";
export { CenterCrop } from "./centerCrop";
export { ToTensor } from "./toTensor";
export { Normalize } from "./normalize";
export { ToPILImage } from "./toPILImage";
export { InterpolationMode } from "./interpolation";
export type { Transform } from "./transform";
