/** @file The book's models. */
export { ResNetGenerator, ResNetBlock } from "./resnetGenerator";
export { NLayerDiscriminator } from "./nLayerDiscriminator";
export type { NormKind } from "./nLayerDiscriminator";
export { generatorConfig, NotAGeneratorError } from "./generatorConfig";
export { loadGenerator, generatorFromStateDict } from "./loadGenerator";
export type { LoadedGenerator, LoadGeneratorOptions } from "./loadGenerator";
export { ModelError } from "./errors";
export type { GeneratorConfig } from "./generatorConfig";
