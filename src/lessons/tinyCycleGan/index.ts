/**
 * @file Lesson 03, a tiny CycleGAN: what its notebook takes from `lessons` (the shapes data, the
 * training helpers, the pictures, the measures and their thresholds, the pretrained fallback).
 */
export { plainShapes, stripedShapes } from "./shapes";
export { ImagePool } from "./imagePool";
export { initWeights } from "./initWeights";
export { imageGridPng } from "./imageGrid";
export { verdictMapPng } from "./verdictMap";
export { translationMeasures, realMeasures, measuresTable, THRESHOLDS, missedThresholds, thresholdLines } from "./translationMeasures";
export { fallbackCheckpoint, hasFallback, fallbackProvenance } from "./fallback";
