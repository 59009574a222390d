/**
 * @file The GAN game's losses (lesson 02), from D's logits s (D's probability "real" is σ(s)).
 *
 * - non-saturating (Goodfellow et al. 2014, what everyone trains with): L_D = BCE(real → 1) +
 *   BCE(fake → 0); L_G = −mean log D(G(z)).
 * - minimax (the original game): the same L_D; L_G = mean log(1 − D(G(z))), flat where D rejects
 *   the fakes, so G stalls early on.
 * - least-squares (LSGAN, Mao et al. 2017, CycleGAN's choice): D's raw output regressed to 1 for
 *   real and 0 for fake; G's to 1.
 */
import * as tf from "@tensorflow/tfjs-core";

export type LossName = "non-saturating" | "minimax" | "least-squares";
export const LOSS_NAMES: LossName[] = ["non-saturating", "minimax", "least-squares"];

export type DLoss = (dReal: tf.Tensor, dFake: tf.Tensor) => tf.Tensor;
export type GLoss = (dFake: tf.Tensor) => tf.Tensor;

// sigmoidCrossEntropy(labels, logits) = mean of −[y·log σ(s) + (1 − y)·log(1 − σ(s))], computed stably
const bce = (logits: tf.Tensor, label: 0 | 1) => tf.losses.sigmoidCrossEntropy(label === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits);
const squaredFrom = (d: tf.Tensor, target: 0 | 1) => tf.mean(tf.square(tf.sub(d, target)));

/** D's loss in the log-loss games: real points → 1, fakes → 0, the two mean BCE terms added. */
export const dLoss: DLoss = (dReal, dFake) => tf.add(bce(dReal, 1), bce(dFake, 0));
/** G's non-saturating loss: −mean log D(G(z)), i.e. BCE with label 1 on the fakes. */
export const gLossNonSaturating: GLoss = (dFake) => bce(dFake, 1);
/** G's minimax loss: mean log(1 − σ(s)) = −mean softplus(s). */
export const gLossMinimax: GLoss = (dFake) => tf.neg(tf.mean(tf.softplus(dFake)));
/** LSGAN's D loss (with CycleGAN's ½ on D). */
export const dLossLeastSquares: DLoss = (dReal, dFake) => tf.mul(0.5, tf.add(squaredFrom(dReal, 1), squaredFrom(dFake, 0)));
/** LSGAN's G loss. */
export const gLossLeastSquares: GLoss = (dFake) => squaredFrom(dFake, 1);

export interface Losses {
  d: DLoss;
  g: GLoss;
}

/** The pair of losses for a game; `own` replaces the built-in ones (the learner's, lesson 02). */
export function lossesFor(name: LossName, own: { dLoss?: DLoss; gLoss?: GLoss; minimaxGLoss?: GLoss } = {}): Losses {
  if (name === "least-squares") return { d: dLossLeastSquares, g: gLossLeastSquares };
  const d = own.dLoss ?? dLoss;
  return name === "minimax" ? { d, g: own.minimaxGLoss ?? gLossMinimax } : { d, g: own.gLoss ?? gLossNonSaturating };
}
