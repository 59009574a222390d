/**
 * @file stripes' `torch` namespace: reading and writing PyTorch checkpoints.
 * Users write `torch.load(path)` and `torch.save(obj, path)`, as in PyTorch.
 */
export { load, loadRaw, isRawTensor, tensorFromRaw, MAX_DEPTH } from "./load";
export type { LoadOptions, RawTensor } from "./load";
export { CheckpointError } from "./errors";
export { metadataOf } from "./globals";
export type { DType, Values } from "./dtypes";
export { save, serialize } from "./save";
