/**
 * @file What the lessons beyond the article (02 the GAN game, 03 a tiny CycleGAN) share:
 * toy data, measures, charts and the exercises' checks.
 */
export { seededRandom, seededNormal } from "./random";
export { ringOfGaussians, ringCenters, spiral, twoMoons, pointsMixture, RING_DEFAULTS } from "./toyData";
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
export { check, answerOr, judge, exercise, ExerciseError } from "./check";
export type { Outcome } from "./check";
export { dLoss, gLossNonSaturating, gLossMinimax, dLossLeastSquares, gLossLeastSquares, lossesFor, LOSS_NAMES } from "./ganLosses";
export type { LossName, DLoss, GLoss, Losses } from "./ganLosses";
export { EXERCISES } from "./exercises";
export type { Exercise, Verdict } from "./exercises";
export { verdictMapPng } from "./verdictMap";
export { translationMeasures, realMeasures, measuresTable, THRESHOLDS, missedThresholds, thresholdLines } from "./translationMeasures";
export type { TranslationMeasures, DirectionMeasures, Threshold } from "./translationMeasures";
export { fallbackCheckpoint, hasFallback, fallbackProvenance } from "./fallback";
export type { FallbackProvenance, FallbackSnapshot } from "./fallback";
export { LessonError } from "./errors";
export { GanGame, GAME_DEFAULTS, DATA_NAMES, EXTENT } from "./ganGame";
export type { GameSettings, Snapshot, OwnLosses, DataName } from "./ganGame";
export { renderFrame, framePng, DEFAULT_VIEWS, VIEW_NAMES } from "./ganView";
export type { Views, FrameOptions } from "./ganView";
export { Playground, Picture } from "./ganPlayground";
export type { RunOptions } from "./ganPlayground";
