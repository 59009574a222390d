/**
 * @file What the lessons beyond the article (02 the GAN game, 03 a tiny CycleGAN) share:
 * toy data, measures, charts and the exercises' checks.
 */
export { seededRandom, seededNormal } from "./random";
export { ringOfGaussians, ringCenters, spiral, RING_DEFAULTS } from "./toyData";
export type { RingOptions, SpiralOptions } from "./toyData";
export { modeCoverage } from "./modeCoverage";
export { plainShapes, stripedShapes, STRIPE_PERIOD, PALETTE, BACKGROUND, STRIPE_LEVEL } from "./shapes";
export type { ShapeOptions, StripeOrientation } from "./shapes";
export { stripeScore, stripeScores, stripedShare, isStriped, STRIPED } from "./stripeScore";
export type { StripeScore } from "./stripeScore";
export { shapeMask, shapeMasks, maskIoU, MASK_THRESHOLD } from "./shapeMask";
export { shapeColour, shapeColours, colourError } from "./shapeColour";
export { psnr } from "./psnr";
export { ImagePool } from "./imagePool";
export { initWeights } from "./initWeights";
export { imageGridPng } from "./imageGrid";
export type { Coverage } from "./modeCoverage";
export { renderSvg, renderPng, ganGameSpec, surfaceGrid, lineSpec } from "./plot";
export type { GanGameFrame, Spec } from "./plot";
export { check, exercise, ExerciseError } from "./check";
export { EXERCISES } from "./exercises";
export type { Exercise, Verdict } from "./exercises";
export { stripSolutions, hasSolutions, exerciseNotebook } from "./exerciseVersion";
export { verdictMapPng } from "./verdictMap";
export { translationMeasures, realMeasures, measuresTable } from "./translationMeasures";
export type { TranslationMeasures, DirectionMeasures } from "./translationMeasures";
export { fallbackCheckpoint } from "./fallback";
