/** @file Lesson 03's exercises: the cycle loss and the discriminator's LSGAN loss (which the lesson trains with), a downsampling shape, the LSGAN generator loss. */
import * as tf from "@tensorflow/tfjs-core";
import type { Exercise } from "../shared/exercise";
import { judgeOnTorchCases, judgeShape, judgeTensorFunction, testTensor } from "../shared/judges";

const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b)));
const l2 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b)));
/** The built-in answers, which lesson 03 trains with until the learner's pass (answerOr). */
const cycleLoss = (realA: tf.Tensor, recA: tf.Tensor, realB: tf.Tensor, recB: tf.Tensor) => tf.mul(10, tf.add(l1(recA, realA), l1(recB, realB)));
const lsganDLoss = (dReal: tf.Tensor, dFake: tf.Tensor) => tf.mul(0.5, tf.add(l2(dReal, tf.onesLike(dReal)), l2(dFake, tf.zerosLike(dFake))));
const images = () => [0.1, 0.9, 1.7, 2.5].map((phase) => testTensor([2, 3, 8, 8], phase));

export const tinyCycleGanExercises: Exercise[] = [
  {
    id: "03-downsample-shape",
    question: "ResNetGenerator(3, 3, ngf = 8) gets a [1, 3, 32, 32] batch. What is the shape after its two stride-2 convolutions (model.1 … model.9)?",
    hint: "Each Conv2d(…, kernel 3, stride 2, padding 1) halves H and W and doubles the channels: ngf → 2·ngf → 4·ngf.",
    judge: (a) =>
      judgeShape(a, [1, 32, 8, 8], "two stride-2 convs take 32×32 to 8×8 (out = ⌊(n + 2·1 − 3) / 2⌋ + 1), and the channels go 8 → 16 → 32.", [
        [[1, 8, 8, 32], "stripes, like PyTorch, shows tensors channels-first: [N, C, H, W]"],
        [[1, 16, 16, 16], "that is after the first downsampling only; there are two"],
        [[1, 32, 16, 16], "the channels are right, but each of the two stride-2 convs halves H and W"],
        [[1, 8, 8, 8], "H and W are right, but each downsampling doubles the channels: 8 → 16 → 32"],
      ]),
  },
  {
    id: "03-cycle-loss",
    solution: cycleLoss,
    question: "Write cycleLoss(realA, recA, realB, recB): the CycleGAN cycle-consistency loss with λ = 10.",
    hint: "Compare each round trip with the image it started from, pixel by pixel, the way CycleGAN does (nn.L1Loss); both directions count, and λ weighs them.",
    judge: (a) =>
      judgeOnTorchCases(a, "03-cycle-loss", "L_cyc = λ·(‖F(G(a)) − a‖₁ + ‖G(F(b)) − b‖₁), λ = 10: both round trips must give back the image, pixel by pixel (PyTorch's nn.L1Loss, a mean). L1 rather than L2 keeps the reconstructions sharp. The training below now uses your function.", {
        l2: "CycleGAN's cycle loss is L1 (mean absolute difference), not squared error",
        "no-lambda": "right form, but weight it by λ = 10: the cycle loss must outweigh the adversarial losses",
        "one-cycle": "that is only the A → B → A cycle; add the B → A → B one",
        averaged: "you averaged the two cycles; CycleGAN adds them, each weighted by λ = 10",
        sum: "wrong reduction: that is a sum over the pixels; take the mean, so that the loss does not grow with the image size",
      }),
  },
  {
    id: "03-lsgan-d-loss",
    solution: lsganDLoss,
    question: "Write lsganDLoss(dReal, dFake): one discriminator's least-squares loss on its patch outputs for a real and a fake image, halved as in CycleGAN.",
    hint: "D wants 1 ('real') on real patches and 0 ('fake') on fakes; LSGAN measures the distance to each target as nn.MSELoss does, and CycleGAN scales D's loss down.",
    judge: (a) =>
      judgeOnTorchCases(a, "03-lsgan-d-loss", "L_D = ½·(mean (D(real) − 1)² + mean D(fake)²): real patches pulled towards 1, fakes towards 0 (PyTorch's nn.MSELoss), halved so that D learns at half G's pace. The training below now uses your function for both discriminators.", {
        "not-halved": "right terms, but CycleGAN halves the discriminator's loss",
        "targets-swapped": "the targets are swapped: D should say 1 on real patches and 0 on fakes",
        "real-only": "that judges the real image only; add the fake's term",
        l1: "that is an absolute (L1) distance; LSGAN squares it",
        bce: "that is the log (BCE) loss; LSGAN uses squared error instead",
      }),
  },
  {
    id: "03-lsgan-g-loss",
    question: "Write lsganGLoss(dFake): the generator's least-squares GAN loss, given the discriminator's patch outputs on generated images.",
    hint: "The generator wants D to say 'real' (1) everywhere: the mean squared distance from 1.",
    judge: (a) =>
      judgeTensorFunction(
        a,
        () => [testTensor([2, 1, 6, 6], 0.5, 1.5)],
        (d) => tf.mean(tf.square(tf.sub(d, 1))),
        "L_G = mean (D(G(x)) − 1)²: least squares pull D's patch outputs towards 'real' and keep giving gradient even where D is sure, unlike the log loss.",
        [
          [(d) => tf.mean(tf.square(d)), "target 0 is what D wants for fakes; the generator's target is 1 ('real')"],
          [(d) => tf.losses.sigmoidCrossEntropy(tf.onesLike(d), d), "that is the log (BCE) loss; LSGAN uses squared error instead"],
          [(d) => tf.mean(tf.abs(tf.sub(d, 1))), "that is an absolute (L1) distance; LSGAN squares it"],
          [(d) => tf.mul(0.5, tf.mean(tf.square(tf.sub(d, 1)))), "CycleGAN's LSGAN loss has no ½: nn.MSELoss is the plain mean of squares"],
        ],
      ),
  },
];
