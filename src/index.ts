/**
 * @file The public API of stripes. Only what is exported here is public; notebooks and the CLI
 * import from this file alone. Re-exports come in groups, following the data's path:
 * file bytes → state dict → module → tensor → image.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export const version: string = require("../package.json").version;

// Backend: which TensorFlow.js backend computes.
export { ready, useBackend, backendName, BACKENDS } from "./backend";
export type { BackendName } from "./backend";

// Checkpoints: `torch.load` / `torch.save` for PyTorch's files (zip and legacy formats).
export * as torch from "./torch";
export { CheckpointError } from "./torch";

// Modules: the `nn` namespace (as torch.nn) and the book's models.
export * as nn from "./nn";
export { ResNetGenerator, ResNetBlock, NLayerDiscriminator } from "./models";
export type { NormKind } from "./models";

// Tensors: PyTorch-named helpers over plain tfjs tensors.
export { unsqueeze, squeeze } from "./tensor";

// Images: PIL's `Image` (sharp codecs, PIL-exact resize), torchvision's `transforms`, inline display.
export { Image } from "./vision/image";
export type { Mode } from "./vision/image";
export { ImageError } from "./vision/errors";
export * as transforms from "./vision/transforms";
export { display } from "./notebook/display";
