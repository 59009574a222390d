/**
 * @file The `nn` namespace (`nn.Conv2d`, `nn.Sequential`, …), as `torch.nn`.
 * Learner-facing tensors are NCHW; see module.ts for how layers keep NHWC inside.
 */
export { Module, StateDictError } from "./module";
export { ModuleError } from "./errors";
export type { StateDict, LoadResult } from "./module";
export { Sequential } from "./sequential";
export { Conv2d } from "./conv2d";
export type { Conv2dOptions } from "./conv2d";
export { ConvTranspose2d } from "./convTranspose2d";
export type { ConvTranspose2dOptions } from "./convTranspose2d";
export { InstanceNorm2d } from "./instanceNorm2d";
export { BatchNorm2d } from "./batchNorm2d";
export type { NormOptions } from "./normBase";
export { ReflectionPad2d } from "./reflectionPad2d";
export { ReLU } from "./relu";
export { LeakyReLU } from "./leakyRelu";
export { Tanh } from "./tanh";
export { Dropout } from "./dropout";
export { Adam, adam } from "./adam";
