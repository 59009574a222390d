/**
 * @file Lesson 02's exercises: D's loss and G's two losses, which the game then trains with
 * (answerOr hands it the built-in ones while the learner's are not right), and the loss at the
 * game's equilibrium.
 */
import type { Exercise } from "../shared/exercise";
import { judgeNumber, judgeOnTorchCases } from "../shared/judges";
import { dLoss, gLossMinimax, gLossNonSaturating } from "./ganLosses";

const LN2 = Math.log(2);

// Words shared by the three loss exercises.
const SUM = "wrong reduction: that is a sum over the batch; take the mean, so that the loss (and a good learning rate) does not depend on the batch size";
const PER_POINT = "return one number (a scalar tensor): reduce the per-point losses over the batch";
const SIGMOID_TWICE = "the sigmoid is applied twice: D's outputs are already logits, and sigmoidCrossEntropy applies σ itself";

export const ganGameExercises: Exercise[] = [
  {
    id: "02-equilibrium-loss",
    question: "When the generator is perfect, D outputs 1/2 for every point. What is dLoss (real term + fake term, as defined in the lesson) then?",
    hint: "Each binary cross-entropy term is −log of the probability D gives the right label.",
    judge: (a) =>
      judgeNumber(a, 2 * LN2, "each term is −log(1/2) = ln 2, and dLoss adds the real and the fake term: 2 ln 2 ≈ 1.386. A D loss hovering there means D cannot tell.", [
        [LN2, "that is one of the two terms; dLoss adds the real term and the fake term"],
        [0, "a classifier's loss falls towards 0, but at the equilibrium D cannot tell real from fake: it is unsure, not right"],
        [0.5, "that is D's output, not its loss"],
        [1, "that is the sum of D's outputs; the loss is a negative log-likelihood of them"],
        [-2 * LN2, "the loss is a negative log-likelihood, so it is positive"],
      ]),
  },
  {
    id: "02-d-loss",
    question: "Write dLoss(dReal, dFake): D's loss, from its logits on a batch of real points and on a batch of fakes (binary cross-entropy, real → 1, fake → 0, the two terms added).",
    hint: "tf.losses.sigmoidCrossEntropy(labels, logits) is the mean binary cross-entropy of logits; tf.onesLike and tf.zerosLike make labels.",
    solution: dLoss,
    judge: (a) =>
      judgeOnTorchCases(a, "02-d-loss", "BCE(dReal → 1) + BCE(dFake → 0), each a mean over its batch: PyTorch's BCEWithLogitsLoss twice, errD_real + errD_fake. The game below now trains D with your function.", {
        "labels-swapped": "the labels are swapped: D should say 1 to real points and 0 to fakes",
        negated: "the sign is flipped: a cross-entropy is a negative log-likelihood, so the loss is positive and D minimises it",
        sum: SUM,
        "real-only": "forgotten term: that is the real points' term only; D must also learn to reject the fakes",
        "fake-only": "forgotten term: that is the fakes' term only; D must also learn to accept the real points",
        averaged: "you averaged the two terms; the lesson's dLoss adds them (so its equilibrium value is the one of exercise 1)",
        "sigmoid-twice": SIGMOID_TWICE,
        "per-point": PER_POINT,
      }),
  },
  {
    id: "02-g-loss",
    question: "Write gLoss(dFake): the generator's non-saturating loss −E[log D(G(z))], from D's logits on a batch of fakes.",
    hint: "G wants D to say 'real' to its fakes: a binary cross-entropy of the fakes' logits with which label?",
    solution: gLossNonSaturating,
    judge: (a) =>
      judgeOnTorchCases(a, "02-g-loss", "BCE(dFake → 1) = −mean log σ(s): G asks D to call its fakes real. The game below now trains G with your function.", {
        minimax: "that is the minimax loss mean log(1 − D(G(z))), which saturates when D rejects the fakes; this one asks D to say 'real'",
        "fake-label": "that is D's fake term (label 0): G wants D to give its fakes the other label",
        negated: "the sign is flipped: a negative log-likelihood is positive, and G minimises it",
        sum: SUM,
        "sigmoid-twice": SIGMOID_TWICE,
        "per-point": PER_POINT,
      }),
  },
  {
    id: "02-minimax-g-loss",
    question: "Write minimaxGLoss(dFake): the original (minimax) generator loss E[log(1 − D(G(z)))], from D's logits s on the fakes (D = σ(s)).",
    hint: "tf.sigmoid turns a logit into D's probability; then the formula, averaged over the batch.",
    solution: gLossMinimax,
    judge: (a) =>
      judgeOnTorchCases(a, "02-minimax-g-loss", "mean log(1 − σ(s)) = −mean softplus(s). Where D confidently rejects the fakes (s ≪ 0) it is flat, so G gets almost no gradient: pick 'minimax' in the playground and watch G stall.", {
        "non-saturating": "that is the non-saturating loss −mean log D(G(z)); the minimax one is written with log(1 − D)",
        negated: "the sign is flipped: G minimises E[log(1 − D(G(z)))], which is negative",
        sum: SUM,
        "log-d": "that is mean log D(G(z)); the minimax loss takes the log of 1 − D",
        "per-point": PER_POINT,
      }),
  },
];
