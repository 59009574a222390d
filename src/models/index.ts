/** @file The book's models. */
export { ResNetGenerator, ResNetBlock } from "./resnetGenerator";
export { NLayerDiscriminator } from "./nLayerDiscriminator";
export type { NormKind } from "./nLayerDiscriminator";
export { generatorConfig, generatorFromStateDict, NotAGeneratorError } from "./generatorConfig";
export { ModelError } from "./errors";
export type { GeneratorConfig } from "./generatorConfig";
