/**
 * @file What the lessons beyond the article (02 the GAN game, 03 a tiny CycleGAN) share:
 * toy data, measures, charts and the exercises' checks.
 */
export { seededRandom, seededNormal } from "./random";
export { ringOfGaussians, ringCenters, spiral, RING_DEFAULTS } from "./toyData";
export type { RingOptions, SpiralOptions } from "./toyData";
export { modeCoverage } from "./modeCoverage";
export { plainShapes, stripedShapes, STRIPE_PERIOD } from "./shapes";
export type { ShapeOptions } from "./shapes";
export { stripeEnergy, meanStripeEnergy } from "./stripeEnergy";
export { ImagePool } from "./imagePool";
export { initWeights } from "./initWeights";
export { imageGridPng } from "./imageGrid";
export type { Coverage } from "./modeCoverage";
export { renderSvg, renderPng, ganGameSpec, surfaceGrid, lineSpec } from "./plot";
export type { GanGameFrame, Spec } from "./plot";
export { check, exercise, ExerciseError } from "./check";
export { LessonError } from "./errors";
export { EXERCISES } from "./exercises";
export type { Exercise, Verdict } from "./exercises";
