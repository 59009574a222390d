/** @file Lesson 02's exercises: the best discriminator, the loss at equilibrium, the minimax loss. */
import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./types";
import { judgeNumber, judgeTensorFunction, testTensor } from "./judges";

const LN2 = Math.log(2);

export const ganGameExercises: Exercise[] = [
  {
    id: "02-optimal-d",
    question: "Where p_data(x) = 0.6 and p_g(x) = 0.2, what does the best possible discriminator D*(x) output?",
    hint: "D* weighs how likely x is under the data against how likely it is under the generator.",
    judge: (a) =>
      judgeNumber(a, 0.75, "D*(x) = p_data(x) / (p_data(x) + p_g(x)) = 0.6 / 0.8 = 0.75.", [
        [0.25, "that is p_g / (p_data + p_g), the probability that x is fake; D outputs the probability that x is real"],
        [0.6, "that is p_data(x) alone; D compares it with p_g(x): p_data / (p_data + p_g)"],
        [0.5, "D* is 1/2 only where p_data = p_g; here the data is 3× as likely as the generator"],
        [3, "that is the ratio p_data / p_g; D outputs a probability: p_data / (p_data + p_g)"],
      ]),
  },
  {
    id: "02-equilibrium-loss",
    question: "When the generator is perfect, D outputs 1/2 for every point. What is dLoss (real term + fake term, as defined in the lesson) then?",
    hint: "Each binary cross-entropy term is −log(1/2) when D says 1/2.",
    judge: (a) =>
      judgeNumber(a, 2 * LN2, "each term is −log(1/2) = ln 2, and dLoss adds the real and the fake term: 2 ln 2 ≈ 1.386. A D loss hovering there means D cannot tell.", [
        [LN2, "that is one of the two terms; dLoss adds the real term and the fake term"],
        [0, "a classifier's loss falls towards 0, but at the equilibrium D cannot tell real from fake: it is unsure, not right"],
        [0.5, "that is D's output, not its loss: the loss of saying 1/2 is −log(1/2) per term"],
        [-2 * LN2, "the loss is a negative log-likelihood, so it is positive: −log(1/2) = +ln 2 per term"],
      ]),
  },
  {
    id: "02-minimax-g-loss",
    question: "Write the original (minimax) generator loss, mean log(1 − D(G(z))), from D's logits s on the fakes (D = sigmoid(s)).",
    hint: "tf.sigmoid(s) is D's probability; the loss is tf.mean(tf.log(1 − D)). (It equals −mean softplus(s).)",
    judge: (a) =>
      judgeTensorFunction(
        a,
        () => [testTensor([64, 1], 0.3, 4)],
        (s) => tf.neg(tf.mean(tf.softplus(s))),
        "mean log(1 − σ(s)) = −mean softplus(s). Where D confidently rejects the fakes (s ≪ 0), σ(s) ≈ 0 and this loss is flat: G gets almost no gradient. That is why we trained with −log D(G(z)) instead.",
        [
          [(s) => tf.mean(tf.softplus(tf.neg(s))), "that is the non-saturating loss −mean log D(G(z)) we trained with; the minimax one is mean log(1 − D(G(z)))"],
          [(s) => tf.mean(tf.softplus(s)), "the sign is flipped: G minimises mean log(1 − D(G(z))), which is negative, not its negation"],
          [(s) => tf.mean(tf.log(tf.sub(1, s))), "apply the sigmoid first: D = σ(s) is a probability, s is a logit"],
        ],
      ),
  },
];
