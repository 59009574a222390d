/**
 * @file Lesson 01's exercises (the article: a pretrained horse → zebra generator): a tensor's
 * layout, a layer's parameter count, and turning the generator's output into an image.
 * The notebook's cells call `check("01-…", answer)`; see docs in src/lessons/check.ts.
 */
import * as tf from "@tensorflow/tfjs";
import type { Exercise } from "./types";
import { judgeNumber, judgeShape, judgeTensorFunction, testTensor } from "./judges";

export const articleExercises: Exercise[] = [
  {
    id: "01-to-tensor-shape",
    question: "transforms.ToTensor() gets an RGB image 316 pixels wide and 256 high. What is the tensor's shape?",
    hint: "PyTorch (and stripes) put channels first: [C, H, W].",
    judge: (a) =>
      judgeShape(a, [3, 256, 316], "ToTensor gives [C, H, W] = [3, 256, 316], values in [0, 1]; unsqueeze(0) then adds the batch axis.", [
        [[256, 316, 3], "that is the image's own layout (H, W, C, as PIL and sharp store it); ToTensor moves channels first"],
        [[3, 316, 256], "height comes before width: [C, H, W]"],
        [[1, 3, 256, 316], "ToTensor does not add a batch axis; unsqueeze(0) does that, in the next cell"],
      ]),
  },
  {
    id: "01-conv-params",
    question: "How many parameters has the generator's first convolution, Conv2d(3, 64, kernel_size=7) (with its bias)?",
    hint: "Each of the 64 output channels has one 7×7 weight per input channel, plus one bias.",
    judge: (a) =>
      judgeNumber(a, 3 * 64 * 7 * 7 + 64, "64 filters × (3 × 7 × 7 weights) + 64 biases = 9,408 + 64 = 9,472.", [
        [3 * 64 * 7 * 7, "those are the weights only; add one bias per output channel (64)"],
        [64 * 7 * 7 + 64, "each filter spans all 3 input channels: 3 × 7 × 7 weights per output channel"],
        [3 * 64 * 7 + 64, "the kernel is 7 × 7, not 7"],
      ], 0),
  },
  {
    id: "01-output-to-image",
    question: "The generator ends in Tanh, so its output is in [−1, 1]. Write toUnit(t) that maps it to [0, 1] for ToPILImage.",
    hint: "A linear map sending −1 → 0 and 1 → 1.",
    judge: (a) =>
      judgeTensorFunction(
        a,
        () => [testTensor([3, 4, 4], 0.2)],
        (t) => tf.div(tf.add(t, 1), 2),
        "(t + 1) / 2 sends −1 → 0 and 1 → 1; the article's code does the same with (out_t.data.squeeze() + 1.0) / 2.0.",
        [
          [(t) => tf.clipByValue(t, 0, 1), "clipping throws away every negative value (half the range turns black); shift and scale instead"],
          [(t) => tf.div(t, 2), "t / 2 lands in [−0.5, 0.5]; add 1 before halving"],
          [(t) => tf.add(t, 1), "t + 1 lands in [0, 2]; halve it too"],
          [(t) => tf.div(tf.sub(t, 1), 2), "(t − 1) / 2 lands in [−1, 0]; add 1, don't subtract it"],
        ],
        { scalar: false },
      ),
  },
];
